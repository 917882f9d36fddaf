"""Data files of a release: records as gzip JSONL shards cut by size, named as the Hub expects.

Shard names follow the Hub's data-file convention `data/<split>-NNNNN-of-MMMMM.jsonl.gz`,
so the split is recognised even without the card's `configs`. Bytes depend only on the
records: lines are written with sorted keys, gzip has mtime 0 and no file name.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import DATA_DIR, DATA_FILES_GLOB, PARQUET_DIR, SPLIT
from ..errors import BuilderError
from ..model import Record
from ..write.jsonl import atomic_output, read_jsonl

SHARD_PATTERN = re.compile(rf"^{SPLIT}-(\d{{5}})-of-(\d{{5}})\.jsonl\.gz$")
# zlib level 6 is gzip's own default: within a few percent of level 9 at a third of the time.
GZIP_LEVEL = 6


def shard_name(index: int, count: int) -> str:
    return f"{DATA_DIR}/{SPLIT}-{index:05d}-of-{count:05d}.jsonl.gz"


def plan_shards(line_sizes: Iterable[int], max_bytes: int) -> list[int]:
    """Line counts of consecutive shards, each at most `max_bytes` uncompressed.

    One long line may exceed it.
    """
    counts = [0]
    size = 0
    for length in line_sizes:
        if counts[-1] and size + length > max_bytes:
            counts.append(0)
            size = 0
        counts[-1] += 1
        size += length
    return counts


def line_sizes(path: Path) -> Iterator[int]:
    """Bytes of each line of a JSONL file, without parsing it (the plan of the shards)."""
    with path.open("rb") as handle:
        for line in handle:
            yield len(line)


@contextmanager
def gzip_output(path: Path) -> Iterator[gzip.GzipFile]:
    """A gzip file, written atomically, whose bytes depend only on its content
    (mtime 0, no name)."""
    with (
        atomic_output(path) as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL
        ) as handle,
    ):
        yield handle


def parquet_name(index: int, count: int) -> str:
    return f"{PARQUET_DIR}/{SPLIT}-{index:05d}-of-{count:05d}.parquet"


def parquet_schema(schema: dict[str, Any]) -> Any:
    """The Arrow schema of the Parquet copy: the features, kept as `huggingface` metadata too.

    pyarrow writes no time into Parquet files, so the bytes depend only on the data and
    the pyarrow version. Parquet has no second-precision timestamps (they are stored as
    milliseconds); the card tells users to pass the features when loading the copy.
    """
    import json

    from ..schema_features import features_from_schema

    features = features_from_schema(schema)
    metadata = {
        "huggingface": json.dumps({"info": {"features": features.to_dict()}}, sort_keys=True)
    }
    return features.arrow_schema.with_metadata(metadata)


def write_parquet_shard(target: Path, tables: list[Any], arrow_schema: Any) -> None:
    """One Parquet file from one shard's record batches, as a single chunk per column.

    The batches are joined first so the file (row group and page cuts) is the same as
    if the shard had been converted at once; memory is one shard's Arrow size, twice.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.concat_tables(tables).combine_chunks() if tables else arrow_schema.empty_table()
    with atomic_output(target) as handle:
        pq.write_table(
            table.replace_schema_metadata(arrow_schema.metadata), handle, compression="zstd"
        )


def shard_paths(release: Path) -> list[Path]:
    """The release's data shards in order; a missing or broken set is a fatal error."""
    folder = release / DATA_DIR
    found = sorted(p for p in folder.glob("*.jsonl.gz")) if folder.is_dir() else []
    if not found:
        raise BuilderError(f"{folder}: no data shards ({DATA_FILES_GLOB}) found")
    for index, path in enumerate(found):
        match = SHARD_PATTERN.match(path.name)
        if not match or int(match.group(1)) != index or int(match.group(2)) != len(found):
            raise BuilderError(
                f"{path}: shard {index} of {len(found)} should be named "
                f"{shard_name(index, len(found))}"
            )
    return found


def iter_shard_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines of a shard, for verify, which reports every bad line rather
    than stopping at the first as read_jsonl does."""
    try:
        with gzip.open(path, "rb") as handle:
            yield from enumerate(handle, start=1)
    except (OSError, EOFError) as exc:
        raise BuilderError(f"{path}: not a readable gzip file: {exc}") from None


def iter_release_records(release: Path) -> Iterator[Record]:
    """Every record of a release, shard by shard, one at a time.

    A bad line is a fatal error naming it.
    """
    for path in shard_paths(release):
        for _, record in read_jsonl(path):
            yield record


def read_release_records(release: Path) -> list[Record]:
    """Every record of a release as a list.

    For tests and small releases; the release flow streams.
    """
    return list(iter_release_records(release))
