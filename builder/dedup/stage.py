"""The dedup step of `builder build`: the parse stage's records.jsonl, deduplicated in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..write.jsonl import write_jsonl
from .cli import REPORT_FILE
from .core import deduplicate
from .params import DedupParams
from .records import read_records


def dedup_build_output(
    records_path: Path,
    out: Path,
    workers: int,
    progress: bool,
    against: Path | None = None,
    params: DedupParams | None = None,
) -> dict[str, Any]:
    """Replace records_path by its survivors and write out/dedup_report.jsonl (both
    atomically); returns the stats for the build summary's "dedup" section."""
    records = list(read_records(records_path))
    previous = list(read_records(against)) if against else []
    result = deduplicate(
        records, previous, params or DedupParams(), workers=workers, progress=progress
    )
    write_jsonl(records_path, result.survivors)
    write_jsonl(out / REPORT_FILE, result.report)
    return result.stats
