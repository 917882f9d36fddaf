"""A release loads with `datasets.load_dataset` with the declared types and every value as written.

The records are chosen to hit the JSON loader's known traps: date strings it would turn
into timestamps, columns that are all null (or empty lists) in the first shard and filled
in later ones, and a split count that must match the card's.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.config import load_config
from builder.release.shards import read_release_records, shard_paths
from builder.release.verify import verify_release
from builder.release.write import ReleaseContent, write_release
from builder.schema_features import canonical_json, features_from_schema, record_fields
from builder.validate.schema import load_schema

from .release_corpus import make_record, write_config, write_records_file

datasets = pytest.importorskip("datasets")

# An array-of-objects field, as the dedup stage adds (schema 1.1): the derivation must
# handle it without code changes.
MERGED_COPIES = {
    "description": "Copies merged into this record.",
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "source_url", "method"],
        "properties": {
            "id": {"type": "string", "description": "Id the copy would have had."},
            "source_url": {"type": ["string", "null"], "description": "URL of the copy."},
            "method": {"type": "string", "description": "How it was found."},
        },
    },
}


def extended_schema() -> dict[str, Any]:
    schema = copy.deepcopy(load_schema())
    schema["x-schema-version"] = "1.1.0"
    schema["properties"]["merged_copies"] = MERGED_COPIES
    schema["required"] = [*dict.fromkeys([*schema["required"], "merged_copies"])]
    return schema


def trap_records() -> list[dict[str, Any]]:
    """Early records (first shards) have nulls and empty lists where later ones have values."""
    records = []
    for i in range(24):
        early = i < 8
        record = make_record(
            i,
            merged_copies=[]
            if early
            else [
                {
                    "id": f"{1000 + i:016x}",
                    "source_url": None if i % 2 else f"https://mirror.example/{i}",
                    "method": "exact_text",
                }
            ],
        )
        if early:
            record.update(source_url=None, publish_date=None, authors=[])
            record["provenance"]["fetched_at"] = None
        records.append(record)
    return records


@pytest.fixture(scope="module")
def hf_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("hf-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("HF_DATASETS_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("release-load")
    (root / "pages").mkdir()
    (root / "manifest.csv").write_text("path,url,fetched_at\n")
    config = load_config(write_config(root, shard_size=1500))
    schema = extended_schema()
    records = trap_records()
    content = ReleaseContent(
        records=write_records_file(root / "records.jsonl", records),
        schema=schema,
        schema_bytes=json.dumps(schema).encode(),
        build={"pages": 24, "records": 24, "rejects": 0},
    )
    folder = root / "1.0.0"
    folder.mkdir()
    write_release(folder, config, "1.0.0", content)
    return folder


def _card_rows(release: Path) -> int:
    from builder.card.render import split_card

    meta, _ = split_card((release / "README.md").read_text(encoding="utf-8"))
    return int(meta["dataset_info"]["splits"][0]["num_examples"])


def _assert_same(dataset: Any, records: list[dict[str, Any]], schema: dict[str, Any]) -> None:
    fields = record_fields(schema)
    assert len(dataset) == len(records)
    for row, record in zip(dataset, records, strict=True):
        assert canonical_json(row, fields) == canonical_json(record, fields), record["id"]


def test_first_shard_has_only_nulls_where_later_shards_have_values(release: Path) -> None:
    shards = shard_paths(release)
    assert len(shards) >= 3
    first = [json.loads(line) for line in gzip.open(shards[0], "rt", encoding="utf-8")]
    assert all(r["source_url"] is None and r["merged_copies"] == [] for r in first)
    assert all(r["provenance"]["fetched_at"] is None for r in first)


def test_load_dataset_on_the_folder_gives_declared_features_and_written_values(
    release: Path, hf_env: Path
) -> None:
    schema = extended_schema()
    dataset = datasets.load_dataset(str(release), split="train", cache_dir=str(hf_env / "folder"))
    assert dataset.features == features_from_schema(schema)
    assert dataset.features["publish_date"] == datasets.Value("date32")
    assert dataset.features["provenance"]["fetched_at"] == datasets.Value("timestamp[s, tz=UTC]")
    records = read_release_records(release)
    _assert_same(dataset, records, schema)
    assert len(dataset) == _card_rows(release) == len(trap_records())
    dated = next(row for row in dataset if row["publish_date"] is not None)
    assert isinstance(dated["publish_date"], dt.date) and not isinstance(
        dated["publish_date"], dt.datetime
    )


def _load_typed(loader: str, files: list[str], schema: dict, cache: Path) -> Any:
    """The files through a generic `datasets` loader, given the schema's declared features."""
    return datasets.load_dataset(
        loader,
        data_files=files,
        features=features_from_schema(schema),
        split="train",
        cache_dir=str(cache),
    )


def test_json_loader_with_the_declared_features_reads_the_same(release: Path, hf_env: Path) -> None:
    schema = extended_schema()
    files = [str(p) for p in shard_paths(release)]
    dataset = _load_typed("json", files, schema, hf_env / "json")
    assert dataset.features == features_from_schema(schema)
    _assert_same(dataset, read_release_records(release), schema)


def test_stale_split_count_is_refused_by_the_loader_and_by_verify(
    release: Path, hf_env: Path, tmp_path: Path
) -> None:
    stale = tmp_path / "1.0.0"
    shutil.copytree(release, stale)
    card = stale / "README.md"
    rows = _card_rows(release)
    card.write_text(
        card.read_text(encoding="utf-8").replace(
            f"num_examples: {rows}", f"num_examples: {rows + 1}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        datasets.load_dataset(str(stale), split="train", cache_dir=str(hf_env / "stale"))
    problems = verify_release(stale)
    assert any("num_examples" in p for p in problems)
    assert any("README.md: SHA-256 differs" in p for p in problems)


def test_verify_with_load_passes_on_a_fresh_release(release: Path) -> None:
    assert verify_release(release, load=True) == []


def test_optional_parquet_copy_loads_with_the_same_features_and_values(
    tmp_path: Path, hf_env: Path
) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "manifest.csv").write_text("path,url,fetched_at\n")
    config = load_config(write_config(tmp_path, shard_size=1500, parquet=True))
    schema = extended_schema()
    records = trap_records()
    folder = tmp_path / "1.0.0"
    folder.mkdir()
    content = ReleaseContent(
        records=write_records_file(tmp_path / "records.jsonl", records),
        schema=schema,
        schema_bytes=json.dumps(schema).encode(),
    )
    write_release(folder, config, "1.0.0", content)
    files = sorted(str(p) for p in (folder / "parquet").glob("*.parquet"))
    assert len(files) == len(shard_paths(folder))
    # Parquet has no seconds unit: timestamps are stored in milliseconds, so the
    # declared features are passed to get the release's types back.
    dataset = _load_typed("parquet", files, schema, hf_env / "pq")
    assert dataset.features == features_from_schema(schema)
    _assert_same(dataset, records, schema)
    assert verify_release(folder) == []
