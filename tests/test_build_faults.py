"""Process faults in a build: a killed worker, a killed build, two builds of one folder,
Ctrl-C. Each ends in seconds with one line and a non-zero exit, never a hang, and
`--resume` then finishes the build with the same bytes as a build that never failed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SAMPLES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

BUILDER = [sys.executable, "-c", "import sys; from builder.cli import main; sys.exit(main())"]
# The same command with every batch taking at least half a second longer (workers fork
# from it and inherit the slow batch): a build then lasts long enough to be killed or
# interrupted on any machine, however loaded.
SLOW_BUILDER = [sys.executable, "-c", (
    "import sys, time\n"
    "from builder.pipeline import runner as pipeline\n"
    "real = pipeline.process_batch\n"
    "def slow(task):\n"
    "    time.sleep(0.5)\n"
    "    return real(task)\n"
    "pipeline.process_batch = slow\n"
    "from builder.cli import main\n"
    "sys.exit(main())\n")]
OUTPUTS = ("records.jsonl", "rejects.jsonl", "summary.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several hundred HTML pages and dumps (copies of the samples under new names)."""
    root = tmp_path_factory.mktemp("faults") / "pages"
    sources = sorted((SAMPLES / "pages" / "html").rglob("*.html"))
    sources += sorted((SAMPLES / "pages" / "aggregator").rglob("*.txt"))
    for copy in range(40):
        folder = root / f"copy{copy:02d}"
        folder.mkdir(parents=True)
        for number, source in enumerate(sources):
            shutil.copy(source, folder / f"{number:03d}-{source.name}")
    return root


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "out"
    done = subprocess.run([*BUILDER, "build", str(corpus), "--out", str(out), "--quiet",
                           "--workers", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def _children(pid: int) -> set[int]:
    """Every living descendant of `pid`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _as_from_a_terminal() -> None:
    # A test run started in the background of a script (`cmd &`) ignores SIGINT, and
    # Python started with SIGINT ignored never turns it into KeyboardInterrupt: the build
    # gets the disposition a command typed in a terminal has.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(corpus: Path, out: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*SLOW_BUILDER, "build", str(corpus), "--out", str(out), "--quiet",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_as_from_a_terminal)


def test_killed_workers_end_the_build_with_a_message_and_resume_finishes_it(
    corpus: Path, clean: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build = _start(corpus, out, "--workers", "2")
    deadline = time.monotonic() + 30
    while build.poll() is None and time.monotonic() < deadline:
        for pid in _children(build.pid):  # what the OOM killer does, again and again
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
    assert build.poll() is not None, "the build hung after its workers were killed"
    _, err = build.communicate()
    assert build.returncode == 2
    assert err.startswith("error: a worker process died twice (killed by signal 9) running "
                          "the batch of ") and "--resume" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    resumed = subprocess.run([*BUILDER, "build", str(corpus), "--out", str(out), "--quiet",
                              "--workers", "2", "--resume"], capture_output=True, text=True,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    _same_outputs(out, clean)


def test_a_killed_build_leaves_no_process_behind(corpus: Path, tmp_path: Path) -> None:
    build = _start(corpus, tmp_path / "out", "--workers", "2")
    deadline = time.monotonic() + 20
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers |= _children(build.pid)
        time.sleep(0.01)
    assert workers, "no worker was seen"
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in workers if _alive(pid)] == []


def test_a_second_build_of_the_same_folder_refuses_at_once_and_a_stale_lock_is_taken(
    corpus: Path, clean: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _start(corpus, out, "--workers", "1")
    lock = out / ".builder.lock"
    deadline = time.monotonic() + 20
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.run([*BUILDER, "build", str(corpus), "--out", str(out), "--quiet"],
                            capture_output=True, text=True, check=False, timeout=60)
    running = first.poll() is None
    first.kill()
    first.wait()
    assert running, "the first build ended before the second started: make the corpus larger"
    assert second.returncode == 2
    assert second.stderr == (f"error: {out} is in use by another build (pid {first.pid}); "
                             "wait for it to finish, or give another --out\n")
    # The killed build's lock died with it: the next build takes the folder and resumes.
    third = subprocess.run([*BUILDER, "build", str(corpus), "--out", str(out), "--quiet",
                            "--resume"], capture_output=True, text=True, check=False)
    assert third.returncode == 0, third.stderr
    _same_outputs(out, clean)


def test_ctrl_c_exits_130_with_one_line(corpus: Path, tmp_path: Path) -> None:
    build = _start(corpus, tmp_path / "out", "--workers", "2")
    deadline = time.monotonic() + 20
    while not _children(build.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    os.killpg(build.pid, signal.SIGINT)  # the terminal sends it to the whole group
    _, err = build.communicate(timeout=30)
    assert build.returncode == 130
    assert err.startswith("interrupted;") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
