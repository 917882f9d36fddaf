"""Takedowns: records a maintainer removed, and the tombstones that keep them out.

`takedowns.yaml`, next to dataset.yaml and versioned with it, lists removals:

    takedowns:
      - id: 0123456789abcdef            # a record id, or
        url: https://example.com/a/1    # the article's URL (any spelling of it)
        reason: Publisher's request of 2025-09-02
        date: 2025-09-02

Every release drops the records an entry names (by id, or by the URL key of their
`source_url`: scheme, `www.`/`m.` host and AMP variants are one article) before
deduplication, and removes them from other records' `merged_copies`. It writes
`reports/takedowns.jsonl`: one tombstone per removal (record id, SHA-256 of the URL
key, reason, date requested, release that first applied it). The next release carries
those tombstones forward, so a later crawl of a taken-down article never brings it back,
even when its entry has left takedowns.yaml. A tombstone holds a hash of the URL, not the
URL, so a release does not republish what was taken down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..model import Record
from ..normalize.urls import normalize_url
from ..write.jsonl import atomic_output, read_jsonl
from ..yamlsafe import load_file as load_yaml_file

DEFAULT_TAKEDOWNS_NAME = "takedowns.yaml"
TOMBSTONES = "reports/takedowns.jsonl"
ID_PATTERN = re.compile(r"^[0-9a-f]{16}$")
MAX_TAKEDOWNS_BYTES = 8 * 1024 * 1024  # some 70,000 entries (the YAML node limit comes first)
HEADER = """\
# Records removed from the dataset (publisher takedowns, erasure requests). The next
# release drops each one, lists it in its changelog with the reason, and keeps a
# tombstone so a later crawl never brings it back. Add entries with
#   builder takedown ID|URL --reason TEXT
# Do not write personal data in a reason: reasons are published in the changelog.
takedowns:
"""


def url_hash(url: str | None) -> str | None:
    """SHA-256 of the article's URL key (normalized URL without edition host or AMP)."""
    from ..dedup.keys import url_key  # the same key the dedup stage matches URLs by

    key = url_key(normalize_url(url)) if url else None
    return hashlib.sha256(key.encode()).hexdigest() if key else None


@dataclass(frozen=True)
class Tombstone:
    """One removal: what it matches (id and/or URL key hash) and why."""

    id: str | None
    url_key_sha256: str | None
    reason: str
    requested: str  # YYYY-MM-DD
    dropped_in: str  # release version that first applied it

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url_key_sha256": self.url_key_sha256,
            "reason": self.reason,
            "requested": self.requested,
            "dropped_in": self.dropped_in,
        }

    def label(self) -> str:
        return f"taken down: {self.reason} (requested {self.requested})"


@dataclass(frozen=True)
class Takedown:
    """An entry of takedowns.yaml."""

    id: str | None
    url: str | None
    reason: str
    date: str

    def target(self) -> str:
        return self.id or self.url or ""


def _day(value: Any) -> str | None:
    if isinstance(value, dt.date):  # YAML reads an unquoted 2025-01-31 as a date
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat() if len(str(value)) == 10 else None
    except ValueError:
        return None


def _entry(where: str, raw: Any, problems: list[str]) -> Takedown | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping {{id or url, reason, date}}")
        return None
    unknown = sorted(set(map(str, raw)) - {"id", "url", "reason", "date"})
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: id, url, reason, date)"
        )
    record_id, url = raw.get("id"), raw.get("url")
    if record_id is not None and not ID_PATTERN.match(str(record_id)):
        problems.append(f"{where}: id {record_id!r} is not a record id (16 hex digits)")
    if url is not None and url_hash(str(url)) is None:
        problems.append(f"{where}: url {url!r} is not an http(s) URL")
    if record_id is None and url is None:
        problems.append(f"{where}: give the record's id or its url")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        problems.append(f"{where}: reason is missing; say why it is taken down")
    date = _day(raw.get("date"))
    if date is None:
        problems.append(f"{where}: date {raw.get('date')!r} must be YYYY-MM-DD")
    if len(problems):
        return None
    return Takedown(
        str(record_id) if record_id else None,
        str(url) if url else None,
        " ".join(str(reason).split()),
        str(date),
    )


def load_takedowns(path: Path | None) -> list[Takedown]:
    """The entries of a takedowns file; none when there is no file."""
    if path is None or not path.is_file():
        return []
    raw = load_yaml_file(path, MAX_TAKEDOWNS_BYTES)  # within limits; errors name file:line
    if raw is not None and not isinstance(raw, dict):  # an empty file is no takedowns
        raise ConfigError(f"{path}: must be a mapping with a `takedowns:` list")
    entries = (raw or {}).get("takedowns")
    if not isinstance(entries, list | type(None)):
        raise ConfigError(f"{path}: takedowns: must be a list of {{id or url, reason, date}}")
    problems: list[str] = []
    takedowns = []
    for number, item in enumerate(entries or [], start=1):
        found: list[str] = []
        entry = _entry(f"{path}: takedowns entry {number}", item, found)
        problems += found
        if entry is not None:
            takedowns.append(entry)
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in the takedowns:\n" + "\n".join(problems))
    return takedowns


def append_takedown(path: Path, entry: Takedown) -> None:
    """Add an entry at the end of the file (created with its header), keeping its comments."""
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    if not re.search(r"^takedowns:", text, flags=re.M):
        text += "takedowns:\n"
    else:  # an empty list written as `takedowns: []` becomes a block list
        text = re.sub(r"^takedowns:[ \t]*\[\][ \t]*$", "takedowns:", text, flags=re.M)
    key, value = ("id", entry.id) if entry.id else ("url", entry.url)
    text += (
        f"  - {key}: {yaml.safe_dump(value, default_style=None).splitlines()[0]}\n"
        f"    reason: {_quoted(entry.reason)}\n"
        f"    date: {entry.date}\n"
    )
    with atomic_output(path, "w") as out:
        out.write(text)
    load_takedowns(path)  # what was written reads back


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_tombstones(release: Path | None) -> list[Tombstone]:
    """The tombstones a release carries (none for a release made before takedowns existed)."""
    path = release / TOMBSTONES if release is not None else None
    if path is None or not path.is_file():
        return []
    return [
        Tombstone(
            row.get("id"),
            row.get("url_key_sha256"),
            str(row.get("reason", "")),
            str(row.get("requested", "")),
            str(row.get("dropped_in", "")),
        )
        for _, row in read_jsonl(path)
    ]


class TakedownFilter:
    """Matches records against every tombstone in force and remembers what it removed."""

    def __init__(self, previous: list[Tombstone], entries: list[Takedown], version: str):
        self.tombstones = list(previous)
        known = {t.id for t in previous if t.id} | {t.url_key_sha256 for t in previous}
        for entry in entries:
            digest = url_hash(entry.url)
            if (entry.id and entry.id in known) or (digest and digest in known):
                continue  # already in force since an earlier release
            self.tombstones.append(Tombstone(entry.id, digest, entry.reason, entry.date, version))
        self._by_id = {t.id: t for t in self.tombstones if t.id}
        self._by_url = {t.url_key_sha256: t for t in self.tombstones if t.url_key_sha256}
        self.learned: dict[tuple[str, str | None], Tombstone] = {}
        self._superseded: set[Tombstone] = set()  # tombstones that learned a record's id and URL
        self.removed: dict[str, Tombstone] = {}  # record id -> the tombstone that removed it

    def __bool__(self) -> bool:
        return bool(self.tombstones)

    def match(self, record: Record) -> Tombstone | None:
        """The tombstone a record (or a merged-copies entry) falls under, if any."""
        found = self._by_id.get(str(record.get("id")))
        digest = url_hash(record.get("source_url")) if self._by_url or found else None
        found = found or (self._by_url.get(digest) if digest else None)
        if found is not None:
            self.learned[(str(record.get("id")), digest)] = replace(
                found, id=str(record.get("id")), url_key_sha256=digest
            )
            self._superseded.add(found)
        return found

    def apply(self, record: Record) -> Record | None:
        """The record without taken-down copies, or None when it is taken down itself."""
        found = self.match(record)
        if found is not None:
            self.removed[str(record["id"])] = found
            return None
        copies = record.get("merged_copies") or []
        kept = [c for c in copies if self.match(c) is None]
        return record if len(kept) == len(copies) else {**record, "merged_copies": kept}

    def rows(self) -> list[dict[str, Any]]:
        """Tombstones to carry forward, sorted: one that matched records is replaced by one
        per record it matched, holding that record's id and URL key (a URL takedown then
        also stops the id, an id takedown the URL)."""
        rows = {(t.id, t.url_key_sha256): t for t in self.learned.values()}
        for t in self.tombstones:
            if t not in self._superseded or (t.id and t.url_key_sha256):
                rows.setdefault((t.id, t.url_key_sha256), t)
        ordered = sorted(
            rows.values(), key=lambda t: (t.requested, t.id or "", t.url_key_sha256 or "")
        )
        return [t.to_json() for t in ordered]
