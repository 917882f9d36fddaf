"""A release is written and verified in a stream: memory does not grow with the records.

The pieces that replace whole-dataset computations are checked against those
computations (the Arrow size of one table, a dict-based comparison of two releases),
and the whole write and verify are run under tracemalloc at two corpus sizes.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from builder.release.changelog import NOT_KEPT, PROVENANCE, ChangeTracker, write_changelog
from builder.release.verify import verify_release
from builder.schema_features import (
    arrow_nbytes,
    features_from_schema,
    json_to_python,
    record_fields,
)
from builder.validate.schema import load_schema

from .release_corpus import make_record, paragraphs, write_test_release
from .test_release_load import extended_schema, trap_records


def _whole_table_nbytes(records: list[dict[str, Any]], schema: dict[str, Any]) -> int:
    rows = [json_to_python(r, record_fields(schema)) for r in records]
    return int(pa.Table.from_pylist(rows, schema=features_from_schema(schema).arrow_schema).nbytes)


def _varied(seed: int) -> list[dict[str, Any]]:
    """Records with nulls, empty and filled lists, in different places per seed."""
    rng = random.Random(seed)
    records = trap_records()
    rng.shuffle(records)
    for record in records:
        if rng.random() < 0.3:
            record["publish_date"] = None
        if rng.random() < 0.2:
            record["authors"] = [] if rng.random() < 0.5 else ["A", "B"]
        if rng.random() < 0.1:
            record["provenance"]["warc_record_id"] = "<urn:uuid:1>"
    return records


@pytest.mark.parametrize(("seed", "batch"), [(0, 1), (1, 3), (2, 7), (3, 24), (4, 100)])
def test_arrow_size_by_batches_is_the_size_of_one_table(seed: int, batch: int) -> None:
    schema = extended_schema()
    records = _varied(seed)
    assert arrow_nbytes(records, schema, batch=batch) == _whole_table_nbytes(records, schema)


def test_arrow_size_of_columns_all_null_or_empty() -> None:
    schema = extended_schema()
    records = [make_record(i, publish_date=None, source_url=None, authors=[]) for i in range(9)]
    assert arrow_nbytes(records, schema, batch=4) == _whole_table_nbytes(records, schema)


def _reference_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """The comparison done with both releases in dicts: the definition the stream must match."""
    before, after = {r["id"]: r for r in old}, {r["id"]: r for r in new}
    out: dict[str, list[str]] = {
        "added": sorted(set(after) - set(before)),
        "removed": [f"{i}: {NOT_KEPT}" for i in sorted(set(before) - set(after))],
        "updated": [],
        "provenance_only": [],
    }
    for i in sorted(set(before) & set(after)):
        fields = sorted(
            k
            for k in set(before[i]) | set(after[i])
            if k != PROVENANCE and before[i].get(k) != after[i].get(k)
        )
        if fields:
            out["updated"].append(f"{i} ({', '.join(fields)})")
        elif before[i].get(PROVENANCE) != after[i].get(PROVENANCE):
            out["provenance_only"].append(i)
    return out


def _section(text: str, title: str) -> list[str]:
    lines = text.split(f"## {title}\n\n", 1)[1].split("\n\n## ", 1)[0].splitlines()
    return [line[2:].replace("`", "") for line in lines if line.startswith("- ")]


@pytest.mark.parametrize("seed", range(4))
def test_changelog_merge_join_matches_the_dict_comparison(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    old = [make_record(i) for i in range(40) if rng.random() < 0.8]
    new = []
    for i in range(50):
        record = make_record(i)
        roll = rng.random()
        if roll < 0.15:
            continue  # removed (or never there)
        if roll < 0.3:
            record["title"] += " (corrected)"
        elif roll < 0.4:
            record["provenance"]["builder_version"] = "9.9.9"
        new.append(record)
    tracker = ChangeTracker("1.0.0", iter(old), tmp_path)
    for record in new:
        tracker.add(record)
    changes = tracker.finish()
    write_changelog(tmp_path / "CHANGELOG.md", "1.1.0", changes, tmp_path)
    text = (tmp_path / "CHANGELOG.md").read_text()
    expected = _reference_changes(old, new)
    for title, key in (
        ("Added", "added"),
        ("Removed", "removed"),
        ("Updated", "updated"),
        ("Provenance only", "provenance_only"),
    ):
        assert _section(text, title) == expected[key], title
        assert getattr(changes, key) == len(expected[key])
    assert changes.unchanged == len({r["id"] for r in old} & {r["id"] for r in new}) - len(
        expected["updated"]
    ) - len(expected["provenance_only"])


def _corpus(count: int) -> list[dict[str, Any]]:
    return [make_record(i, text="\n\n".join(paragraphs(i, 16, 60))) for i in range(count)]


def _peak(action: Any) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# Records to Arrow at once while writing and verifying: small, so that what is measured
# is what grows with the records, not one batch.
BATCH = 100


def _peaks(root: Path, records: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Peak allocation writing a release of the records, verifying it, characters of their texts.

    Returned as a tuple in that order.
    """
    written = _peak(lambda: write_test_release(root, records, shard_size="1MB", parquet=True,
                                               batch_records=BATCH))
    verified = _peak(lambda: verify_release(root / "1.0.0", arrow_batch=BATCH))
    return written, verified, sum(len(r["text"]) for r in records)


def test_write_and_verify_memory_does_not_grow_with_the_records(tmp_path: Path) -> None:
    """Python's peak allocation for 3x the records stays near the peak for 1x, and far
    below the records themselves (a list-based writer holds them all, several times)."""
    load_schema()
    warm = write_test_release(tmp_path / "warm", _corpus(150), shard_size="1MB", parquet=True,
                              batch_records=BATCH)
    verify_release(warm, arrow_batch=BATCH)  # imports, fonts and caches are not what is measured
    peaks = {count: _peaks(tmp_path / str(count), _corpus(count)) for count in (500, 1500)}
    small, large = peaks[500], peaks[1500]
    assert large[0] < small[0] * 1.5 and large[1] < small[1] * 1.5, peaks
    assert large[0] < large[2] / 2 and large[1] < large[2] / 2, peaks
