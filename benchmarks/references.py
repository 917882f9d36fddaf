"""The dedup side of the benchmark: the dedup stage itself, and shingling + MinHash alone.

Shingling and MinHash are the ceiling of the end-to-end rate on text dumps (every
record is hashed, whatever else the pipeline does), so they are timed alone on the
same records: with the builder's own functions when its dedup stage is installed, and
with datasketch (the common Python MinHash library) as the reference a user would
reach for.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

if TYPE_CHECKING:
    from .bench_pipeline import Row

# What the reference hashes: word 5-shingles into 128 permutations, the usual setting
# of near-duplicate detection on news text.
SHINGLE_WORDS = 5
NUM_PERM = 128
FEATURE_BATCH = 256  # documents per batch_features call, as the dedup stage batches them
# The library references are timed on the first records only: their rate per record does
# not depend on how many there are, and the slowest (datasketch) would otherwise
# dominate the run at 100k pages.
REFERENCE_SAMPLE = 10_000


def _texts(records: Path) -> Iterator[str]:
    with records.open("rb") as handle:
        for line in itertools.islice(handle, REFERENCE_SAMPLE):
            yield orjson.loads(line)["text"]


def datasketch_minhash(records: Path) -> tuple[float, int]:
    """Seconds to shingle and MinHash every record text with datasketch."""
    from datasketch import MinHash

    texts = list(_texts(records))
    started = time.perf_counter()
    for text in texts:
        words = text.split()
        shingles = {
            " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
            for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))
        }
        MinHash(num_perm=NUM_PERM).update_batch(list(shingles))
    return time.perf_counter() - started, len(texts)


def rensa_minhash(records: Path) -> tuple[float, int] | None:
    """The same with rensa (a MinHash library written in Rust), when it is installed."""
    try:
        from rensa import RMinHash
    except ImportError:
        return None
    texts = list(_texts(records))
    started = time.perf_counter()
    for text in texts:
        words = text.split()
        shingles = list(
            {
                " ".join(words[i : i + SHINGLE_WORDS])
                for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))
            }
        )
        RMinHash(num_perm=NUM_PERM, seed=1).update(shingles)
    return time.perf_counter() - started, len(texts)


def _builder_dedup() -> Any | None:
    try:
        from builder import dedup
    except ImportError:
        return None
    return dedup if hasattr(dedup, "deduplicate") else None


def _index_bytes(features: Any) -> int:
    """Bytes of the per-document arrays and digests the dedup stage keeps (its index)."""
    total = 0
    for value in vars(features).values():
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif isinstance(value, list):
            total += sum(
                len(item) + sys.getsizeof(b"") for item in value if isinstance(item, bytes)
            )
    return total


def dedup_rows(records: Path) -> list[Row]:
    """The builder's dedup stage on the records, and its shingling + MinHash alone."""
    from .bench_pipeline import Row

    dedup = _builder_dedup()
    if dedup is None:
        return []
    from builder.dedup.features import index_features

    loaded = [orjson.loads(line) for line in records.open("rb")]
    params = dedup.DedupParams()
    started = time.perf_counter()
    result = dedup.deduplicate(loaded, params=params)
    seconds = time.perf_counter() - started
    removed = result.stats["removed_records"]
    texts = [r["text"] for r in loaded]
    started, index = time.perf_counter(), 0
    for start in range(0, len(texts), FEATURE_BATCH):
        features = index_features(texts[start : start + FEATURE_BATCH], params)
        # what stays in memory: everything but the shingle sets, which go to a file
        index += _index_bytes(features) - features.set_values.nbytes - features.set_offsets.nbytes
    alone = time.perf_counter() - started
    per_doc = index / max(len(texts), 1)
    return [
        Row(
            "stage: dedup (deduplicate, one process)",
            len(loaded),
            seconds,
            note=f"{removed:,} duplicates removed",
        ),
        Row(
            "builder: shingles + MinHash alone (dedup index_features)",
            len(texts),
            alone,
            note=f"dedup index {per_doc:,.0f} bytes per record",
        ),
    ]


def minhash_rows(records: Path) -> list[Row]:
    from .bench_pipeline import Row

    rows = dedup_rows(records)
    seconds, count = datasketch_minhash(records)
    rows.append(
        Row(
            f"reference: datasketch word {SHINGLE_WORDS}-shingles + MinHash({NUM_PERM}) alone",
            count,
            seconds,
        )
    )
    measured = rensa_minhash(records)
    if measured:
        rows.append(
            Row(
                f"reference: rensa word {SHINGLE_WORDS}-shingles + MinHash({NUM_PERM}) alone",
                measured[1],
                measured[0],
            )
        )
    return rows
