"""Crawl manifests (CSV or JSONL: path, url, fetched_at) give pages their URL and fetch time."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import orjson

from ..errors import ConfigError
from ..normalize.dates import to_utc_timestamp

REQUIRED_COLUMNS = ("path", "url", "fetched_at")


@dataclass(frozen=True, slots=True)  # slots: a million-page manifest is a million of these
class ManifestEntry:
    url: str | None
    fetched_at: str | None


def _jsonl_rows(path: Path, lines: Iterable[str]) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not valid JSON: {exc}") from None
        if not isinstance(row, dict):
            raise ConfigError(
                f"{path}:{number}: each line must be a JSON object with path, url, fetched_at"
            )
        yield number, row


def _csv_rows(path: Path, handle: IO[str]) -> Iterator[tuple[int, dict]]:
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{path}:1: the CSV header lacks column(s) {', '.join(missing)}")
    yield from enumerate(reader, start=2)


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    """The manifest's rows with their line numbers, read as a stream: a manifest of a
    million pages is never held as text and as rows at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if path.suffix.lower() == ".jsonl":
                yield from _jsonl_rows(path, handle)
            else:
                yield from _csv_rows(path, handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read manifest: {exc}") from None


def _entry(path: Path, number: int, row: dict) -> tuple[str, ManifestEntry]:
    where = f"{path}:{number}"
    page_path = row.get("path")
    if not isinstance(page_path, str) or not page_path.strip():
        raise ConfigError(
            f"{where}: 'path' is empty; give the page's path relative to the input folder"
        )
    raw_time = row.get("fetched_at") or ""
    fetched_at = to_utc_timestamp(str(raw_time)) if raw_time else None
    if raw_time and fetched_at is None:
        raise ConfigError(f"{where}: fetched_at {raw_time!r} is not an ISO 8601 time")
    raw_url = row.get("url")
    if raw_url is not None and not isinstance(raw_url, str):
        raise ConfigError(f"{where}: 'url' must be a string or empty, not {raw_url!r}")
    url = (raw_url or "").strip() or None
    # "./a//b.txt" and "a\\b.txt" both name a/b.txt; PurePosixPath drops "." parts and
    # doubled slashes but keeps "..", so a path outside the input root never matches.
    key = PurePosixPath(page_path.strip().replace("\\", "/")).as_posix()
    return key, ManifestEntry(url=url, fetched_at=fetched_at)


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Map of page path (relative to the input root, forward slashes) to its URL and fetch time."""
    entries: dict[str, ManifestEntry] = {}
    for number, row in _rows(path):
        key, entry = _entry(path, number, row)
        if key in entries:
            raise ConfigError(f"{path}:{number}: path {key!r} is listed twice")
        entries[key] = entry
    return entries
