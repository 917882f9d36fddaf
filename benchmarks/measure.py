"""Measuring tools for the benchmarks: stage timers, peak memory of process trees, machine facts."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.05  # how often the memory of a running build is sampled


@dataclass
class StageTimer:
    """Seconds and items per named stage, summed over many short timed sections."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @contextmanager
    def time(self, stage: str, items: int = 1) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started
            self.items[stage] += items

    def rate(self, stage: str) -> float:
        seconds = self.seconds.get(stage, 0.0)
        return self.items.get(stage, 0) / seconds if seconds > 0 else 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return found


def _memory_kib(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else resident size."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_memory_kib(pid: int) -> int:
    """Memory of a process and all its descendants (worker processes included)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _memory_kib(current)
        stack.extend(_children(current))
    return total


@dataclass
class RunResult:
    seconds: float
    peak_mib: float
    returncode: int
    stderr: str
    cpu_seconds: float  # user + system time of the command and its (waited-for) workers


def run_measured(command: list[str], env: dict[str, str] | None = None) -> RunResult:
    """Run a command; wall time, CPU time and the peak summed memory of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory_kib(process.pid))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if not Path("/proc").is_dir():  # no /proc (macOS): the largest single child instead
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // (
            1024 if sys.platform == "darwin" else 1
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return RunResult(seconds, peak / 1024, process.returncode, stderr.decode(errors="replace"), cpu)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def machine() -> dict[str, str]:
    """The facts a reader needs to compare these numbers with their own machine."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count() or 1),
        "ram": f"{_ram_gib():.1f} GiB",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load at start": f"{load[0]:.2f} (1-minute average; above 0.5: others shared the cores)",
    }
