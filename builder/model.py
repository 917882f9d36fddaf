"""The values that flow between stages: a raw Page, a parser's Draft, and a Reject; and
a release's Changes, from its changelog to its card."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# A normalized record is a plain JSON-ready dict shaped by schema/v1/record.schema.json;
# keeping it a dict (not a class) means the schema stays the single description of it.
Record = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One raw page as read from disk, before any parsing."""

    raw_path: str  # relative to the input root, forward slashes
    data: bytes  # the page's bytes (decompressed; the HTTP payload for WARC)
    raw_sha256: str  # of the file as stored on disk
    container: str  # "file" | "gzip" | "warc"
    url: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC, from WARC headers or the manifest
    warc_record_id: str | None = None
    charset: str | None = None  # declared by HTTP headers, when known
    format_hint: str | None = None  # "html" when the container says so (WARC, .html)


@dataclass
class Draft:
    """What a parser found in a page, before normalization."""

    title: str
    paragraphs: list[str]
    publication: str | None
    publish_date: str | None  # as written in the page; normalize/dates.py parses it
    parser: str
    parser_version: str
    url: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    source_format: str = "aggregator_text"


@dataclass(frozen=True)
class Reject:
    """A page that could not become a record, with the reason code and a message."""

    raw_path: str
    reason: str
    message: str
    warc_record_id: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "raw_path": self.raw_path,
            "warc_record_id": self.warc_record_id,
            "url": self.url,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass
class Changes:
    """A release's counts of each kind of change since the previous one (release/
    changelog.py counts them; the card and release.json show them); the ids themselves
    are in the changelog's section files."""

    previous: str | None
    added: int = 0
    removed: int = 0
    updated: int = 0
    provenance_only: int = 0
    unchanged: int = 0
    fields: Counter[str] = field(default_factory=Counter)  # field -> records where it changed

    def fields_changed(self) -> dict[str, int]:
        return dict(sorted(self.fields.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "added": self.added,
            "removed": self.removed,
            "updated": self.updated,
            "provenance_only": self.provenance_only,
            "unchanged": self.unchanged,
            "fields_changed": self.fields_changed(),
        }
