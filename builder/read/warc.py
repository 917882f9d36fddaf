"""WARC files: each HTML response record is a page; URL and fetch time come from its headers."""

from __future__ import annotations

import contextlib
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
GZIP_MAGIC = b"\x1f\x8b"
RECORD_START = b"\nWARC/1."  # a record's first line, after the previous record's blank lines
NO_BODY = (204, 304)  # HTTP statuses whose responses have no body (RFC 9110 6.4.1)
_DRAIN_CHUNK = 1 << 16
# warcio reads header lines (and the blank lines between records) with no length limit:
# one 1 GB header line, inflated from a 1 MB .warc.gz, took 3.2 GB. Real WARC and HTTP
# header blocks are a few KiB (long cookies and CSP lines a few tens), so a line over
# 64 KiB, or over 1 MiB of header and blank lines before one record's body, is not a
# WARC record: the file stops there as corrupt_archive.
MAX_HEADER_LINE = 64 * 1024
MAX_HEADER_BYTES = 1024 * 1024


class HeaderLimitError(Exception):
    """A WARC or HTTP header line, or one record's header block, over its limit."""


class _HeaderBudget:
    """Bounds every `readline` warcio makes on an ArchiveIterator's reader."""

    def __init__(self, iterator: ArchiveIterator) -> None:
        self._readline = iterator.reader.readline
        iterator.reader.readline = self.readline  # warcio's LimitReaders call it too
        self.used = 0

    def readline(self, length: int | None = None) -> bytes:
        capped = length is None or length < 0 or length > MAX_HEADER_LINE
        line: bytes = self._readline(MAX_HEADER_LINE if capped else length)
        # warcio's readline(length) may stop before the newline at a buffer boundary
        # while under the length: read on, so one line is never taken for several.
        while capped and line and not line.endswith(b"\n") and len(line) < MAX_HEADER_LINE:
            more = self._readline(MAX_HEADER_LINE - len(line))
            if not more:
                break
            line += more
        self.used += len(line)
        if capped and len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise HeaderLimitError(f"a header line is over {MAX_HEADER_LINE} bytes")
        if self.used > MAX_HEADER_BYTES:
            raise HeaderLimitError(
                f"over {MAX_HEADER_BYTES} bytes of header and blank lines before one record's body"
            )
        return line

    def reset(self) -> None:
        self.used = 0


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


def _http_status(record: Any) -> int | None:
    try:
        return int(record.http_headers.get_statuscode()) if record.http_headers else None
    except (TypeError, ValueError):
        return None


def _body_problem(record: Any) -> str | None:
    """Why the HTTP body does not match its own Content-Length, or None when it does.

    A body shorter than its Content-Length is half a page (a cut download, or a WARC
    Content-Length too short); one longer holds bytes that are not this response (a WARC
    Content-Length that swallowed the next record). Chunked bodies carry no length, and
    1xx, 204 and 304 responses no body whatever their Content-Length says (RFC 9110).
    """
    headers = record.http_headers
    status = _http_status(record)
    if not headers or record.payload_length < 0 or status in NO_BODY or (status or 200) < 200:
        return None
    declared = (headers.get_header("Content-Length") or "").strip()
    coding = (headers.get_header("Transfer-Encoding") or "").lower()
    if not declared.isdigit() or "chunked" in coding:
        return None
    expected, actual = int(declared), record.payload_length
    if actual < expected:
        return f"the HTTP body has {actual} bytes, its Content-Length says {expected}: a cut page"
    if actual > expected:
        return (
            f"the record holds {actual - expected} bytes after its HTTP body of {expected} "
            "(a WARC Content-Length that runs into the next record?)"
        )
    return None


def _page_or_reject(record: Any, raw_path: str, raw_sha256: str, max_bytes: int) -> Page | Reject:
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = _http_status(record)
    if status is not None and status >= 400:
        line = (record.http_headers.statusline or str(status)).strip()[:80]
        return Reject(
            raw_path, "http_error", f"the response is HTTP {line}, not an article", record_id, url
        )
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
    problem = _body_problem(record)
    if problem:
        return Reject(raw_path, "corrupt_archive", problem, record_id, url)
    warc_date = record.rec_headers.get_header("WARC-Date") or ""
    fetched_at = to_utc_timestamp(warc_date)
    if fetched_at is None:  # WARC-Date is mandatory: without it the header is malformed
        return Reject(
            raw_path, "corrupt_archive",
            f"WARC-Date {warc_date[:60]!r} is not a time (WARC requires YYYY-MM-DDThh:mm:ssZ)",
            record_id, url,
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
        fetched_at=fetched_at,
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


def _overrun(iterator: ArchiveIterator, record: Any) -> str | None:
    """Why bytes follow the record's block where the record separator belongs, or None.

    warcio only writes a warning to stderr when a record is not followed by its blank
    lines (its Content-Length is shorter than the block) and goes on reading the rest as
    the next record: the record's page would be cut short without a word.
    """
    errors = iterator.err_count
    # the blank lines after the block (the iterator then skips them); warcio's warning
    # goes to a buffer, as the reject below says it on one line of the rejects file
    with contextlib.redirect_stderr(io.StringIO()):
        iterator.read_to_end()
    if iterator.err_count == errors:
        return None
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    return (
        f"the {record.rec_type} record {record_id} is not followed by the record separator: "
        "its Content-Length is shorter than its block"
    )


class _Records:
    """The results of a WARC stream's records; `stopped` is set when a damaged record ended it."""

    def __init__(self, raw_path: str, raw_sha256: str, max_bytes: int) -> None:
        self.raw_path, self.raw_sha256, self.max_bytes = raw_path, raw_sha256, max_bytes
        self.seen = 0
        self.stopped = False

    def iterate(self, iterator: ArchiveIterator, skip: int = 0) -> Iterator[Page | Reject]:
        """Results of the records after the first `skip` (already reported by an earlier pass)."""
        budget = _HeaderBudget(iterator)
        for record in iterator:
            budget.reset()  # the headers are read: the body is the payload's own limit
            self.seen += 1
            if self.seen <= skip:
                continue
            is_response = record.rec_type == "response"
            result = (
                _page_or_reject(record, self.raw_path, self.raw_sha256, self.max_bytes)
                if is_response
                else None
            )
            budget.reset()
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
            overrun = _overrun(iterator, record)
            if overrun and not isinstance(result, Reject):
                result = Reject(
                    self.raw_path,
                    "corrupt_archive",
                    overrun,
                    record.rec_headers.get_header("WARC-Record-ID"),
                    record.rec_headers.get_header("WARC-Target-URI"),
                )
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


def _next_record_start(stream: BinaryIO, after: int) -> int | None:
    """Offset of the next line that starts a WARC record (`WARC/1.`) after `after`."""
    stream.seek(after)
    position, tail = after, b""
    while chunk := stream.read(_DRAIN_CHUNK):
        found = (tail + chunk).find(RECORD_START)
        if found >= 0:
            return position - len(tail) + found + 1  # past the line break
        tail = chunk[-len(RECORD_START) :]
        position += len(chunk)
    return None


def _plain_records(stream: BinaryIO, records: _Records, size: int) -> Iterator[Page | Reject]:
    """The records of an uncompressed WARC stream; after a record warcio cannot parse, the
    reading resumes at the next `WARC/1.` line, so one bad Content-Length (which makes
    warcio read into the next record) costs that record, not the rest of the file."""
    from warcio.archiveiterator import ArchiveIterator

    while True:
        iterator = ArchiveIterator(stream)
        try:
            yield from records.iterate(iterator)
        # warcio parses untrusted bytes and raises whatever its parsing code hits on
        # garbage (AttributeError and IndexError included): the bytes are not a WARC record.
        except Exception as exc:  # noqa: BLE001
            yield _failure(records.raw_path, exc)
            resume = _next_record_start(stream, iterator.offset + 1) if records.seen else None
            if resume is None:
                return
            stream.seek(resume)
            continue
        break
    yield from _ending(records, size - iterator.offset)


def _ending(records: _Records, leftover: int) -> Iterator[Reject]:
    """What is wrong with the end of the file: no record at all, or bytes after the last."""
    if records.stopped:
        return
    if not records.seen:
        yield Reject(records.raw_path, "corrupt_archive", "the file holds no WARC record")
    elif leftover > 0:
        yield Reject(
            records.raw_path,
            "corrupt_archive",
            f"the last {leftover} bytes of the WARC file are not a whole record "
            "(truncated or malformed)",
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
    records = _Records(raw_path, raw_sha256, max_bytes)
    if stream.read(2) != GZIP_MAGIC:
        stream.seek(start)
        yield from _plain_records(stream, records, size)
        return
    stream.seek(start)
    iterator = ArchiveIterator(stream)
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
    yield from _ending(records, size - iterator.offset)
