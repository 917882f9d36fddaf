"""Resumable builds: an interrupted build never looks finished, and --resume completes it
without redoing finished shards, writing the same bytes as an uninterrupted build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import MANIFEST, generate
from builder.pipeline import runner as pipeline
from builder.pipeline.batches import WorkSizes
from builder.pipeline.runner import BuildOptions, build
from builder.write import shards

OUTPUTS = ("records.jsonl", "rejects.jsonl", "summary.json")
SHARD_FILES = 5  # small shards: the test crawl makes about ten of them
SIZES = WorkSizes(shard_files=SHARD_FILES, batch_files=2)


class Interrupted(Exception):
    """Stands for a crash or Ctrl-C in the middle of a build."""


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crawl")
    generate(root, pages=48, seed=5)
    return root


@pytest.fixture(scope="module")
def reference(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of an uninterrupted build."""
    out = tmp_path_factory.mktemp("reference")
    build(_options(crawl, out))
    return _outputs(out)


def _options(crawl: Path, out: Path, resume: bool = False, workers: int = 1) -> BuildOptions:
    return BuildOptions(
        inputs=[crawl],
        out=out,
        manifest=crawl / MANIFEST,
        workers=workers,
        progress=False,
        resume=resume,
        sizes=SIZES,
    )


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file of a finished build (the dedup report too, when dedup runs)."""
    assert set(OUTPUTS) <= {p.name for p in out.iterdir()}
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, batches: int) -> list[int]:
    """Make the build raise once `batches` batches are done; returns the call log."""
    calls: list[int] = []
    real = pipeline.process_batch

    def failing(task: tuple) -> list:
        if len(calls) >= batches:
            raise Interrupted
        calls.append(len(task[0]))
        return real(task)

    monkeypatch.setattr(pipeline, "process_batch", failing)
    return calls


def test_interrupted_build_leaves_no_output_that_looks_complete(
    crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupt_after(monkeypatch, 6)
    with pytest.raises(Interrupted):
        build(_options(crawl, tmp_path))
    assert not any(p.is_file() for p in tmp_path.iterdir())  # no output at all, only .parts
    markers = sorted(p.name for p in (tmp_path / shards.PARTS).glob("*.json"))
    assert markers == ["00000.json", "00001.json"]  # 6 batches of 2 files: two shards of 5 done
    leftovers = [p.name for p in (tmp_path / shards.PARTS).iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # the shard in progress left no half-written file


def test_resume_skips_finished_shards_and_matches_uninterrupted(
    crawl: Path, tmp_path: Path, reference: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupt_after(monkeypatch, 6)
    with pytest.raises(Interrupted):
        build(_options(crawl, tmp_path))
    monkeypatch.undo()
    calls = _interrupt_after(monkeypatch, 10_000)
    build(_options(crawl, tmp_path, resume=True))
    total_files = sum(1 for p in crawl.rglob("*") if p.is_file() and not p.name.startswith(".")) - 1
    assert sum(calls) == total_files - 2 * SHARD_FILES  # the two finished shards were not redone
    assert _outputs(tmp_path) == reference
    assert not (tmp_path / shards.PARTS).exists()


def test_resume_redoes_a_shard_whose_input_changed(
    crawl: Path, tmp_path: Path, tmp_path_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path_factory.mktemp("changed")
    subprocess.run(["cp", "-a", f"{crawl}/.", str(copy)], check=True)
    _interrupt_after(monkeypatch, 6)
    with pytest.raises(Interrupted):
        build(_options(copy, tmp_path / "out"))
    monkeypatch.undo()
    first = sorted(p for p in copy.rglob("*.txt") if not p.name.startswith("."))[0]
    first.write_bytes(
        first.read_bytes().replace(b"Published in", b"Published  in", 1)
    )  # same page, new bytes
    build(_options(copy, tmp_path / "out", resume=True))
    build(_options(copy, tmp_path / "fresh"))
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "fresh")


def test_resume_of_a_killed_process(
    crawl: Path, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    """A real kill (SIGKILL, two workers) in the middle of a build, then `--resume`."""
    out = tmp_path / "out"
    script = (
        "import sys; from pathlib import Path; from builder.pipeline.batches import WorkSizes; "
        "from builder.pipeline.runner import BuildOptions, build; "
        "from builder.dedup.params import DedupSizes; "
        "build(BuildOptions(inputs=[Path(sys.argv[1])], manifest=Path(sys.argv[2]), "
        "out=Path(sys.argv[3]), workers=2, progress=False, resume=sys.argv[4:] == ['--resume'], "
        f"sizes=WorkSizes(shard_files={SHARD_FILES}, batch_files=2), "
        "dedup_sizes=DedupSizes(feed_min_bytes=0)))"
    )
    command = [sys.executable, "-c", script, str(crawl), str(crawl / MANIFEST), str(out)]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while not (out / shards.PARTS / "00000.json").exists() and process.poll() is None:
        assert time.monotonic() < deadline, "the build never finished a shard"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if (out / "summary.json").exists():
        pytest.skip("the build finished before it could be killed")
    assert not (out / "records.jsonl").exists()
    subprocess.run([*command, "--resume"], check=True, timeout=300)
    assert _outputs(out) == reference
