"""Between build and dedup: takedowns applied, re-crawled pages given their released id.

Two streamed passes, before the dedup stage sees a record:

- over the previous release: taken-down records (and taken-down entries of
  `merged_copies`) are dropped into a work file, only when a takedown is in force; the
  ids of released records *without a source URL* are noted by the file they came from
  (raw path and publication);
- over the built records: taken-down records are dropped, and a page read again from the
  file of such a released record gets that record's id.

Why the second rule: an id comes from the normalized URL, or, without a URL, from the
publication, publish date and title. A corrected headline of a page without a URL would
otherwise get a new id, and the corrected page would be merged into its own older
version as a copy (old title kept, provenance pointing at bytes that no longer exist).
Given the released id, the dedup stage treats it as an update of that record: the
newest fetch's content and provenance, the same id, no copy of itself. Pages from WARC
files are left out (one WARC file holds many pages), and so are pages whose URLs both
sides know and differ. Memory: one entry per released record without a URL.

In snapshot mode (`mode: snapshot` in dataset.yaml) the previous release is read for
those ids only: the release holds the records of its own inputs, nothing carried over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Record
from ..write.jsonl import read_jsonl, write_jsonl
from .shards import iter_release_records
from .takedowns import TakedownFilter, Tombstone

FileKey = tuple[str, str]  # (raw path, publication)


@dataclass
class Prepared:
    records: Path  # the built records to deduplicate
    previous: Path | None  # previous release records for the dedup stage (folder or file)
    corrected: list[str] = field(default_factory=list)  # ids given to re-crawled pages
    taken_down: dict[str, Tombstone] = field(default_factory=dict)  # id -> tombstone


def file_key(record: Record) -> FileKey | None:
    """Which file a record was read from, when that file holds one page only."""
    provenance = record.get("provenance") or {}
    path = provenance.get("raw_path")
    if not path or provenance.get("container") == "warc":
        return None
    return str(path), str(record.get("publication"))


class ReleasedIds:
    """Released ids of records without a URL, by the file they were read from."""

    def __init__(self) -> None:
        self._ids: dict[FileKey, str | None] = {}

    def note(self, record: Record) -> Record:
        key = file_key(record)
        if key is not None and not record.get("source_url"):
            # two released records of one file and publication: ambiguous, never used
            self._ids[key] = None if key in self._ids else str(record["id"])
        return record

    def released_id(self, record: Record) -> str | None:
        """The id a re-crawl of a released page keeps; None when it is not one."""
        key = file_key(record)
        return self._ids.get(key) if key is not None else None


def _previous_records(
    folder: Path, ids: ReleasedIds, takedowns: TakedownFilter
) -> Iterator[Record]:
    for record in iter_release_records(folder):
        ids.note(record)
        kept = takedowns.apply(record) if takedowns else record
        if kept is not None:
            yield kept


def _built_records(
    path: Path, ids: ReleasedIds, takedowns: TakedownFilter, corrected: list[str]
) -> Iterator[Record]:
    for _, record in read_jsonl(path):
        released = ids.released_id(record)
        if released is not None and released != record["id"]:
            corrected.append(released)
            record = {**record, "id": released}
        kept = takedowns.apply(record) if takedowns else record
        if kept is not None:
            yield kept


def prepare_records(
    built: Path,
    previous: Path | None,
    takedowns: TakedownFilter,
    work: Path,
    cumulative: bool = True,
) -> Prepared:
    """The inputs of the dedup stage, with takedowns applied and released ids kept."""
    ids = ReleasedIds()
    previous_input: Path | None = None
    if previous is not None:
        records = _previous_records(previous, ids, takedowns)
        if cumulative and takedowns:
            previous_input = work / "previous.jsonl"
            write_jsonl(previous_input, records)
        else:
            for _ in records:  # only the ids are needed
                pass
            previous_input = previous if cumulative else None
    corrected: list[str] = []
    if not takedowns and previous is None:
        return Prepared(built, None)
    ready = work / "records.ready.jsonl"
    write_jsonl(ready, _built_records(built, ids, takedowns, corrected))
    return Prepared(ready, previous_input, sorted(corrected), dict(takedowns.removed))
