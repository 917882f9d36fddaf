"""An output folder held by one command at a time.

The lock is an advisory `flock` on a file in the folder, which the system releases when
its process ends, however it ends: a build killed with SIGKILL leaves no stale lock, and
the next build simply takes it. The file keeps the holder's pid for the message.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import BuilderError

LOCK_NAME = ".builder.lock"

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not guarded
    fcntl = None  # type: ignore[assignment]


@contextmanager
def holding(folder: Path, what: str = "build") -> Iterator[None]:
    """Hold `folder`'s lock while the block runs; a BuilderError at once if another
    process holds it. The lock file is removed when the block ends (a killed holder
    leaves it, unlocked, for the next one to take)."""
    if fcntl is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = _locked(path, folder, what)
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))
        handle.flush()
        yield
    finally:
        path.unlink(missing_ok=True)  # before unlocking: a waiter then finds no file
        handle.close()


def _locked(path: Path, folder: Path, what: str) -> BinaryIO:
    """The lock file, opened and locked; retried when the holder removed it meanwhile
    (the lock taken was then on a file no longer in the folder)."""
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 (held open by the caller)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().decode("ascii", "replace").strip() or "unknown"
            handle.close()
            raise BuilderError(
                f"{folder} is in use by another {what} (pid {holder}); wait for it to "
                "finish, or give another --out"
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()


@contextmanager
def locked_file(path: Path) -> Iterator[None]:
    """Hold an flock on `path` (created empty) while the block runs; `is_held` tells
    another process whether the holder still runs."""
    with path.open("wb") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def is_held(path: Path) -> bool:
    """Whether a running process holds the flock on `path`; False when there is no such
    file or its holder died (the system released the lock with it)."""
    if fcntl is None:
        return False
    try:
        handle = path.open("rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
