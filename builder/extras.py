"""The optional extras (pyproject.toml): which modules each installs, and the one way a
command or stage that needs one says what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import BuilderError

# What only the `dedup` extra installs: without one of them builder.dedup cannot be
# imported. (It lists numpy too, which the core needs anyway: the language model.)
DEDUP_EXTRA_MODULES = frozenset({"rensa", "xxhash"})

# Modules of the optional extras, and the extra that installs each.
EXTRA_OF_MODULE = {
    **{name: "release" for name in
       ("datasets", "pyarrow", "huggingface_hub", "matplotlib", "mlcroissant")},
    **{name: "dedup" for name in DEDUP_EXTRA_MODULES},
    "ray": "distributed",
}


def install_command(extra: str) -> str:
    return f"pip install -e '.[{extra}]' (or pip install 'news-builder[{extra}]')"


def missing_extra(error: ModuleNotFoundError, who: str) -> str | None:
    """`who needs the X extra (...): pip install ...` when `error` is a module of an
    optional extra; None when it is not (a bug in the package, to be shown as one)."""
    extra = EXTRA_OF_MODULE.get((error.name or "").partition(".")[0])
    if extra is None:
        return None
    return f"{who} needs the {extra} extra ({error}): {install_command(extra)}"


def dedup_module(who: str, name: str = "builder.dedup") -> ModuleType:
    """The dedup stage's module `name`, or a BuilderError saying `who` needs the dedup
    extra and how to install it (the one place a missing dedup extra is reported)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        message = missing_extra(error, who)
        if message is None:
            raise  # not an optional dependency: a bug, shown with its traceback
        raise BuilderError(message) from None
