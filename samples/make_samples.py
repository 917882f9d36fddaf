"""Generate the binary and derived sample pages from the text sources in samples/sources/.

Writes samples/pages/generated/: encoding variants (CRLF, UTF-8 BOM, cp1252, cp1256),
gzip files, WARC files (plain, gzip per record, gzip as a whole, truncated) and the
deliberately broken pages that cannot be written by hand (empty, binary, undecodable,
truncated or oversized gzip).

The output is byte-for-byte deterministic: gzip headers carry no time or name, WARC
record ids are UUIDv5 of the record's URI and type, and WARC dates are fixed below.
tests/test_samples.py regenerates into a temporary folder and compares with the
committed files, so run this script after changing a source:

    python samples/make_samples.py            # rewrites samples/pages/generated/
    python samples/make_samples.py --out DIR  # writes the same tree elsewhere
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import shutil
import struct
import sys
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SAMPLES = Path(__file__).resolve().parent
SOURCES = SAMPLES / "sources"
DEFAULT_OUT = SAMPLES / "pages" / "generated"
# The page size limit of `builder build` (builder/read/files.py DEFAULT_MAX_PAGE_BYTES);
# the oversized sample decompresses to just over it.
MAX_PAGE_BYTES = 10 * 1024 * 1024
# A hand-written page of the corpus, re-fetched in the interrupted crawl.
EGYPTAIR_PAGE = SAMPLES / "pages" / "html" / "dailynewsegypt" / "egyptair-fleet.html"
# Fetched twice: whole in the interrupted crawl, and again in the gzipped re-crawl.
COTTON_URL = (
    "https://english.ahram.org.eg/NewsContent/3/12/521904/Business/Economy/"
    "Egypts-longstaple-cotton-exports-rebound.aspx"
)
UUID_NAMESPACE = uuid.UUID("6f1d8a52-3c0e-4b7e-9a55-0d2f1c9e7b11")


def source(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name, so the bytes depend only on the data."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as handle:
        handle.write(data)
    return buffer.getvalue()


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# --- encoding variants of aggregator dumps -------------------------------------------


def encodings() -> dict[str, bytes]:
    return {
        "encodings/startups-first-half-crlf.txt": crlf(
            source("aggregator/startups-first-half.txt")
        ).encode(),
        "encodings/cafe-riche-cp1252.txt": source("aggregator/cafe-riche.txt").encode("cp1252"),
        "encodings/metro-line3-cp1256.txt": source("aggregator/metro-line3.txt").encode("cp1256"),
        # Windows Notepad's "UTF-8 with BOM" and CRLF line ends together.
        "encodings/assiut-endoscopy-training-bom-crlf.txt": codecs.BOM_UTF8
        + crlf(source("aggregator/assiut-endoscopy-training.txt")).encode(),
    }


def gzipped() -> dict[str, bytes]:
    return {
        "gzip/sohag-desalination-rescrape.txt.gz": gzip_bytes(
            source("aggregator/sohag-desalination-rescrape.txt").encode()
        ),
        "gzip/electric-buses.html.gz": gzip_bytes(
            source("html/egypttoday-electric-buses.html").encode()
        ),
    }


# --- WARC files ---------------------------------------------------------------------


def _record_id(uri: str, kind: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(UUID_NAMESPACE, kind + ' ' + uri)}>"


def _warc_headers(uri: str, kind: str, date: str, **extra: str) -> dict[str, str]:
    return {"WARC-Record-ID": _record_id(uri, kind), "WARC-Date": date, **extra}


def _warcinfo(writer: WARCWriter, filename: str, date: str) -> None:
    body = (
        f"software: samples/make_samples.py (warcio)\r\nformat: WARC File Format 1.0\r\n"
        f"description: news-builder sample crawl {filename}\r\n"
    ).encode()
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type="application/warc-fields",
            warc_headers_dict=_warc_headers(
                filename, "warcinfo", date, **{"WARC-Filename": filename}
            ),
        )
    )


def _exchange(
    writer: WARCWriter,
    uri: str,
    date: str,
    content_type: str,
    body: bytes,
    with_request: bool = True,
    status: str = "200 OK",
) -> None:
    """A request record (optional) and the response record of one fetch."""
    response_id = _record_id(uri, "response")
    if with_request:
        path = "/" + uri.split("/", 3)[3] if uri.count("/") >= 3 else "/"
        host = uri.split("/")[2]
        request = StatusAndHeaders(
            f"GET {path} HTTP/1.1",
            [
                ("Host", host),
                ("User-Agent", "news-builder-sample-crawler/1.0"),
                ("Accept", "text/html,application/xhtml+xml"),
                ("Accept-Language", "en,ar;q=0.8"),
            ],
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=request,
                warc_headers_dict=_warc_headers(
                    uri, "request", date, **{"WARC-Concurrent-To": response_id}
                ),
            )
        )
    http = StatusAndHeaders(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Server", "nginx"),
            ("Cache-Control", "max-age=300"),
        ],
        protocol="HTTP/1.1",
    )
    writer.write_record(
        writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=_warc_headers(uri, "response", date),
        )
    )


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG image: the bytes an image URL returns."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + bytes([128] * width) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


def _warc(build: Callable[[WARCWriter], None], compress: bool) -> bytes:
    buffer = io.BytesIO()
    build(WARCWriter(buffer, gzip=compress, warc_version="1.0"))
    return buffer.getvalue()


def crawl_warc() -> bytes:
    """A small crawl: two UTF-8 pages, one cp1256 page, one image (not a page)."""

    def build(writer: WARCWriter) -> None:
        _warcinfo(writer, "crawl-2023-11.warc.gz", "2023-11-03T07:00:00Z")
        _exchange(
            writer,
            "https://www.egyptindependent.com/giza-bans-microbuses-from-pyramids-road-at-weekends/",
            "2023-11-03T07:00:12Z",
            "text/html; charset=UTF-8",
            source("html/egyptindependent-microbus-ban.html").encode(),
        )
        _exchange(
            writer,
            "https://english.ahram.org.eg/NewsContent/9/40/512877/Heritage/Ancient-Egypt/Luxors-Avenue-of-Sphinxes-to-host-weekly-sound-and-.aspx",
            "2023-11-03T07:01:40Z",
            "text/html",
            source("html/ahram-avenue-of-sphinxes.html").encode(),
        )
        _exchange(
            writer,
            "https://english.ahram.org.eg/Media/News/2023/9/19/sphinxes-avenue.png",
            "2023-11-03T07:01:41Z",
            "image/png",
            tiny_png(),
            with_request=False,
        )
        _exchange(
            writer,
            "https://www.youm7.com/story/2023/9/30/6321457",
            "2023-11-03T07:03:05Z",
            "text/html; charset=windows-1256",
            source("html/youm7-ausim-school.html").encode("cp1256"),
        )

    return _warc(build, compress=True)


def single_page_warc() -> bytes:
    def build(writer: WARCWriter) -> None:
        _warcinfo(writer, "dne-2024-06.warc", "2024-06-04T09:00:00Z")
        _exchange(
            writer,
            "https://www.dailynewsegypt.com/2024/06/04/egypts-non-oil-private-sector-contracts-at-slower-pace-in-may/?utm_source=rss&utm_medium=feed",
            "2024-06-04T09:00:03Z",
            "text/html; charset=UTF-8",
            source("html/dne-manufacturing-pmi.html").encode(),
        )
        # A link the crawler followed to a page that is gone: an error page, not an article.
        _exchange(
            writer,
            "https://www.dailynewsegypt.com/2024/06/03/removed-story/",
            "2024-06-04T09:00:09Z",
            "text/html; charset=UTF-8",
            b"<html><head><title>Page not found</title></head>"
            b"<body><h1>Page not found</h1><p>The page you requested does not exist.</p></body>"
            b"</html>\n",
            status="404 Not Found",
        )

    return _warc(build, compress=False)


def truncated_warc() -> bytes:
    """A crawl whose download stopped inside the last record: one whole page, then a cut."""

    def build(writer: WARCWriter) -> None:
        _exchange(
            writer,
            COTTON_URL,
            "2024-04-23T05:10:00Z",
            "text/html; charset=utf-8",
            source("html/ahram-cotton-exports.html").encode(),
            with_request=False,
        )

    whole = _warc(build, compress=True)
    second = _warc(
        lambda w: _exchange(
            w,
            "https://www.dailynewsegypt.com/2024/03/11/egyptair-to-lease-six-narrow-body-jets/",
            "2024-04-23T05:10:09Z",
            "text/html",
            EGYPTAIR_PAGE.read_bytes(),
            with_request=False,
        ),
        compress=True,
    )
    return whole + second[: len(second) // 2]


def whole_file_gzip_warc() -> bytes:
    """A re-crawl saved as a plain WARC and then gzipped as one stream (`gzip crawl.warc`)."""

    def build(writer: WARCWriter) -> None:
        _warcinfo(writer, "ahram-recrawl-2024-05.warc", "2024-05-02T10:00:00Z")
        _exchange(
            writer,
            COTTON_URL,
            "2024-05-02T10:00:04Z",
            "text/html; charset=utf-8",
            source("html/ahram-cotton-exports.html").encode(),
        )

    return gzip_bytes(_warc(build, compress=False))


def warcs() -> dict[str, bytes]:
    return {
        "warc/crawl-2023-11.warc.gz": crawl_warc(),
        "warc/dne-2024-06.warc": single_page_warc(),
        "warc/crawl-interrupted.warc.gz": truncated_warc(),
        "warc/ahram-recrawl-2024-05.warc.gz": whole_file_gzip_warc(),
    }


# --- broken pages -------------------------------------------------------------------


def oversized_page() -> bytes:
    """An aggregator dump whose body repeats until it is just over the page size limit."""
    head = source("aggregator/metro-line3.txt").encode()
    filler = "هذه الفقرة مكررة لأن صفحة المصدر احتوت على حلقة لا نهائية في قالبها.\n".encode()
    repeats = (MAX_PAGE_BYTES - len(head)) // len(filler) + 2
    return gzip_bytes(head + filler * repeats)


def broken() -> dict[str, bytes]:
    page = source("aggregator/cafe-riche.txt").encode()
    return {
        "broken/empty.txt": b"",
        # An image saved under a page name by a crawler that trusted the URL.
        "broken/photo-saved-as-page.html": tiny_png(64, 48),
        # A BOM says UTF-8, but the rest was appended in Windows Arabic.
        "broken/bom-then-cp1256.txt": codecs.BOM_UTF8
        + source("aggregator/metro-line3.txt").encode("cp1256"),
        "broken/truncated-download.txt.gz": gzip_bytes(page)[: len(gzip_bytes(page)) // 2],
        "broken/oversized.txt.gz": oversized_page(),
    }


def generate() -> dict[str, bytes]:
    """Every generated file, relative path -> bytes."""
    return {**encodings(), **gzipped(), **warcs(), **broken()}


def write(out: Path) -> list[Path]:
    """Replace `out` with a fresh generation; the folder holds only generated files."""
    if out.exists():
        shutil.rmtree(out)
    written = []
    for relative, data in sorted(generate().items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to (re)write")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
