"""Write every file of a release into a (staging) folder from its final records and reports."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..card.data import LICENSE_FILE, CardInput
from ..card.figures import draw_figures
from ..card.render import render_card, render_license
from ..config import DatasetConfig
from ..digests import sha256_file
from ..model import Changes
from ..write.jsonl import atomic_output, read_jsonl, write_jsonl
from . import layout
from .changelog import NOT_KEPT, ChangeTracker, write_changelog
from .checksums import write_sums
from .croissant import croissant_metadata
from .shards import iter_release_records
from .stream import BATCH_RECORDS, ReleaseData, write_data
from .takedowns import TOMBSTONES


@dataclass
class ReleaseContent:
    """The final data of a release and the reports that explain how it was made, as files."""

    records: Path  # JSONL, deduplicated, sorted by id, as the builder writes lines (dumps_line)
    schema: dict[str, Any]
    schema_bytes: bytes  # the schema file exactly as it was used
    rejects: Path | None = None  # JSONL, one row per page that did not become a record
    build: dict[str, Any] = field(default_factory=dict)  # build Summary as JSON
    dedup_report: Path | None = None  # JSONL, one row per record removed as a duplicate
    dedup_stats: dict[str, Any] = field(default_factory=dict)
    dedup_params: dict[str, Any] = field(default_factory=dict)
    previous_version: str | None = None
    previous_release: Path | None = None  # its folder: the changelog compares record by record
    removed_reasons: dict[str, str] = field(default_factory=dict)  # id -> why (takedowns)
    default_reason: str = NOT_KEPT  # why any other record of the previous release is gone
    tombstones: list[dict[str, Any]] = field(default_factory=list)  # reports/takedowns.jsonl
    corrected: list[str] = field(default_factory=list)  # ids kept by re-crawled pages
    progress: bool = False
    batch_records: int = BATCH_RECORDS  # records to Arrow at once (no output depends on it)


def _rows(path: Path | None) -> Iterator[Any]:
    return (value for _, value in read_jsonl(path)) if path is not None else iter(())


def copy_report(source: Path | None, target: Path, methods: Counter[str] | None = None) -> int:
    """Re-write a JSONL report into the release row by row; returns its rows, counting `method`s."""

    def rows() -> Iterator[Any]:
        for row in _rows(source):
            if methods is not None:
                methods[str(row.get("method", "unspecified"))] += 1
            yield row

    return write_jsonl(target, rows())


def _write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def _release_info(
    config: DatasetConfig,
    version: str,
    content: ReleaseContent,
    data: ReleaseData,
    rejects: int,
    duplicates: int,
) -> dict[str, Any]:
    return {
        "name": config.name,
        "version": version,
        "date": config.note(version).date,
        "previous_version": content.previous_version,
        "builder_version": __version__,
        "schema_version": content.schema.get("x-schema-version"),
        "repo_id": config.repo_id,
        "mode": config.mode,
        "parameters": {"shard_bytes": config.shard_bytes, "dedup": content.dedup_params},
        "counts": {
            "records": data.stats.rows,
            "pages": content.build.get("pages"),
            "rejects": rejects,
            "duplicates_removed": duplicates,
            "taken_down": len(content.removed_reasons),
            "tombstones": len(content.tombstones),
            "recrawled_pages_given_their_released_id": len(content.corrected),
        },
        "dedup_stats": content.dedup_stats,
        "changes": data.changes.to_json(),
        "data_files": data.data_files,
    }


def _write_data(
    root: Path, config: DatasetConfig, version: str, content: ReleaseContent
) -> ReleaseData:
    """Shards, Parquet and CHANGELOG.md, from one pass over the records
    (and the previous release)."""
    previous = (
        iter_release_records(content.previous_release) if content.previous_release else iter(())
    )
    with tempfile.TemporaryDirectory(prefix=".changelog-", dir=root.parent) as work:
        tracker = ChangeTracker(
            content.previous_version,
            previous,
            Path(work),
            content.removed_reasons,
            content.default_reason,
        )
        try:
            data = write_data(
                content.records,
                root,
                content.schema,
                config.shard_bytes,
                config.parquet,
                tracker,
                content.progress,
                content.batch_records,
            )
        finally:
            tracker.close()
        applied = [t for t in content.tombstones if t["dropped_in"] == version]
        write_changelog(root / layout.CHANGELOG, version, data.changes, Path(work), applied)
    return data


def write_release(
    root: Path, config: DatasetConfig, version: str, content: ReleaseContent
) -> Changes:
    """Every file of the release under root, SHA256SUMS last; returns what changed since the
    previous release. Records are streamed, never all in memory."""
    data = _write_data(root, config, version, content)
    write_jsonl(root / TOMBSTONES, content.tombstones)
    _write_bytes(root / layout.SCHEMA, content.schema_bytes)
    rejects = copy_report(content.rejects, root / layout.REJECTS)
    removed: Counter[str] = Counter()
    duplicates = copy_report(content.dedup_report, root / layout.DEDUP_REPORT, removed)
    card = CardInput(
        config=config,
        version=version,
        schema=content.schema,
        stats=data.stats,
        num_bytes=data.num_bytes,
        download_size=sum((root / name).stat().st_size for name in data.data_files),
        changes=data.changes,
        build=content.build,
        dedup_removed=dict(sorted(removed.items())),
        dedup_params=content.dedup_params,
        figures=draw_figures(data.stats, root),
        parquet_files=data.parquet_files,
        tombstones=len(content.tombstones),
        taken_down=len(content.removed_reasons),
    )
    _write_bytes(root / layout.CARD, render_card(card).encode())
    license_text = render_license(config, version)
    if license_text is not None:
        _write_bytes(root / LICENSE_FILE, license_text.encode())
    digests = {name: sha256_file(root / name) for name in data.data_files}
    croissant = croissant_metadata(config, version, content.schema, digests)
    _write_bytes(
        root / layout.CROISSANT,
        json.dumps(croissant, indent=2, ensure_ascii=False).encode() + b"\n",
    )
    info = _release_info(config, version, content, data, rejects, duplicates)
    _write_bytes(root / layout.RELEASE_INFO, orjson.dumps(info, option=orjson.OPT_INDENT_2) + b"\n")
    write_sums(root, known=digests)
    return data.changes
