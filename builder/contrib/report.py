"""How findings are shown: plain text in a terminal; annotations and a job summary in Actions.

GitHub's workflow commands: `::error file=F,line=L,title=T::message`, where the message
escapes %, CR and LF, and property values also escape ':' and ','. The Markdown summary
is appended to the file named by $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from .check import CheckResult
from .findings import CODES, Finding

# Rows of the job summary table: GitHub caps a step's summary at 1 MiB, and shows only
# the first few annotations of each kind on the pull request; the log has every finding.
SUMMARY_ROWS = 200


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    path, title = _escape_property(finding.path), _escape_property(finding.code)
    props = f"file={path},line={finding.line},title={title}"
    return f"::{finding.severity} {props}::{_escape_data(finding.message)}"


def totals(result: CheckResult) -> str:
    files = f"{len(result.checked)} file(s) checked ({result.scope})"
    if not result.findings:
        return f"contributions: no problems; {files}"
    return f"contributions: {result.errors} error(s), {result.warnings} warning(s); {files}"


def _render(result: CheckResult, show: Callable[[Finding], str]) -> str:
    """Each finding as `show` writes it, then the release compared with and the totals."""
    lines = [show(f) for f in result.findings]
    if result.compared_with:
        lines.append(f"duplicates: {result.compared_with}")
    lines.append(totals(result))
    return "\n".join(lines) + "\n"


def render_text(result: CheckResult) -> str:
    return _render(result, str)


def render_github(result: CheckResult) -> str:
    return _render(result, annotation)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_summary(result: CheckResult) -> str:
    """The Markdown job summary: totals, then one table row per finding."""
    status = "failed" if result.errors else "passed"
    out = [f"## Contribution check {status}", "", totals(result), ""]
    if result.compared_with:
        out += [f"Duplicates: {result.compared_with}", ""]
    if result.findings:
        out += [
            "| File | Line | Severity | Problem | Message |",
            "| --- | ---: | --- | --- | --- |",
        ]
        for f in result.findings[:SUMMARY_ROWS]:
            out.append(
                f"| `{_cell(f.path)}` | {f.line} | {f.severity} | {f.code} | {_cell(f.message)} |"
            )
        if len(result.findings) > SUMMARY_ROWS:
            out.append(
                f"\n{len(result.findings) - SUMMARY_ROWS} more finding(s) are in the job log."
            )
        out += ["", "What each problem means, and how to fix it: see CONTRIBUTING.md."]
        used = sorted({f.code for f in result.findings})
        out += ["", *(f"- **{code}**: {CODES[code]}" for code in used)]
    return "\n".join(out) + "\n"


def choose_format(requested: str, env: Mapping[str, str]) -> str:
    if requested != "auto":
        return requested
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def write_summary(result: CheckResult, env: Mapping[str, str]) -> None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY, when Actions gives one."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(render_summary(result))
