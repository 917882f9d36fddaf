"""`builder dedup` without the dedup extra: a command that says what to install
(builder/extras.py knows the extras)."""

from __future__ import annotations

import argparse
import functools
from typing import NoReturn

from ..errors import BuilderError
from ..extras import DEDUP_EXTRA_MODULES, missing_extra


def add_dedup_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`builder dedup`; without the dedup extra, a `dedup` that says how to install it."""
    try:
        from .dedup import add_command
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in DEDUP_EXTRA_MODULES:
            raise  # a bug in the package, not a missing extra
        reason = missing_extra(exc, "builder dedup")
        missing = commands.add_parser("dedup", help="merge duplicate records (needs the extra)")
        missing.add_argument("args", nargs=argparse.REMAINDER)
        missing.set_defaults(func=functools.partial(_fail, reason))
        return
    add_command(commands)


def _fail(message: str, _args: argparse.Namespace) -> NoReturn:
    raise BuilderError(message)
