"""Crawl manifests (CSV or JSONL: path, url, fetched_at) give pages their URL and fetch time."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import urlsplit

import orjson

from ..errors import ConfigError
from ..normalize.dates import to_utc_timestamp
from ..write.jsonl import LineTooLong, bounded_lines

REQUIRED_COLUMNS = ("path", "url", "fetched_at")
NOT_AN_OBJECT = "each line must be a JSON object with path, url, fetched_at"
# Unused rows named in the build's warning: enough to spot a pattern (a wrong folder prefix,
# a typo), few enough to keep the warning short; summary.json counts them all.
UNUSED_ROWS_SHOWN = 5
# One row is a path, a URL (browsers cap them near 64 KiB) and a time: a longer line is
# not a manifest (`--manifest /dev/zero`, a binary file) and is refused before it is held.
MAX_LINE_CHARS = 64 * 1024


@dataclass(frozen=True, slots=True)  # slots: a million-page manifest is a million of these
class ManifestEntry:
    url: str | None
    fetched_at: str | None
    # What is wrong with the row's URL (`file:line: ...`), which is then not used.
    url_problem: str | None = None


def jsonl_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict | str]]:
    """Each non-blank line's number and its JSON object, or what is wrong with the line.

    The build stops at the first problem; the contribution check reports them all (so
    not write.jsonl.read_jsonl, which stops at the first; and a manifest is read as text,
    as a CSV manifest is: a UTF-8 BOM is allowed).
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield number, f"not valid JSON: {exc}"
            continue
        yield number, row if isinstance(row, dict) else NOT_AN_OBJECT


def _bounded_lines(path: Path, handle: IO[str]) -> Iterator[str]:
    """The file's lines, each checked against MAX_LINE_CHARS before it is held
    whole (write.jsonl.bounded_lines): `--manifest /dev/zero` is refused, not read."""
    try:
        for _, line in bounded_lines(handle, MAX_LINE_CHARS):
            yield line
    except LineTooLong as exc:
        raise ConfigError(
            f"{path}:{exc.number}: the line is over {MAX_LINE_CHARS} characters: "
            "not a manifest (one path, url, fetched_at per line)"
        ) from None


def _jsonl_rows(path: Path, lines: Iterable[str]) -> Iterator[tuple[int, dict]]:
    for number, row in jsonl_rows(lines):
        if isinstance(row, str):
            raise ConfigError(f"{path}:{number}: {row}")
        yield number, row


def _csv_header(path: Path, reader: csv.DictReader) -> None:
    header = reader.fieldnames or []
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        # DictReader keeps the last of two same-named columns: one page would get
        # another's URL without a word.
        raise ConfigError(f"{path}:1: the CSV header has column(s) {', '.join(twice)} twice")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ConfigError(f"{path}:1: the CSV header lacks column(s) {', '.join(missing)}")


def _csv_rows(path: Path, handle: IO[str]) -> Iterator[tuple[int, dict]]:
    """Rows with the line each starts on; strict: a stray quote is an error, never a merge."""
    reader = csv.DictReader(_bounded_lines(path, handle), strict=True)
    start = 1
    try:
        _csv_header(path, reader)
        start = reader.line_num + 1
        for row in reader:
            if None in row or None in row.values():
                raise ConfigError(
                    f"{path}:{start}: the row's fields do not match the header's "
                    f"{len(reader.fieldnames or [])} columns: a missing or extra comma?"
                )
            if reader.line_num != start and _breaks_line(row):
                raise ConfigError(
                    f"{path}:{start}: the row runs on to line {reader.line_num}: "
                    "an unbalanced quote?"
                )
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ConfigError(f"{path}:{start}: not valid CSV ({exc}): an unbalanced quote?") from None


def _breaks_line(row: dict) -> bool:
    values = [row.get(c) or "" for c in REQUIRED_COLUMNS]
    return any("\n" in value or "\r" in value for value in values)


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    """The manifest's rows with their line numbers, read as a stream: a manifest of a
    million pages is never held as text and as rows at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if path.suffix.lower() == ".jsonl":
                yield from _jsonl_rows(path, _bounded_lines(path, handle))
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
    problem = _url_problem(where, url) if url is not None else None
    if problem:
        return page_key(page_path), ManifestEntry(None, fetched_at, problem)
    return page_key(page_path), ManifestEntry(url=url, fetched_at=fetched_at)


def _url_problem(where: str, url: str) -> str | None:
    """None for an absolute http(s) URL, else what is wrong. A crawl's manifest holds
    such rows (the real trafilatura-eval one has 36 `hard::name.html` ids and one
    `xhttps://`): the page is built without the URL, never silently (the build warns
    with each row's line and counts them), and never lost for it."""
    try:
        parts = urlsplit(url) if url.isprintable() else None
    except ValueError:  # an unbalanced IPv6 bracket
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"{where}: url {url[:200]!r} is not an absolute http(s) URL "
            "(like https://news.example.com/2024/05/article)"
        )
    return None


def page_key(page_path: str) -> str:
    """The manifest path as the input listing names it (forward slashes, no "." parts)."""
    key = page_path.strip().replace("\\", "/")
    if _already_plain(key):
        return key  # nearly every row: PurePosixPath would give it back unchanged
    # "./a//b.txt" and "a\\b.txt" both name a/b.txt; PurePosixPath drops "." parts and
    # doubled slashes but keeps "..", so a path outside the input root never matches.
    return PurePosixPath(key).as_posix()


def _already_plain(key: str) -> bool:
    return not (
        "//" in key
        or "/./" in key
        or key.startswith("./")
        or key.endswith(("/", "/."))
        or key in (".", "")
    )


@dataclass
class Manifest:
    """A manifest's entries, and the rows no input page has claimed yet (mistyped paths)."""

    path: Path | None  # None: the build has no manifest
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    unclaimed: dict[str, int] = field(default_factory=dict)  # page path -> line of its row
    # Rows whose URL is not an absolute http(s) URL, in file order: their pages are built
    # without it (from the page's own canonical URL, if any) and the build warns.
    url_problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None) -> Manifest:
        """The manifest at `path` (no rows when None); a bad row is a ConfigError."""
        manifest = cls(path)
        if path is None:
            return manifest
        for number, row in _rows(path):
            key, entry = _entry(path, number, row)
            if key in manifest.entries:
                raise ConfigError(f"{path}:{number}: path {key!r} is listed twice")
            manifest.entries[key] = entry
            manifest.unclaimed[key] = number
            if entry.url_problem:
                manifest.url_problems.append(entry.url_problem)
        return manifest

    def claim(self, raw_path: str) -> ManifestEntry | None:
        """The entry of an input page (None when the manifest has no row for it)."""
        self.unclaimed.pop(raw_path, None)
        return self.entries.get(raw_path)

    def unused_warning(self) -> str | None:
        """A warning naming the first rows (in file order) that matched no input page."""
        if not self.unclaimed:
            return None
        count = len(self.unclaimed)
        lines = [
            f"warning: {count} row(s) of the manifest {self.path} match no input page "
            "(a mistyped path? paths are relative to the input folder):"
        ]
        shown = islice(self.unclaimed.items(), UNUSED_ROWS_SHOWN)
        lines += [f"  {self.path}:{number}: {key}" for key, number in shown]
        if count > UNUSED_ROWS_SHOWN:
            lines.append(f"  and {count - UNUSED_ROWS_SHOWN} more")
        return "\n".join(lines)


    def url_warning(self) -> str | None:
        """A warning naming the first rows whose URL was not used."""
        if not self.url_problems:
            return None
        count = len(self.url_problems)
        lines = [f"warning: {count} row(s) of the manifest {self.path} give a URL that is "
                 "not an absolute http(s) URL; their pages are built without it:"]
        lines += [f"  {problem}" for problem in self.url_problems[:UNUSED_ROWS_SHOWN]]
        if count > UNUSED_ROWS_SHOWN:
            lines.append(f"  and {count - UNUSED_ROWS_SHOWN} more")
        return "\n".join(lines)


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Map of page path (relative to the input root, forward slashes) to its URL and fetch time."""
    return Manifest.load(path).entries
