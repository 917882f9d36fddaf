"""WARC files: each HTML response record is a page; URL and fetch time come from its headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import Page, Reject
from ..normalize.dates import to_utc_timestamp

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


def iter_warc(stream: BinaryIO, raw_path: str, raw_sha256: str, max_bytes: int) -> Iterator[Page | Reject]:
    """Pages of the response records in a WARC stream (gzip or plain), in file order."""
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue  # requests, metadata, warcinfo: not pages
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            url = record.rec_headers.get_header("WARC-Target-URI")
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if not content_type.lower().startswith(HTML_TYPES):
                yield Reject(raw_path, "unsupported_content_type",
                             f"response is {content_type or 'without Content-Type'}, not HTML", record_id, url)
                continue
            payload = record.content_stream().read(max_bytes + 1)
            if len(payload) > max_bytes:
                yield Reject(raw_path, "too_large", f"response payload is over {max_bytes} bytes", record_id, url)
                continue
            yield Page(
                raw_path=raw_path,
                data=payload,
                raw_sha256=raw_sha256,
                container="warc",
                url=url,
                fetched_at=to_utc_timestamp(record.rec_headers.get_header("WARC-Date") or ""),
                warc_record_id=record_id,
                charset=_charset(content_type),
                format_hint="html",
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Reject(raw_path, "corrupt_archive", f"WARC file is malformed or truncated: {exc}")
