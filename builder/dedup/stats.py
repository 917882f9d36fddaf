"""The counts a dedup run reports (dedup_summary.json, the build summary's "dedup")."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from .params import DedupParams


@dataclass
class Counts:
    documents: int
    previous: int
    written: int
    updated: int
    refused: int
    bucket_pairs: int
    oversized_buckets: int
    verified: int
    near: int


def dedup_stats(
    counts: Counts, report: list[dict[str, Any]], params: DedupParams
) -> dict[str, Any]:
    by_method = {m: 0 for m in ("url", "exact", "id", "near")}
    for row in report:
        by_method[row["method"]] += 1
    return {
        "input_records": counts.documents - counts.previous,
        "previous_records": counts.previous,
        "output_records": counts.written,
        # every previous id is written exactly once (updated or not), every other record is new
        "added_records": counts.written - counts.previous,
        "updated_records": counts.updated,
        "removed_records": len(report),
        "removed_by_method": by_method,
        "merged_clusters": len({row["kept_id"] for row in report}),
        "candidate_pairs": counts.bucket_pairs,
        "oversized_buckets": counts.oversized_buckets,
        "verified_pairs": counts.verified,
        "near_duplicate_pairs": counts.near,
        "refused_links": counts.refused,
        "params": params.to_json(),
        "minhash": {"library": "rensa", "version": version("rensa")},
    }
