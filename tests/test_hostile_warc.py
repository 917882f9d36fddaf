"""Broken and hostile WARC files: a reject with a reason for each record, in bounded memory."""

from __future__ import annotations

import gzip
import io
import uuid
import zlib
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.model import Page, Reject
from builder.read.warc import MAX_HEADER_LINE, iter_warc

from .hostile import builder

BODY = (
    b"<html><head><title>Ferry service resumes on the Nile</title></head><body><article>"
    + b"<p>The ferry between the two banks runs again after a month of repairs.</p>" * 12
    + b"</article></body></html>"
)


def http(body: bytes = BODY, status: str = "200 OK", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
    return (head + f"Content-Length: {size}\r\n\r\n").encode() + body


def record(
    block: bytes,
    uri: str = "https://news.example/a",
    date: str = "2024-01-02T03:04:05Z",
    length: int | None = None,
    extra: str = "",
) -> bytes:
    size = len(block) if length is None else length
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n{extra}"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {size}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


SECOND = record(http(), uri="https://news.example/b")


def _read(data: bytes) -> list[tuple[str, str | None, str]]:
    """(kind or reason, url, message) of each result of the WARC bytes."""
    out = []
    for result in iter_warc(io.BytesIO(data), "crawl.warc", "0" * 64, 10**7):
        if isinstance(result, Page):
            out.append(("page", result.url, ""))
        else:
            out.append((result.reason, result.url, result.message))
    return out


def test_a_clean_warc_gives_its_pages() -> None:
    assert [r[:2] for r in _read(record(http()) + SECOND)] == [
        ("page", "https://news.example/a"),
        ("page", "https://news.example/b"),
    ]


def test_an_http_error_response_is_an_http_error_reject_with_its_status() -> None:
    for status in ("404 Not Found", "503 Service Unavailable"):
        [gone, kept] = _read(record(http(status=status)) + SECOND)
        assert gone[:2] == ("http_error", "https://news.example/a") and status in gone[2]
        assert kept[0] == "page"


def test_a_body_shorter_than_its_http_content_length_is_not_half_a_page() -> None:
    [cut, kept] = _read(record(http(length=len(BODY) + 500)) + SECOND)
    assert cut[0] == "corrupt_archive" and "a cut page" in cut[2]
    assert kept[0] == "page"


def test_a_304_without_the_body_its_content_length_names_is_not_called_cut() -> None:
    [not_modified, kept] = _read(record(http(b"", status="304 Not Modified", length=500)) + SECOND)
    assert not_modified[0] != "corrupt_archive" and kept[0] == "page"


def test_a_warc_content_length_shorter_than_the_block_is_reported() -> None:
    block = http()
    [cut, kept] = _read(record(block, length=len(block) - 100) + SECOND)
    assert cut[0] == "corrupt_archive" and kept[0] == "page"


def test_after_a_short_content_length_a_plain_warc_is_read_on_at_the_next_record() -> None:
    # 300 bytes of the page left over: lines warcio cannot take for a record header
    page = BODY.replace(b"</p>", b"</p>\n")
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    third = record(http(), uri="https://news.example/c")
    results = _read(record(block, length=len(block) - 300) + SECOND + third)
    kinds = [kind for kind, _, _ in results]
    assert kinds == ["corrupt_archive", "corrupt_archive", "page", "page"]
    assert [url for kind, url, _ in results if kind == "page"] == [
        "https://news.example/b",
        "https://news.example/c",
    ]


def test_a_short_warc_content_length_without_http_length_is_reported() -> None:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
    [cut, kept] = _read(record(block, length=len(block) - 100) + SECOND)
    assert cut[0] == "corrupt_archive" and "not followed by the record separator" in cut[2]
    assert kept[0] == "page"


def test_a_warc_content_length_that_swallows_the_next_record_is_reported() -> None:
    block = http()
    results = _read(record(block, length=len(block) + 4 + len(SECOND)) + SECOND)
    assert results[0][0] == "corrupt_archive" and "next record" in results[0][2]
    assert all(kind != "page" for kind, _, _ in results)  # no page holds another's bytes


def test_a_warc_date_that_is_not_a_time_is_a_reject() -> None:
    [bad, kept] = _read(record(http(), date="last tuesday") + SECOND)
    assert bad[0] == "corrupt_archive" and "WARC-Date 'last tuesday'" in bad[2]
    assert kept[0] == "page"


def test_gzip_per_record_with_a_short_content_length_keeps_the_next_record() -> None:
    block = http()
    data = gzip.compress(record(block, length=len(block) - 100)) + gzip.compress(SECOND)
    assert [r[0] for r in _read(data)] == ["corrupt_archive", "page"]


def test_a_long_header_line_stops_the_file_at_once() -> None:
    line = "X-Padding: " + "a" * (MAX_HEADER_LINE * 2) + "\r\n"
    results = _read(SECOND + record(http(), extra=line))
    assert results[0][0] == "page"
    assert results[1][0] == "corrupt_archive" and "header line is over" in results[1][2]


def _gzip_stream(path: Path, head: bytes, filler: bytes, size: int) -> None:
    """A gzip member: head, then `size` bytes of filler (compressed ~230:1, streamed)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # level 1: the fastest to write
    chunk = filler * (16 * 1024 * 1024 // len(filler))
    with path.open("wb") as handle:
        handle.write(packer.compress(head))
        for _ in range(size // len(chunk)):
            handle.write(packer.compress(chunk))
        handle.write(packer.flush())


def _build_rejects(tmp_path: Path, warc: Path) -> list[dict]:
    run = builder("build", str(warc), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1")
    assert not run.killed and run.code == 0, run.stderr[-2000:]
    rejects = (tmp_path / "out" / "rejects.jsonl").read_bytes().splitlines()
    return [orjson.loads(line) for line in rejects]


def test_a_header_line_inflating_to_256_mb_is_rejected_in_bounded_memory(tmp_path: Path) -> None:
    warc = tmp_path / "bomb.warc.gz"
    _gzip_stream(warc, b"WARC/1.0\r\nWARC-Type: response\r\nX-Bomb: ", b"a", 256 * 1024 * 1024)
    assert warc.stat().st_size < 2 * 1024 * 1024
    [reject] = _build_rejects(tmp_path, warc)
    assert reject["reason"] == "corrupt_archive" and "header line is over" in reject["message"]


def test_blank_lines_inflating_to_256_mb_are_rejected_in_bounded_time(tmp_path: Path) -> None:
    warc = tmp_path / "blank.warc.gz"
    _gzip_stream(warc, SECOND, b"\r\n", 256 * 1024 * 1024)
    [reject] = _build_rejects(tmp_path, warc)
    assert reject["reason"] == "corrupt_archive" and "header and blank lines" in reject["message"]


# --- properties: any header a record may carry ---------------------------------------------------

header_names = st.text(alphabet="ABCXYZabc-:", min_size=1, max_size=12)
header_values = st.text(
    alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=40
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(header_names, header_values), max_size=5), st.booleans())
def test_any_extra_warc_headers_give_pages_or_rejects_never_an_exception(
    headers: list[tuple[str, str]], compress: bool
) -> None:
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
    first = record(http(), extra=extra)
    data = (gzip.compress(first) + gzip.compress(SECOND)) if compress else first + SECOND
    results = list(iter_warc(io.BytesIO(data), "x.warc", "0" * 64, 10**7))
    assert results and all(isinstance(r, Page | Reject) for r in results)
    # the second record, whatever the first one's headers, is always read
    assert any(isinstance(r, Page) and r.url == "https://news.example/b" for r in results)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-200, max_value=200))
def test_any_wrong_warc_content_length_never_gives_a_page_of_the_wrong_bytes(delta: int) -> None:
    block = http()
    results = _read(record(block, length=max(0, len(block) + delta)) + SECOND)
    pages = [url for kind, url, _ in results if kind == "page"]
    if delta != 0:
        assert "https://news.example/a" not in pages  # cut or overlong: never a page
    assert results
