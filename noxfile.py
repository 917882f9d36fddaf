"""Sessions: tests, the sample build, lint, benchmarks and releases."""

from __future__ import annotations

import subprocess

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True
# uv creates environments and installs packages several times faster than virtualenv and
# pip (`pip install nox uv`); without uv, nox falls back to virtualenv and pip.
nox.options.default_venv_backend = "uv|virtualenv"

PYTHON = "3.11"
# Each session installs what it runs: the sample build needs no release tooling and no
# Ray (the Ray wheel alone is about 70 MB); the benchmarks add their reference libraries.
ALL_EXTRAS = ".[release,dedup,distributed,test,bench]"
SAMPLE = ".[dedup]"  # parse + dedup: what `builder build` runs
RELEASE = ".[release,dedup]"  # build, dedup, write, verify, publish: no Ray


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after --)."""
    session.install("-e", ALL_EXTRAS)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON, default=False)
def sample(session: nox.Session) -> None:
    """Build the bundled sample corpus into out/sample."""
    session.install("-e", SAMPLE)
    session.run("builder", "build", "samples/pages", "--manifest", "samples/manifest.csv",
                "--out", "out/sample", *session.posargs)


@nox.session(python=PYTHON, default=False)
def lint(session: nox.Session) -> None:
    """Ruff lint and mypy type check."""
    session.install("-e", ".[release,dedup,test]", "ruff", "mypy", "types-PyYAML")
    session.run("ruff", "check", "builder", "tests", "noxfile.py")
    session.run("mypy", "builder")


def _default_base() -> list[str]:
    """`--base origin/main` (or `main`) when that ref exists, else check the whole folder."""
    for ref in ("origin/main", "main"):
        found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref],
                               capture_output=True, check=False)
        if found.returncode == 0:
            return ["--base", ref]
    return []


@nox.session(python=PYTHON, default=False)
def validate(session: nox.Session) -> None:
    """Check contributions in contrib/ (posargs: --base REF or files; default: since main)."""
    session.install("-e", ".[dedup]")
    args = session.posargs or _default_base()
    session.run("builder", "validate", "--contrib", "contrib", *args)


@nox.session(python=PYTHON, default=False)
def release(session: nox.Session) -> None:
    """Build dist/VERSION from dataset.yaml (nox -s release -- 1.2.0).

    Steps: build, validate, dedup, write, verify.
    """
    if not session.posargs:
        session.error("give the version to release: nox -s release -- 1.0.0")
    session.install("-e", RELEASE)
    session.run("builder", "release", *session.posargs)


@nox.session(python=PYTHON, default=False)
def publish(session: nox.Session) -> None:
    """Upload dist/VERSION to the Hub and tag it (nox -s publish -- 1.0.0 --repo-id ORG/NAME).

    Add --dry-run to see the plan without uploading.
    """
    if not session.posargs:
        session.error(
            "give the version to publish: nox -s publish -- 1.0.0 --repo-id ORG/NAME [--dry-run]"
        )
    session.install("-e", RELEASE)
    session.run("builder", "publish", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Pipeline benchmark table at 10k/100k pages (posargs: --pages 1000000, --workers 1 all)."""
    # rensa: the Rust MinHash library timed in the reference rows.
    session.install("-e", ALL_EXTRAS, "rensa")
    session.run("python", "-m", "benchmarks.bench_pipeline", "--markdown", "out/bench/results.md",
                *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_contrib(session: nox.Session) -> None:
    """Contribution check speed: N pages against a release of M records (--pages N --release M)."""
    session.install("-e", ".[dedup]")
    session.run("python", "-m", "benchmarks.bench_contrib", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_dedup(session: nox.Session) -> None:
    """Dedup quality and speed at 10k and 100k documents against datasketch, and the
    decisions per kind on real text (minutes)."""
    session.install("-e", ALL_EXTRAS)
    session.run("python", "-m", "benchmarks.dedup.bench", "--markdown", "out/bench/dedup.md",
                "--json", "out/bench/dedup.json", *session.posargs)
    session.run("python", "-m", "benchmarks.dedup.minhash_impls")
    # decisions per kind on real text (skips without ../shared/realdata)
    session.run("python", "-m", "benchmarks.dedup.realbench", "--markdown",
                "out/bench/dedup_real.md", "--json", "out/bench/dedup_real.json")


@nox.session(python=PYTHON, default=False)
def realweb(session: nox.Session) -> None:
    """Real pages (../shared/realdata): builder build --manifest next to trafilatura and
    htmldate on the same pages (posargs: --sets NAME, --no-anchors, --misses date)."""
    session.install("-e", SAMPLE)
    session.run("python", "-m", "benchmarks.realweb", "--markdown", "out/bench/realweb.md",
                "--json", "out/bench/realweb.json", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench_extraction(session: nox.Session) -> None:
    """HTML extraction quality and speed: our parser vs trafilatura vs htmldate (gold pages)."""
    session.install("-e", ALL_EXTRAS)
    session.run("python", "benchmarks/extraction/run.py", *session.posargs)
