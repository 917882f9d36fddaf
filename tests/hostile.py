"""Run a `builder` command or a Python snippet in a subprocess held to memory and CPU limits.

The hostile-input tests check "a clear error, in bounded memory and time" with resource
limits (the kernel stops a run-away child), never with wall-clock timings.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The bounds: every case ends in under 10 s and under 500 MB.
MEMORY_BYTES = 500 * 1024 * 1024
CPU_SECONDS = 10
BUILDER = Path(sys.executable).with_name("builder")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        """True when a limit (or a signal) ended the child instead of its own exit."""
        return self.code < 0 or self.code == 137


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_limited(argv: list[str], cwd: Path | None = None, stdin: bytes = b"") -> Run:
    """Run argv under the limits; a wall-clock guard of 60 s only stops a blocked child."""
    done = subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        cwd=cwd,
        preexec_fn=_limit,  # noqa: PLW1509 - no threads in the test process when it runs
        timeout=60,
        check=False,
    )
    out, err = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    return Run(done.returncode, out, err)


def builder(*args: str, cwd: Path | None = None) -> Run:
    """`builder ARGS` under the limits."""
    return run_limited([str(BUILDER), *args], cwd=cwd)


def python(code: str, cwd: Path | None = None) -> Run:
    """`python -c CODE` under the limits."""
    return run_limited([sys.executable, "-c", code], cwd=cwd)


def one_line_error(run: Run) -> str:
    """The run's error line, after checking it failed cleanly: no traceback, not killed."""
    assert not run.killed, f"killed by a limit: {run.stderr[-500:]}"
    assert run.code != 0, run.stdout[-500:]
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    lines = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert lines, run.stderr[-1000:]
    return lines[0]
