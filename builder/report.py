"""The summary `builder build` prints for a person: counts, and where each kind of reject is."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .write.jsonl import read_jsonl

# Enough paths to find the files of a reason, few enough to keep one line per reason.
EXAMPLES_PER_REASON = 3
# Publications beyond this many are summed up as "and N more" (the full list is in summary.json).
TOP_PUBLICATIONS = 8


def reject_examples(rejects_path: Path, limit: int = EXAMPLES_PER_REASON) -> dict[str, list[str]]:
    """The first `limit` distinct raw paths of each reject reason, in file order."""
    examples: dict[str, list[str]] = {}
    if not rejects_path.is_file():
        return examples
    for _, reject in read_jsonl(rejects_path):
        paths = examples.setdefault(str(reject["reason"]), [])
        if len(paths) < limit and reject["raw_path"] not in paths:
            paths.append(str(reject["raw_path"]))
    return examples


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"


def _top(counts: Mapping[str, int], limit: int = TOP_PUBLICATIONS) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{name} {count}" for name, count in ranked[:limit]) or "none"
    rest = len(ranked) - limit
    return f"{shown}, and {rest} more" if rest > 0 else shown


def _reject_lines(summary: Mapping[str, Any], examples: Mapping[str, list[str]]) -> list[str]:
    by_reason: Mapping[str, int] = summary.get("rejects_by_reason", {})
    width = max((len(reason) for reason in by_reason), default=0)
    lines = []
    for reason, count in sorted(by_reason.items()):
        paths = examples.get(reason, [])
        more = ", ..." if count > len(paths) else ""
        lines.append(f"    {reason:<{width}} {count:>6}  {', '.join(paths)}{more}")
    return lines


def format_summary(summary: Mapping[str, Any], out: Path, examples: Mapping[str, list[str]]) -> str:
    """Totals, records by format, language and publication, rejects by reason with paths."""
    lines = [
        f"{summary['pages']} pages -> {summary['records']} records, {summary['rejects']} rejects",
        f"  records by format:      {_counts(summary.get('records_by_source_format', {}))}",
        f"  records by language:    {_counts(summary.get('records_by_language', {}))}",
        f"  records by publication: {_top(summary.get('records_by_publication', {}))}",
    ]
    if summary.get("manifest_rows_unused"):
        lines.append(
            f"  manifest rows unused:   {summary['manifest_rows_unused']} "
            "(their paths match no input page; the warning above names them)"
        )
    if summary.get("manifest_urls_not_used"):
        lines.append(
            f"  manifest URLs not used: {summary['manifest_urls_not_used']} "
            "(not absolute http(s) URLs; the warning above names their lines)"
        )
    if summary["rejects"]:
        lines.append(f"  rejects by reason (each with its message in {out / 'rejects.jsonl'}):")
        lines += _reject_lines(summary, examples)
    lines.append(
        f"  wrote {out / 'records.jsonl'}, {out / 'rejects.jsonl'}, {out / 'summary.json'}"
    )
    return "\n".join(lines)
