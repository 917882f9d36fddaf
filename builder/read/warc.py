"""WARC files: each HTML response record is a page; URL and fetch time come from its headers."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from ..model import Page, Reject
from ..normalize.dates import to_utc_timestamp

if TYPE_CHECKING:  # warcio costs 70-80 ms to import; a crawl without WARC files never needs it
    from warcio.archiveiterator import ArchiveIterator

HTML_TYPES = ("text/html", "application/xhtml+xml")
# warcio's words for a WARC gzipped as a whole rather than record by record: valid for
# reading front to back, which is all the builder does.
NON_CHUNKED_GZIP = "non-chunked gzip"
MESSAGE_CHARS = 300  # a reject message stays one readable line
_DRAIN_CHUNK = 1 << 16


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


def _truncated(record: Any) -> bool:
    """Read what is left of the record's block; True when the file ends before its Content-Length.

    warcio stops quietly at the end of a cut file, handing over a short payload; the
    reader's remaining `limit` is the only sign, so it is checked for every record.
    """
    stream = record.raw_stream
    while stream.read(_DRAIN_CHUNK):
        pass
    return getattr(stream, "limit", 0) > 0


def _page_or_reject(record: Any, raw_path: str, raw_sha256: str, max_bytes: int) -> Page | Reject:
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    url = record.rec_headers.get_header("WARC-Target-URI")
    content_type = (
        record.http_headers.get_header("Content-Type") if record.http_headers else ""
    ) or ""
    if not content_type.lower().startswith(HTML_TYPES):
        return Reject(
            raw_path,
            "unsupported_content_type",
            f"response is {content_type or 'without Content-Type'}, not HTML",
            record_id,
            url,
        )
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return Reject(
            raw_path, "too_large", f"response payload is over {max_bytes} bytes", record_id, url
        )
    return Page(
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


def _size(stream: BinaryIO) -> int:
    start = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(start)
    return end - start


def _damage(record: Any) -> str | None:
    """Why a record cannot be trusted (cut header or cut block), or None when it is whole."""
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    length = record.rec_headers.get_header("Content-Length") or ""
    if not length.strip().isdigit() or not record.rec_type:
        where = f" (record {record_id})" if record_id else ""
        return f"a record header without WARC-Type or Content-Length{where}: cut or malformed"
    if _truncated(record):
        kind = record.rec_type
        return f"WARC file ends inside the {kind} record {record_id}: the download was cut short"
    return None


class _Records:
    """The results of a WARC stream's records; `stopped` is set when a damaged record ended it."""

    def __init__(self, raw_path: str, raw_sha256: str, max_bytes: int) -> None:
        self.raw_path, self.raw_sha256, self.max_bytes = raw_path, raw_sha256, max_bytes
        self.seen = 0
        self.stopped = False

    def iterate(self, iterator: ArchiveIterator, skip: int = 0) -> Iterator[Page | Reject]:
        """Results of the records after the first `skip` (already reported by an earlier pass)."""
        for record in iterator:
            self.seen += 1
            if self.seen <= skip:
                continue
            is_response = record.rec_type == "response"
            result = (
                _page_or_reject(record, self.raw_path, self.raw_sha256, self.max_bytes)
                if is_response
                else None
            )
            damage = _damage(record)
            if damage:
                self.stopped = True
                yield Reject(
                    self.raw_path,
                    "corrupt_archive",
                    damage,
                    record.rec_headers.get_header("WARC-Record-ID"),
                    record.rec_headers.get_header("WARC-Target-URI"),
                )
                return
            if result is not None:  # requests, metadata, warcinfo are not pages
                yield result


def _failure(raw_path: str, exc: Exception) -> Reject:
    detail = " ".join(str(exc).split())[:MESSAGE_CHARS]  # warcio's messages span lines
    return Reject(
        raw_path,
        "corrupt_archive",
        f"WARC file is malformed or truncated: {type(exc).__name__}: {detail}",
    )


def _whole_file_gzip(stream: BinaryIO, records: _Records) -> Iterator[Page | Reject]:
    """A WARC gzipped as one stream (`gzip crawl.warc`): read as plain WARC past those seen."""
    from warcio.archiveiterator import ArchiveIterator

    skip, records.seen = records.seen, 0
    try:
        with gzip.GzipFile(fileobj=stream) as plain:
            iterator = ArchiveIterator(plain)
            yield from records.iterate(iterator, skip)
            if records.stopped:
                return
            # warcio takes a cut gzip stream for its end; reading on to the end raises
            # EOFError if it is cut, and shows bytes after the last whole record.
            leftover = plain.seek(0, io.SEEK_END) - iterator.offset
    except Exception as exc:  # noqa: BLE001 - see iter_warc
        yield _failure(records.raw_path, exc)
        return
    if leftover > 0:
        yield Reject(
            records.raw_path,
            "corrupt_archive",
            f"the last {leftover} bytes of the WARC file are not a whole record",
        )


def iter_warc(
    stream: BinaryIO, raw_path: str, raw_sha256: str, max_bytes: int
) -> Iterator[Page | Reject]:
    """Pages of the response records in a WARC stream (gzip or plain), in file order.

    A record cut short by the end of the file becomes a `corrupt_archive` reject (its
    partial payload is not a page) and ends the file; the records before it are kept.
    Bytes left after the last whole record (a cut record header, garbage) are reported
    the same way, since warcio stops there without a word.
    """
    size = _size(stream)
    if size == 0:
        yield Reject(raw_path, "empty_file", "the WARC file has no bytes")
        return
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    start = stream.tell()
    iterator = ArchiveIterator(stream)
    records = _Records(raw_path, raw_sha256, max_bytes)
    try:
        yield from records.iterate(iterator)
    except ArchiveLoadFailed as exc:
        if NON_CHUNKED_GZIP not in str(exc):
            yield _failure(raw_path, exc)
            return
        stream.seek(start)
        yield from _whole_file_gzip(stream, records)
        return
    # warcio parses untrusted bytes and raises whatever its parsing code hits on garbage
    # (AttributeError and IndexError included); each one means the file is not a valid WARC.
    except Exception as exc:  # noqa: BLE001
        yield _failure(raw_path, exc)
        return
    leftover = size - iterator.offset
    if records.stopped:
        return
    if not records.seen:
        yield Reject(raw_path, "corrupt_archive", "the file holds no WARC record")
    elif leftover > 0:
        yield Reject(
            raw_path,
            "corrupt_archive",
            f"the last {leftover} bytes of the WARC file are not a whole record "
            "(truncated or malformed)",
        )
