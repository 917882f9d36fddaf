"""Load a release with `datasets.load_dataset` and compare every row with the record written.

`datasets` memory-maps the Arrow cache it builds and the written records are streamed
from the shards, so the comparison holds one row of each side at a time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..model import Record
from ..schema_features import canonical_json, features_from_schema, record_fields
from .shards import iter_release_records

MAX_ROW_PROBLEMS = 20


@contextmanager
def offline_cache() -> Iterator[str]:
    """A throw-away datasets cache, with the Hub switched off: a local check never downloads."""
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")}
    os.environ.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    try:
        with tempfile.TemporaryDirectory(prefix="news-builder-hf-") as cache:
            yield cache
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def load_release(release: Path, cache_dir: str) -> Any:
    """The release's train split as `load_dataset` gives it to a user of the folder."""
    import datasets

    datasets.disable_progress_bars()
    return datasets.load_dataset(str(release), split="train", cache_dir=cache_dir)


def compare_rows(
    rows: Any, records: Iterable[Record], expected: int, schema: dict[str, Any]
) -> list[str]:
    """Row-by-row differences between loaded rows and the `expected` records written."""
    fields = record_fields(schema)
    problems = []
    if len(rows) != expected:
        problems.append(f"loaded {len(rows)} rows, the data files have {expected} records")
    for index, (row, record) in enumerate(zip(rows, records, strict=False)):
        loaded, written = canonical_json(row, fields), canonical_json(record, fields)
        if loaded != written:
            keys = sorted(k for k in set(loaded) | set(written) if loaded.get(k) != written.get(k))
            problems.append(
                f"row {index} (id {record.get('id')}): {', '.join(keys)} read back differently"
            )
            if len(problems) >= MAX_ROW_PROBLEMS:
                break
    return problems


def check_load(release: Path, schema: dict[str, Any], expected: int) -> list[str]:
    """Problems found by loading the release as a user would; empty when it round-trips."""
    with offline_cache() as cache:
        try:
            dataset = load_release(release, cache)
        except Exception as exc:  # any loader failure is a finding to report, not a crash
            return [f"{release}: load_dataset failed: {type(exc).__name__}: {exc}"]
        problems = []
        if dataset.features != features_from_schema(schema):
            problems.append(
                f"{release}: loaded features {dataset.features} differ from the schema's"
            )
        records = iter_release_records(release)
        problems.extend(f"{release}: {p}" for p in compare_rows(dataset, records, expected, schema))
        return problems
