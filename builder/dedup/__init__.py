"""Dedup stage: one record per story, with what was merged and why.

result = deduplicate(records, previous=read_records(release), params=DedupParams())
result.survivors  # sorted by id, each with merged_copies
result.report     # one row per removed record: kept id, method, similarity

dedup_files([Source(release, previous=True), Source(records_jsonl)], out, report)
                  # the same, streaming from files to files (memory: the index only)
"""

from __future__ import annotations

from .core import DedupResult, Source, dedup_files, deduplicate
from .params import DedupParams
from .records import read_records

__all__ = ["DedupParams", "DedupResult", "Source", "dedup_files", "deduplicate", "read_records"]
