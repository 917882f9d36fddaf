"""Shared fixtures: where the seed and the bundled samples live."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# CI must give the same verdict on every run: property tests draw the same examples there.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
FIXTURE_SEEDS = REPO / "tests" / "fixtures" / "seeds"
SAMPLES = REPO / "samples"
# Real pages with gold checked by hand (never copied into the repo); tests skip without it.
REALDATA = REPO.parent / "shared" / "realdata"


def seed_dirs() -> list[Path]:
    """The shared seeds when present (CI has them), and always the repo's own copies' layout."""
    return [d for d in (SHARED_SEEDS, FIXTURE_SEEDS) if d.is_dir()]


@pytest.fixture
def repo() -> Path:
    return REPO


@dataclass(frozen=True)
class SampleBuild:
    """One `builder build` of the bundled samples (the quick start), run in-process."""

    out: Path
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """Built once per test session: several test modules check its outputs."""
    from builder.cli import main

    out = tmp_path_factory.mktemp("sample") / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    pages, manifest = str(SAMPLES / "pages"), str(SAMPLES / "manifest.csv")
    # --no-dedup: these tests check the record of every page; the dedup stage of a build
    # is tested in tests/test_dedup_cli.py.
    argv = [
        "build",
        pages,
        "--manifest",
        manifest,
        "--out",
        str(out),
        "--workers",
        "1",
        "--no-dedup",
    ]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return SampleBuild(out, code, stdout.getvalue(), stderr.getvalue())
