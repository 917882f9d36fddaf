"""WARC files: HTML responses are pages with the headers' URL and time; the rest is explained."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from builder.model import Page, Reject
from builder.read.files import InputFile, read_file
from builder.read.warc import iter_warc

from .conftest import SAMPLES

WARCS = SAMPLES / "pages" / "generated" / "warc"


def _read(path: Path, max_bytes: int = 10_000_000) -> list[Page | Reject]:
    return list(read_file(InputFile(path, path.name), {}, max_bytes))


def _warc(records: list[tuple[str, str, bytes]], compress: bool = True) -> bytes:
    """A WARC of response records (uri, content type, body) written by warcio."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for uri, content_type, body in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-06T07:08:09Z"},
            )
        )
    return buffer.getvalue()


def test_sample_crawl_yields_html_pages_with_their_headers() -> None:
    results = _read(WARCS / "crawl-2023-11.warc.gz")
    pages = [r for r in results if isinstance(r, Page)]
    assert [(p.url, p.fetched_at, p.charset) for p in pages] == [
        (
            "https://www.egyptindependent.com/giza-bans-microbuses-from-pyramids-road-at-weekends/",
            "2023-11-03T07:00:12Z",
            "utf-8",
        ),
        (
            "https://english.ahram.org.eg/NewsContent/9/40/512877/Heritage/Ancient-Egypt/"
            "Luxors-Avenue-of-Sphinxes-to-host-weekly-sound-and-.aspx",
            "2023-11-03T07:01:40Z",
            None,
        ),
        ("https://www.youm7.com/story/2023/9/30/6321457", "2023-11-03T07:03:05Z", "windows-1256"),
    ]
    for page in pages:
        assert page.container == "warc" and page.format_hint == "html"
        assert page.warc_record_id and page.warc_record_id.startswith("<urn:uuid:")
        assert page.data.lstrip().lower().startswith(b"<!doctype html")  # the HTTP payload only


def test_request_and_warcinfo_records_are_not_pages_and_the_image_is_explained() -> None:
    results = _read(WARCS / "crawl-2023-11.warc.gz")
    rejects = [r for r in results if isinstance(r, Reject)]
    assert len(results) == 4  # 3 pages + 1 image: warcinfo and 3 requests yield nothing
    [image] = rejects
    assert image.reason == "unsupported_content_type"
    assert image.url == "https://english.ahram.org.eg/Media/News/2023/9/19/sphinxes-avenue.png"
    assert "image/png" in image.message and image.warc_record_id


def test_plain_uncompressed_warc_is_read() -> None:
    page, gone = _read(WARCS / "dne-2024-06.warc")
    assert isinstance(gone, Reject) and gone.reason == "http_error"  # the 404 after the page
    assert isinstance(page, Page)
    assert page.url is not None and page.url.startswith(
        "https://www.dailynewsegypt.com/2024/06/04/"
    )
    assert page.fetched_at == "2024-06-04T09:00:03Z"


def test_interrupted_crawl_keeps_the_whole_records_and_rejects_the_cut_one() -> None:
    first, cut = _read(WARCS / "crawl-interrupted.warc.gz")
    assert isinstance(first, Page) and b"long-staple cotton" in first.data
    assert isinstance(cut, Reject) and cut.reason == "corrupt_archive"
    assert cut.raw_path == "crawl-interrupted.warc.gz"
    assert (
        cut.url
        == "https://www.dailynewsegypt.com/2024/03/11/egyptair-to-lease-six-narrow-body-jets/"
    )
    assert "cut short" in cut.message


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("keep", [0.02, 0.1, 0.2, 0.3, 0.66, 0.9])
def test_truncated_plain_or_gzip_warc_keeps_whole_pages_and_reports_the_cut(
    compress: bool, keep: float
) -> None:
    body = b"<html><body><p>" + b"story " * 400 + b"</p></body></html>"
    data = _warc(
        [
            ("https://example.com/a", "text/html", body),
            ("https://example.com/b", "text/html", body),
        ],
        compress,
    )
    whole = len(_warc([("https://example.com/a", "text/html", body)], compress))
    cut = data[: int(len(data) * keep)]
    results = list(iter_warc(io.BytesIO(cut), "cut.warc", "0" * 64, 10_000_000))
    pages = [r for r in results if isinstance(r, Page)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert [p.url for p in pages] == (["https://example.com/a"] if len(cut) >= whole else [])
    assert [r.reason for r in rejects] == ["corrupt_archive"]  # exactly one, never silence


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a WARC file\r\n\r\n",
        b"\r\n\r\n",
        b"WARC/1.0\r\n\r\n",  # a header with no fields
        gzip.compress(b""),
        gzip.compress(b"neither is this"),
        b"WARC/1.0\r\nContent-Length: oops\r\n\r\n",
    ],
)
def test_non_warc_bytes_are_corrupt_archive(data: bytes) -> None:
    results = list(iter_warc(io.BytesIO(data), "x.warc", "0" * 64, 10_000_000))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [
        ("Reject", "corrupt_archive")
    ]


def test_empty_warc_file_is_empty_file() -> None:
    [reject] = iter_warc(io.BytesIO(b""), "x.warc", "0" * 64, 10_000_000)
    assert isinstance(reject, Reject) and reject.reason == "empty_file"


def test_response_without_http_headers_is_explained() -> None:
    data = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/\r\n"
        b"Content-Length: 0\r\n\r\n\r\n\r\n"
    )
    [reject] = iter_warc(io.BytesIO(data), "x.warc", "0" * 64, 10_000_000)
    assert isinstance(reject, Reject) and reject.reason == "unsupported_content_type"
    assert reject.url == "https://example.com/"


def test_response_over_the_limit_is_too_large() -> None:
    data = _warc(
        [
            ("https://example.com/big", "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
            ("https://example.com/ok", "text/html; charset=utf-8", b"<p>small</p>"),
        ]
    )
    big, ok = iter_warc(io.BytesIO(data), "w.warc.gz", "0" * 64, 1000)
    assert (
        isinstance(big, Reject)
        and big.reason == "too_large"
        and big.url == "https://example.com/big"
    )
    assert isinstance(ok, Page) and ok.url == "https://example.com/ok" and ok.charset == "utf-8"


@pytest.mark.parametrize(
    "content_type", ["application/xhtml+xml", 'TEXT/HTML; Charset="ISO-8859-6"']
)
def test_html_content_types(content_type: str) -> None:
    [page] = iter_warc(
        io.BytesIO(_warc([("https://example.com/", content_type, b"<p>x</p>")])), "w", "0" * 64, 100
    )
    assert isinstance(page, Page)


@pytest.mark.parametrize("content_type", ["text/plain", "application/pdf", ""])
def test_other_content_types_are_unsupported(content_type: str) -> None:
    [reject] = iter_warc(
        io.BytesIO(_warc([("https://example.com/", content_type, b"x")])), "w", "0" * 64, 100
    )
    assert isinstance(reject, Reject) and reject.reason == "unsupported_content_type"


def test_warc_gzipped_as_one_stream_is_read_like_the_plain_file() -> None:
    recrawl = _read(WARCS / "ahram-recrawl-2024-05.warc.gz")
    assert [(type(r).__name__, r.url, r.fetched_at) for r in recrawl] == [
        (
            "Page",
            "https://english.ahram.org.eg/NewsContent/3/12/521904/Business/Economy/"
            "Egypts-longstaple-cotton-exports-rebound.aspx",
            "2024-05-02T10:00:04Z",
        )
    ]
    records = [
        ("https://example.com/a", "text/html", b"<p>a</p>"),
        ("https://example.com/b", "image/png", b"\x89PNG"),
        ("https://example.com/c", "text/html", b"<p>c</p>"),
    ]
    whole = gzip.compress(_warc(records, compress=False), mtime=0)
    results = list(iter_warc(io.BytesIO(whole), "w.warc.gz", "0" * 64, 10_000))
    assert [(type(r).__name__, r.url) for r in results] == [
        ("Page", "https://example.com/a"),
        ("Reject", "https://example.com/b"),
        ("Page", "https://example.com/c"),
    ]
    assert results[2].data == b"<p>c</p>"  # type: ignore[union-attr]


@pytest.mark.parametrize("damage", ["cut", "trailer", "junk"])
def test_damaged_whole_file_gzip_warc_is_reported(damage: str) -> None:
    records = [
        (f"https://example.com/{n}", "text/html", b"<p>" + bytes([97 + n]) * 50 + b"</p>")
        for n in range(3)
    ]
    whole = gzip.compress(_warc(records, compress=False), mtime=0)
    data = {"cut": whole[: len(whole) * 2 // 3], "trailer": whole[:-4], "junk": whole + b"junk"}[
        damage
    ]
    results = list(iter_warc(io.BytesIO(data), "w.warc.gz", "0" * 64, 10_000))
    assert isinstance(results[-1], Reject) and results[-1].reason == "corrupt_archive"
    assert "\n" not in results[-1].message


_IMPORTS_OF_A_CRAWL_WITHOUT_WARC = """
import sys
from pathlib import Path
import builder.pipeline.runner
from builder.read.files import InputFile, read_file
dump, warc = (Path(arg) for arg in sys.argv[1:])
list(read_file(InputFile(dump, dump.name), {}, 10_000_000))
assert "warcio" not in sys.modules, "a text dump imported warcio"
pages = list(read_file(InputFile(warc, warc.name), {}, 10_000_000))
assert pages and "warcio" in sys.modules
"""


def test_only_a_warc_file_imports_warcio() -> None:
    # warcio takes 70-80 ms to import: a build without WARC files should not pay for it.
    dump = next((SAMPLES / "pages" / "aggregator" / "en").rglob("*.txt"))
    warc = sorted(WARCS.glob("*.warc*"))[0]
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_A_CRAWL_WITHOUT_WARC, str(dump), str(warc)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
