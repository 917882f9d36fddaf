"""A publication's manifest (path,url,fetched_at per page), read to report every bad row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..normalize.dates import to_utc_timestamp
from ..normalize.urls import normalize_url
from ..read.manifest import REQUIRED_COLUMNS, ManifestEntry, jsonl_rows
from .findings import Finding, error


@dataclass(frozen=True)
class Row:
    line: int
    entry: ManifestEntry


@dataclass
class ContribManifest:
    """Rows by page path (relative to pages/), and what is wrong with the file."""

    shown: str
    rows: dict[str, Row] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _raw_rows(text: str, manifest: ContribManifest, jsonl: bool) -> list[tuple[int, dict]]:
    if jsonl:
        rows = []
        for number, row in jsonl_rows(text.splitlines()):
            if isinstance(row, str):
                manifest.findings.append(error(manifest.shown, number, "manifest_invalid", row))
            else:
                rows.append((number, row))
        return rows
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS]
    if missing or unknown:
        manifest.findings.append(
            error(
                manifest.shown,
                1,
                "manifest_invalid",
                f"the header must be exactly {','.join(REQUIRED_COLUMNS)} "
                f"(missing: {missing or 'none'}, unknown: {unknown or 'none'})",
            )
        )
        return []
    return list(enumerate(reader, start=2))


def _escapes(raw: str) -> bool:
    pure = PurePosixPath(raw)
    return (
        "\\" in raw or pure.is_absolute() or ".." in pure.parts or raw.startswith("~") or ":" in raw
    )


def _check_row(manifest: ContribManifest, pages_dir: Path, number: int, row: dict) -> None:
    def bad(code: str, message: str) -> None:
        manifest.findings.append(error(manifest.shown, number, code, message))

    raw_path = str(row.get("path") or "").strip()
    if not raw_path:
        return bad("manifest_invalid", "'path' is empty: give the page's path relative to pages/")
    if _escapes(raw_path):
        return bad(
            "path_escape",
            f"path {raw_path!r} leaves the pages/ folder: write it relative to "
            "pages/, with '/' and without '..'",
        )
    key = PurePosixPath(raw_path).as_posix()
    if key in manifest.rows:
        return bad(
            "manifest_invalid",
            f"path {key!r} is listed twice (first on line {manifest.rows[key].line})",
        )
    if not (pages_dir / key).is_file():
        hint = (
            " (paths are relative to pages/: drop the 'pages/' prefix)"
            if key.startswith("pages/")
            else ""
        )
        bad("manifest_invalid", f"no page {key!r} in {pages_dir.as_posix()}/{hint}")
    url_text = str(row.get("url") or "").strip()
    if url_text and normalize_url(url_text) is None:
        bad("manifest_invalid", f"url {url_text!r} is not an absolute http(s) URL")
    time_text = str(row.get("fetched_at") or "").strip()
    fetched_at = to_utc_timestamp(time_text) if time_text else None
    if time_text and fetched_at is None:
        bad(
            "manifest_invalid",
            f"fetched_at {time_text!r} is not an ISO 8601 time such as 2020-02-07T10:00:00Z",
        )
    manifest.rows[key] = Row(number, ManifestEntry(url_text or None, fetched_at))


def read_manifest(path: Path, shown: str, pages_dir: Path) -> ContribManifest:
    """Every row of a contribution manifest; a bad row is a finding, never an exception."""
    manifest = ContribManifest(shown)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        manifest.findings.append(
            error(shown, 1, "manifest_invalid", f"cannot read as UTF-8 text: {exc}")
        )
        return manifest
    for number, row in _raw_rows(text, manifest, path.suffix.lower() == ".jsonl"):
        _check_row(manifest, pages_dir, number, row)
    return manifest
