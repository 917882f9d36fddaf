"""Write every file of a release into a (staging) folder from its final records and reports."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..card.data import CardInput
from ..card.figures import draw_figures
from ..card.render import render_card
from ..model import Record
from ..schema_features import arrow_nbytes
from ..write.jsonl import atomic_output, write_jsonl
from . import layout
from .changelog import compare, render_changelog
from .checksums import sha256_file, write_sums
from .config import DatasetConfig
from .croissant import croissant_metadata
from .shards import write_parquet, write_shards


@dataclass
class ReleaseContent:
    """The final data of a release and the reports that explain how it was made."""

    records: list[Record]  # deduplicated, sorted by id
    schema: dict[str, Any]
    schema_bytes: bytes  # the schema file exactly as it was used
    rejects: list[dict[str, Any]] = field(default_factory=list)
    build: dict[str, Any] = field(default_factory=dict)  # build Summary as JSON
    dedup_report: list[dict[str, Any]] = field(default_factory=list)
    dedup_stats: dict[str, Any] = field(default_factory=dict)
    dedup_params: dict[str, Any] = field(default_factory=dict)
    previous_version: str | None = None
    previous_records: list[Record] = field(default_factory=list)


def removed_by_method(report: list[dict[str, Any]]) -> dict[str, int]:
    """Duplicates removed, counted by the method that found them (the report's `method`)."""
    return dict(sorted(Counter(str(row.get("method", "unspecified")) for row in report).items()))


def _write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def _release_info(config: DatasetConfig, version: str, content: ReleaseContent,
                  data_files: list[str], changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": config.name, "version": version, "date": config.note(version).date,
        "previous_version": content.previous_version,
        "builder_version": __version__, "schema_version": content.schema.get("x-schema-version"),
        "parameters": {"shard_bytes": config.shard_bytes, "dedup": content.dedup_params},
        "counts": {"records": len(content.records), "pages": content.build.get("pages"),
                   "rejects": len(content.rejects), "duplicates_removed": len(content.dedup_report)},
        "dedup_stats": content.dedup_stats, "changes": changes, "data_files": data_files,
    }


def write_release(root: Path, config: DatasetConfig, version: str, content: ReleaseContent) -> None:
    """Every file of the release under root, SHA256SUMS last."""
    data_files = write_shards(content.records, root, config.shard_bytes)
    parquet_files = write_parquet(content.records, content.schema, root, data_files) if config.parquet else []
    _write_bytes(root / layout.SCHEMA, content.schema_bytes)
    write_jsonl(root / layout.REJECTS, content.rejects)
    write_jsonl(root / layout.DEDUP_REPORT, content.dedup_report)
    changes = compare(content.previous_version, content.previous_records, content.records)
    _write_bytes(root / layout.CHANGELOG, render_changelog(version, changes).encode())
    figures = draw_figures(content.records, root)
    card = CardInput(
        config=config, version=version, schema=content.schema, records=content.records,
        num_bytes=arrow_nbytes(content.records, content.schema),
        download_size=sum((root / name).stat().st_size for name in data_files),
        changes=changes, build=content.build, dedup_removed=removed_by_method(content.dedup_report),
        dedup_params=content.dedup_params, figures=figures, parquet_files=parquet_files,
    )
    _write_bytes(root / layout.CARD, render_card(card).encode())
    digests = {name: sha256_file(root / name) for name in data_files}
    croissant = croissant_metadata(config, version, content.schema, digests)
    _write_bytes(root / layout.CROISSANT, json.dumps(croissant, indent=2, ensure_ascii=False).encode() + b"\n")
    info = _release_info(config, version, content, data_files, changes.to_json())
    _write_bytes(root / layout.RELEASE_INFO, orjson.dumps(info, option=orjson.OPT_INDENT_2) + b"\n")
    write_sums(root)
