"""Which record of a cluster survives, and what it remembers of the others.

The survivor is, in order: a record of the previous release if the cluster has one
(with the content of its update, if the new input has one); otherwise the record with
the most complete provenance (source URL, publish date, fetch time, WARC record id,
authors: one point each), then the earliest publish date, then the smallest id. Records
with the same id (re-fetches of one page) are ordered by the latest fetch first, so an
update replaces the version it updates; the last tie-break is the record's bytes.
"""

from __future__ import annotations

from typing import Any

import xxhash

from ..model import Record
from ..write.jsonl import dumps_line

COPY_FIELDS = ("id", "publication", "source_url", "publish_date")
_NO_DATE = "9999-99-99"  # sorts after every real date: a dated record wins


def completeness(record: Record) -> int:
    """How many of the fields that trace an article back to its source are known."""
    provenance = record.get("provenance") or {}
    known = (
        record.get("source_url"),
        record.get("publish_date"),
        provenance.get("fetched_at"),
        provenance.get("warc_record_id"),
        record.get("authors"),
    )
    return sum(1 for value in known if value)


_NOT_DIGITS = {code: None for code in range(128) if not chr(code).isdigit()}


def _latest_first(fetched: str | None) -> int:
    """Sort key putting the latest fetch first: the schema's YYYY-MM-DDTHH:MM:SSZ read
    as one number, negated (unknown or malformed sorts last)."""
    try:
        return -int((fetched or "").translate(_NOT_DIGITS))
    except ValueError:
        return 1


def fetched_later(first: Record, second: Record) -> bool:
    """Whether `first` was fetched after `second`, both fetch times known. A new record
    with a released record's id replaces it unless the released one is the newer fetch
    (an older copy crawled late, from an archive say)."""
    one, two = (
        _latest_first((record.get("provenance") or {}).get("fetched_at"))
        for record in (first, second)
    )
    return one < 1 and two < 1 and one < two


def rank_key(record: Record, digest: bytes | None = None) -> tuple[Any, ...]:
    """Smaller is better; total, so the choice never depends on input order. `digest`
    (of the record's bytes) is the last tie-break; computed when not given."""
    fetched = (record.get("provenance") or {}).get("fetched_at")
    if digest is None:
        digest = xxhash.xxh3_128_digest(dumps_line(record))
    return (
        -completeness(record),
        record.get("publish_date") or _NO_DATE,
        record["id"],
        _latest_first(fetched),
        digest,
    )


def copy_entry(record: Record) -> dict[str, Any]:
    """What a survivor keeps of a record merged into it."""
    return {name: record.get(name) for name in COPY_FIELDS}


def merged_copies(
    survivor_id: str, kept: list[dict[str, Any]], removed: list[Record]
) -> list[dict[str, Any]]:
    """The survivor's merged-copies list: what it already had, then the removed records
    (given best-ranked first; the first record of an id speaks for it) and what they
    had; one entry per id, sorted by id, never the survivor's own id."""
    entries: dict[str, dict[str, Any]] = {}
    for entry in kept:
        entries.setdefault(entry["id"], dict(entry))
    for record in removed:
        entries.setdefault(record["id"], copy_entry(record))
    for record in removed:
        for entry in record.get("merged_copies") or []:
            entries.setdefault(entry["id"], dict(entry))
    entries.pop(survivor_id, None)
    return [entries[key] for key in sorted(entries)]
