"""What the commands say: a missing optional extra names the extra to install (never a
traceback), and the build's closing line counts the records actually written."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builder.cli import main

from .release_corpus import (
    Article,
    Corpus,
    base_corpus,
    make_record,
    write_corpus,
    write_test_release,
)

REPO = Path(__file__).resolve().parents[1]
# Runs `builder ARGS` in a fresh interpreter where the named top-level modules cannot be
# imported, as on a machine where their extra was never installed.
RUNNER = textwrap.dedent(
    """
    import sys
    blocked, argv = set(sys.argv[1].split(",")), sys.argv[2:]

    class Missing:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in blocked:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    from builder.cli import main
    sys.exit(main(argv))
    """
)


def _without(modules: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HF_HUB_OFFLINE", None)
    return subprocess.run(
        [sys.executable, "-c", RUNNER, modules, *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("extras")
    write_test_release(root, [make_record(i) for i in range(3)])  # root/1.0.0, dataset.yaml
    (root / "dist").mkdir()
    (root / "1.0.0").rename(root / "dist" / "1.0.0")
    return root


@pytest.mark.parametrize(
    ("blocked", "argv", "extra"),
    [
        ("datasets", ["release", "1.1.0"], "release"),
        ("pyarrow", ["verify", "dist/1.0.0"], "release"),
        ("huggingface_hub", ["publish", "1.0.0", "--repo-id", "example/test-news"], "release"),
        ("datasets", ["takedown", "0123456789abcdef", "--reason", "asked"], "release"),
        ("rensa", ["build", "pages", "--out", "out", "--workers", "1"], "dedup"),
        (
            "ray",
            ["build", "pages", "--out", "out2", "--backend", "ray", "--no-dedup"],
            "distributed",
        ),
    ],
)
def test_a_missing_extra_names_what_to_install(
    project: Path, blocked: str, argv: list[str], extra: str
) -> None:
    done = _without(blocked, *argv, cwd=project)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "pip install" in done.stderr and f"[{extra}]'" in done.stderr
    assert blocked in done.stderr.lower()


def test_build_closing_line_counts_records_after_dedup(tmp_path: Path) -> None:
    corpus = base_corpus()
    copy = corpus.articles[2]
    mirror = Article(
        "en/mirror/copy.txt",
        copy.title,
        copy.publication,
        copy.date,
        copy.seed,
        url="https://mirror.example/news/2",
    )
    pages, manifest = write_corpus(Corpus([*corpus.articles, mirror]), tmp_path)
    out = tmp_path / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            [
                "build",
                str(pages),
                "--manifest",
                str(manifest),
                "--out",
                str(out),
                "--workers",
                "1",
                "--quiet",
            ]
        )
    assert code == 0
    written = len((out / "records.jsonl").read_text().splitlines())
    removed = len((out / "dedup_report.jsonl").read_text().splitlines())
    line = err.getvalue().strip().splitlines()[-1]
    assert re.match(
        rf"9 pages -> {written} records after dedup \({written + removed} parsed, "
        rf"{removed} merged as duplicates\), 0 rejects in ",
        line,
    ), line
    assert removed == 1
    assert json.loads((out / "summary.json").read_text())["records"] == written + removed
