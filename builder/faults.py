"""A page's unexpected exception as that page's `internal_error` reject.

A crawl of millions of pages holds shapes no parser was written for; a bug met by one
page must cost that page, never the build. The reject names the stage, the exception
and the `file:line` that raised it, so the bug can be reported and found.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from .model import Reject

# Paths in messages are cut to the part after these folders, so that rejects.jsonl is
# the same bytes on every machine (no home folders or virtualenv paths).
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def _where(error: BaseException) -> str:
    """`file:line` of the innermost frame that raised `error`."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "unknown place"
    frame = frames[-1]
    name = frame.filename
    if name.startswith(_PACKAGE_ROOT):
        name = name[len(_PACKAGE_ROOT):].lstrip("/\\")
    elif "site-packages" in name:
        name = name.rsplit("site-packages", 1)[1].lstrip("/\\")
    return f"{name}:{frame.lineno}"


def internal_error(
    stage: str, error: BaseException, raw_path: str, warc_record_id: str | None = None,
    url: str | None = None,
) -> Reject:
    """The reject of a page whose `stage` raised an exception it was not written to raise."""
    text = " ".join(str(error).split())[:300]
    message = (f"{stage} stage: {type(error).__name__}: {text} (at {_where(error)}); "
               "this is a bug in news-builder, please report it with this page")
    return Reject(raw_path, "internal_error", message, warc_record_id, url)
