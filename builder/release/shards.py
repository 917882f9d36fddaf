"""Data files of a release: records as gzip JSONL shards cut by size, named as the Hub expects.

Shard names follow the Hub's data-file convention `data/<split>-NNNNN-of-MMMMM.jsonl.gz`,
so the split is recognised even without the card's `configs`. Bytes depend only on the
records: lines are written with sorted keys, gzip has mtime 0 and no file name.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..errors import BuilderError
from ..model import Record
from ..write.jsonl import atomic_output, dumps_line

DATA_DIR = "data"
SPLIT = "train"
SHARD_PATTERN = re.compile(rf"^{SPLIT}-(\d{{5}})-of-(\d{{5}})\.jsonl\.gz$")
DATA_FILES_GLOB = f"{DATA_DIR}/{SPLIT}-*.jsonl.gz"
# zlib level 6 is gzip's own default: within a few percent of level 9 at a third of the time.
GZIP_LEVEL = 6


def shard_name(index: int, count: int) -> str:
    return f"{DATA_DIR}/{SPLIT}-{index:05d}-of-{count:05d}.jsonl.gz"


def plan_shards(lines: list[bytes], max_bytes: int) -> list[list[bytes]]:
    """Consecutive groups of lines, each at most `max_bytes` uncompressed (one long line may exceed it)."""
    shards: list[list[bytes]] = [[]]
    size = 0
    for line in lines:
        if shards[-1] and size + len(line) > max_bytes:
            shards.append([])
            size = 0
        shards[-1].append(line)
        size += len(line)
    return shards


def write_gzip(path: Path, chunks: list[bytes]) -> None:
    """A gzip file whose bytes depend only on its content (mtime 0, no name in the header)."""
    with atomic_output(path) as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as handle:
        for chunk in chunks:
            handle.write(chunk)


def write_shards(records: list[Record], root: Path, max_bytes: int) -> list[str]:
    """Write records (already sorted by id) into shards under root; returns their relative paths."""
    if not records:
        raise BuilderError("no records to release: every page was rejected or removed (see the rejects list)")
    groups = plan_shards([dumps_line(r) for r in records], max_bytes)
    names = [shard_name(i, len(groups)) for i in range(len(groups))]
    for name, group in zip(names, groups, strict=True):
        write_gzip(root / name, group)
    return names


PARQUET_DIR = "parquet"
PARQUET_GLOB = f"{PARQUET_DIR}/{SPLIT}-*.parquet"


def write_parquet(records: list[Record], schema: dict[str, Any], root: Path, data_files: list[str]) -> list[str]:
    """The same shards as Parquet (same cut, same order), typed by the schema's features.

    pyarrow writes no time into Parquet files, so the bytes depend only on the data and
    the pyarrow version. Parquet has no second-precision timestamps (they are stored as
    milliseconds); the features are kept as the `huggingface` schema metadata, and the
    card tells users to pass them when loading the Parquet copy.
    """
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..schema_features import features_from_schema, json_to_python, record_fields

    features = features_from_schema(schema)
    metadata = {"huggingface": json.dumps({"info": {"features": features.to_dict()}}, sort_keys=True)}
    arrow_schema = features.arrow_schema.with_metadata(metadata)
    fields = record_fields(schema)
    names, start = [], 0
    for index, name in enumerate(data_files):
        count = sum(1 for _ in iter_shard_lines(root / name))
        rows = [json_to_python(r, fields) for r in records[start:start + count]]
        start += count
        target = root / f"{PARQUET_DIR}/{SPLIT}-{index:05d}-of-{len(data_files):05d}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(target) as handle:
            pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema), handle, compression="zstd")
        names.append(target.relative_to(root).as_posix())
    return names


def shard_paths(release: Path) -> list[Path]:
    """The release's data shards in order; a missing or broken set is a fatal error."""
    folder = release / DATA_DIR
    found = sorted(p for p in folder.glob("*.jsonl.gz")) if folder.is_dir() else []
    if not found:
        raise BuilderError(f"{folder}: no data shards ({DATA_FILES_GLOB}) found")
    for index, path in enumerate(found):
        match = SHARD_PATTERN.match(path.name)
        if not match or int(match.group(1)) != index or int(match.group(2)) != len(found):
            raise BuilderError(f"{path}: shard {index} of {len(found)} should be named "
                               f"{shard_name(index, len(found))}")
    return found


def iter_shard_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with gzip.open(path, "rb") as handle:
            yield from enumerate(handle, start=1)
    except (OSError, EOFError) as exc:
        raise BuilderError(f"{path}: not a readable gzip file: {exc}") from None


def read_release_records(release: Path) -> list[Record]:
    """Every record of a release, shard by shard; a bad line is a fatal error naming it."""
    records = []
    for path in shard_paths(release):
        for number, line in iter_shard_lines(path):
            try:
                records.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise BuilderError(f"{path}:{number}: not valid JSON: {exc}") from None
    return records
