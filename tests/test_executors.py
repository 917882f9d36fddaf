"""The local executor: results in order, a dead worker retried once then a clear error,
never a hang, and no worker left behind when the parent dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.executors import ProcessExecutor, TaskFailed, WorkerDied

from .conftest import REPO


def square(n: int) -> int:
    return n * n


def die_on_seven(n: int) -> int:
    if n == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def die_once(task: tuple[int, str]) -> int:
    """Kills its worker the first time it sees task 3 (a marker file remembers)."""
    n, marker = task
    if n == 3 and not os.path.exists(marker):
        Path(marker).write_text("died once", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def fail_on_two(n: int) -> int:
    if n == 2:
        raise ValueError("two is not allowed")
    return n


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_results_come_in_task_order_on_any_worker_count(start_method: str) -> None:
    for workers in (1, 2, 3):
        with ProcessExecutor(workers, start_method=start_method) as executor:
            assert list(executor.map(square, range(40))) == [n * n for n in range(40)]


def test_a_worker_killed_once_is_replaced_and_its_task_retried(tmp_path: Path) -> None:
    marker = str(tmp_path / "marker")
    with ProcessExecutor(2) as executor:
        got = list(executor.map(die_once, [(n, marker) for n in range(10)]))
    assert got == list(range(10)) and os.path.exists(marker)


def test_a_task_that_kills_its_worker_twice_fails_the_map_naming_it() -> None:
    with ProcessExecutor(2) as executor, pytest.raises(WorkerDied) as caught:
        list(executor.map(die_on_seven, range(20), describe=lambda n: f"task number {n}"))
    message = str(caught.value)
    assert "died twice (killed by signal 9) running task number 7" in message
    assert "--resume" in message


def test_a_dead_worker_never_hangs_the_caller() -> None:
    # The same map in a fresh interpreter with a time limit: a hang fails the test
    # instead of stalling the suite (multiprocessing.Pool waits forever here).
    code = ("from builder.executors import ProcessExecutor, WorkerDied\n"
            "from tests.test_executors import die_on_seven\n"
            "try:\n"
            "    list(ProcessExecutor(2).map(die_on_seven, range(50)))\n"
            "except WorkerDied as error:\n"
            "    print('failed:', error)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("failed: a worker process died")


def test_a_task_exception_is_raised_in_the_caller_with_the_task_named() -> None:
    with ProcessExecutor(2) as executor, pytest.raises(TaskFailed) as caught:
        list(executor.map(fail_on_two, range(6), describe=lambda n: f"task {n}"))
    assert str(caught.value).startswith("task 2: ValueError: two is not allowed")


def test_a_feed_returns_results_in_push_order_and_drains_the_rest() -> None:
    with ProcessExecutor(2) as executor:
        feed = executor.feed(square, limit=3)
        got = []
        for n in range(25):
            got += feed.push(n)
            assert len(feed.tasks) <= 4  # bounded: at most limit + 1 in flight
        got += feed.drain()
    assert got == [n * n for n in range(25)]


def test_one_worker_runs_in_this_process_unless_separate() -> None:
    assert ProcessExecutor(1).pooled is False
    with ProcessExecutor(1, separate=True) as executor:
        pids = set(executor.map(_pid, range(3)))
    assert os.getpid() not in pids


def _pid(_: int) -> int:
    return os.getpid()


def sleepy(n: int) -> int:
    time.sleep(30)
    return n


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent() -> None:
    code = ("import os, sys\n"
            "from builder.executors import ProcessExecutor\n"
            "from tests.test_executors import sleepy\n"
            "executor = ProcessExecutor(2)\n"
            "feed = executor.feed(sleepy, 4)\n"
            "feed.push(0); feed.push(1)\n"
            "print(' '.join(str(w.process.pid) for w in executor._workers), flush=True)\n"
            "sys.stdin.read()\n")
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_zero_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ProcessExecutor(0)
