"""The data of a release, written in one pass over its final records file.

The records file (as the dedup stage writes it: one `dumps_line` per record, sorted by
id) is read twice: once for line sizes only (the shard cut, so shard names carry their
count from the start), then record by record into the JSONL shards, the optional Parquet
copy (one shard's Arrow batches at a time), the counts the card and figures show, the
Arrow size of the split, and the changelog's merge join with the previous release.
Memory: one Arrow batch, one shard's batches with Parquet on, and the counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..card.stats import RecordStats
from ..errors import BuilderError
from ..model import Changes, Record
from ..progress import progress_bar
from ..schema_features import ArrowSize, arrow_table
from ..write.jsonl import dumps_line
from .changelog import ChangeTracker
from .shards import (
    gzip_output,
    line_sizes,
    parquet_name,
    parquet_schema,
    plan_shards,
    shard_name,
    write_parquet_shard,
)

# Records converted to Arrow at once: large enough that per-batch overhead is small,
# small enough that a batch of long articles stays a few MB.
BATCH_RECORDS = 1000


@dataclass
class ReleaseData:
    """What was written and what the card, changelog and release.json say about it."""

    data_files: list[str]
    parquet_files: list[str]
    stats: RecordStats
    num_bytes: int  # Arrow size of the split (schema_features.ArrowSize)
    changes: Changes


class _Sinks:
    """Everything a record feeds besides its shard line: counts, Arrow batches, changelog."""

    def __init__(self, schema: dict[str, Any], parquet: bool, tracker: ChangeTracker,
                 batch_records: int = BATCH_RECORDS):
        self.schema, self.parquet, self.tracker = schema, parquet, tracker
        self.batch_records = batch_records
        self.stats, self.size = RecordStats(), ArrowSize()
        self.batch: list[Record] = []
        self.tables: list[Any] = []  # this shard's Arrow batches, kept only for Parquet

    def add(self, record: Record) -> None:
        self.stats.add(record)
        self.tracker.add(record)
        self.batch.append(record)
        if len(self.batch) >= self.batch_records:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            table = arrow_table(self.batch, self.schema)
            self.size.add(table)
            if self.parquet:
                self.tables.append(table)
            self.batch = []

    def end_shard(self, parquet_target: Path | None) -> None:
        self._flush()
        if parquet_target is not None:
            write_parquet_shard(parquet_target, self.tables, parquet_schema(self.schema))
        self.tables = []


def _records(path: Path) -> Iterator[tuple[bytes, Record]]:
    """(line, record) of the final records file; ids must be strictly increasing. Not
    write.jsonl.read_jsonl: the shards are cut from these exact bytes, so each line must
    be the builder's own form (no blank line either) and is given back with its record."""
    last = None
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise BuilderError(f"{path}:{number}: not valid JSON: {exc}") from None
            if dumps_line(record) != line:  # the shard plan counted these exact bytes
                raise BuilderError(
                    f"{path}:{number}: not a record line as the builder writes it "
                    "(one JSON object, keys sorted, newline-terminated)"
                )
            record_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(record_id, str) or (last is not None and record_id <= last):
                raise BuilderError(
                    f"{path}:{number}: id {record_id!r} is not after {last!r} "
                    "(records must be sorted by unique id)"
                )
            last = record_id
            yield line, record


def write_data(
    records: Path,
    root: Path,
    schema: dict[str, Any],
    shard_bytes: int,
    parquet: bool,
    tracker: ChangeTracker,
    progress: bool = False,
    batch_records: int = BATCH_RECORDS,
) -> ReleaseData:
    """Shards (and Parquet files) of the release under root, with the counts gathered on the
    way; `progress` shows a bar of the records written on stderr; `batch_records` records
    go to Arrow at once (no output depends on it)."""
    counts = plan_shards(line_sizes(records), shard_bytes)
    if counts == [0]:
        raise BuilderError(
            "no records to release: every page was rejected or removed (see the rejects list)"
        )
    names = [shard_name(i, len(counts)) for i in range(len(counts))]
    parquet_names = [parquet_name(i, len(counts)) for i in range(len(counts))] if parquet else []
    sinks = _Sinks(schema, parquet, tracker, batch_records)
    lines = _records(records)
    with progress_bar(progress, total=sum(counts), unit=" records", desc="write") as bar:
        for index, count in enumerate(counts):
            with gzip_output(root / names[index]) as out:
                for line, record in itertools.islice(lines, count):
                    out.write(line)
                    sinks.add(record)
                    bar.update()
            sinks.end_shard(root / parquet_names[index] if parquet else None)
    return ReleaseData(names, parquet_names, sinks.stats, sinks.size.nbytes, tracker.finish())
