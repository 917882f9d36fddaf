"""The dedup step of `builder build`: the parse stage's records.jsonl, deduplicated in place."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .cli import REPORT_FILE
from .core import WORK_PREFIX, Source, dedup_files
from .executor import Executor
from .params import DedupParams


def dedup_build_output(
    records_path: Path,
    out: Path,
    workers: int,
    progress: bool,
    against: Path | None = None,
    params: DedupParams | None = None,
    executor: Executor | None = None,
) -> dict[str, Any]:
    """Replace records_path by its survivors and write out/dedup_report.jsonl (both
    atomically, streaming: memory holds the dedup index, not the records); returns the
    stats for the build summary's "dedup" section."""
    for stale in out.glob(f"{WORK_PREFIX}*"):  # left by a killed run: the folder is this build's
        shutil.rmtree(stale, ignore_errors=True)
    sources = [Source(records_path)]
    if against:
        sources.insert(0, Source(against, previous=True))
    return dedup_files(sources, records_path, out / REPORT_FILE, params or DedupParams(),
                       workers=workers, progress=progress, executor=executor)
