"""The optional extras (pyproject.toml) as the commands see them: what to install when a
command stops on a missing one, and `builder dedup` without the dedup extra."""

from __future__ import annotations

import argparse
import functools
from typing import NoReturn

from ..errors import BuilderError

# What the `dedup` extra installs (pyproject.toml): without one of them the dedup stage
# cannot be imported, and every command that needs it says how to install it.
DEDUP_EXTRA_MODULES = frozenset({"rensa", "xxhash", "numpy"})
DEDUP_INSTALL = "pip install -e '.[dedup]' (or pip install 'news-builder[dedup]')"

# Modules of the optional extras (pyproject.toml), and the extra that installs each.
EXTRA_OF_MODULE = {
    **{name: "release" for name in
       ("datasets", "pyarrow", "huggingface_hub", "matplotlib", "mlcroissant")},
    **{name: "dedup" for name in DEDUP_EXTRA_MODULES},
    "ray": "distributed",
}


def missing_extra(error: ModuleNotFoundError, command: str) -> str | None:
    """What to install when a command stops on a module of an optional extra, else None."""
    extra = EXTRA_OF_MODULE.get((error.name or "").partition(".")[0])
    if extra is None:
        return None
    return (f"builder {command} needs the {extra} extra ({error}): "
            f"pip install -e '.[{extra}]' (or pip install 'news-builder[{extra}]')")


def add_dedup_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`builder dedup`; without the dedup extra, a `dedup` that says how to install it."""
    try:
        from .dedup import add_command
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in DEDUP_EXTRA_MODULES:
            raise  # a bug in the package, not a missing extra
        reason = f"builder dedup needs the dedup extra ({exc}): {DEDUP_INSTALL}"
        missing = commands.add_parser("dedup", help="merge duplicate records (needs the extra)")
        missing.add_argument("args", nargs=argparse.REMAINDER)
        missing.set_defaults(func=functools.partial(_fail, reason))
        return
    add_command(commands)


def _fail(message: str, _args: argparse.Namespace) -> NoReturn:
    raise BuilderError(message)
