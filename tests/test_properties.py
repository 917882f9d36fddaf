"""Property tests: on arbitrary bytes and text, the readers and parsers raise nothing but PageError.

A crawl holds every kind of garbage; whatever the bytes, a page must end as a record or a
reject with a reason, never as a traceback that stops the build.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.errors import REJECT_REASONS, PageError
from builder.model import Draft, Page, Reject
from builder.normalize.dates import parse_any_date, parse_day_month_year, to_utc_timestamp
from builder.normalize.text import clean_inline
from builder.normalize.urls import normalize_url
from builder.parse.aggregator import parse_aggregator
from builder.parse.decode import decode
from builder.parse.detect import parse_page
from builder.read.files import InputFile, read_file
from builder.read.warc import iter_warc

from .conftest import FIXTURE_SEEDS, SAMPLES

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEED_TEXT = sorted(FIXTURE_SEEDS.glob("101_*.txt"))[0].read_text(encoding="utf-8")
ARABIC_SEED = sorted(FIXTURE_SEEDS.glob("102_*.txt"))[0].read_text(encoding="utf-8")
WARC_BYTES = (SAMPLES / "pages" / "generated" / "warc" / "crawl-2023-11.warc.gz").read_bytes()
PLAIN_WARC = (SAMPLES / "pages" / "generated" / "warc" / "dne-2024-06.warc").read_bytes()

# Lines a dump is made of, so generated pages hit the parser's branches, not just "no title".
LAYOUT_LINES = [
    "",
    "   ",
    "Thank you for reporting!",
    "شكرا على الإبلاغ!",
    "This image will be automatically disabled when it gets reported by several people.",
    "Clic here to read the story from its source.",
    "اضغط هنا لقراءة الخبر من مصدره.",
    "Published in Ahram Online on 07 - 02 - 2020",
    "Published in X on 31 - 02 - 2020",
    "Published in X on 2020-02-07",
    "نشر في الأهرام يوم ١٢ - ٠٥ - ٢٠٢٢",
    "Published in  on 1 - 1 - 1",
    "Headline one\u00a0\u00a0\u00a0\u00a0Headline two\u00a0\u00a0\u00a0\u00a0Headline three",
    "A body paragraph.",
    "Q:   spaced   out",
    "\x0c\x07",
    "&amp;&#39;",
]


def _assert_page_error_only(call: object, *args: object) -> None:
    try:
        call(*args)  # type: ignore[operator]
    except PageError as error:
        assert error.reason in REJECT_REASONS
        assert error.message.strip()


@FAST
@given(st.binary(max_size=4096))
@example(b"\xef\xbb\xbf\xff")
@example(b"\xff\xfe\x00")
@example(b"\xfe\xff\x00\xd8")
def test_decode_raises_only_page_error(data: bytes) -> None:
    try:
        text = decode(data)
    except PageError as error:
        assert error.reason in ("binary_file", "undecodable")
    else:
        assert isinstance(text, str)


@FAST
@given(st.text(max_size=2000))
def test_aggregator_parser_raises_only_page_error_on_any_text(text: str) -> None:
    _assert_page_error_only(parse_aggregator, text)


@FAST
@given(
    st.lists(st.sampled_from(LAYOUT_LINES) | st.text(max_size=80), max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_aggregator_parser_on_layout_like_pages(lines: list[str], newline: str) -> None:
    try:
        draft = parse_aggregator(newline.join(lines))
    except PageError as error:
        assert error.reason in ("no_title", "no_body")
        return
    assert isinstance(draft, Draft) and draft.title.strip() and draft.paragraphs


@FAST
@given(st.integers(0, len(SEED_TEXT)), st.integers(0, 40), st.text(max_size=20))
def test_aggregator_parser_on_damaged_seed_pages(at: int, cut: int, insert: str) -> None:
    for base in (SEED_TEXT, ARABIC_SEED):
        _assert_page_error_only(parse_aggregator, base[:at] + insert + base[at + cut :])


def _read(tmp_path: Path, name: str, data: bytes) -> list[Page | Reject]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_file(InputFile(path, name), {}, 1 << 16))


@FAST
@given(
    st.binary(max_size=2048),
    st.sampled_from(["p.txt", "p.html", "p.txt.gz", "p.warc", "p.warc.gz", "p.bin"]),
)
def test_reading_any_bytes_gives_pages_or_rejects(tmp_path: Path, data: bytes, name: str) -> None:
    for result in _read(tmp_path, name, data):
        assert isinstance(result, (Page, Reject))
        if isinstance(result, Reject):
            assert result.reason in REJECT_REASONS and result.raw_path == name


@FAST
@given(st.binary(max_size=2048))
def test_gzip_of_any_bytes_reads_back_or_is_rejected(tmp_path: Path, data: bytes) -> None:
    [page] = _read(tmp_path, "p.txt.gz", gzip.compress(data, mtime=0))
    assert (
        isinstance(page, Page) and page.data == data
        if len(data) <= 1 << 16
        else page.reason == "too_large"
    )


def _inflated(data: bytes) -> bytes:
    """What the gzip members of `data` decompress to, as far as they go."""
    out = b""
    while data:
        member = zlib.decompressobj(wbits=31)
        try:
            out += member.decompress(data)
        except zlib.error:
            return out
        if not member.eof:
            return out
        data = member.unused_data
    return out


@FAST
@given(
    st.integers(0, len(WARC_BYTES)),
    st.integers(0, len(WARC_BYTES) - 1),
    st.integers(0, 255),
    st.booleans(),
)
def test_damaged_warc_gives_pages_or_rejects(cut: int, flip: int, value: int, plain: bool) -> None:
    source = PLAIN_WARC if plain else WARC_BYTES
    damaged = bytearray(source[:cut] if cut < len(source) else source)
    if damaged:
        damaged[flip % len(damaged)] = value
    results = list(iter_warc(io.BytesIO(bytes(damaged)), "w.warc", "0" * 64, 1 << 20))
    assert all(isinstance(r, (Page, Reject)) for r in results)
    if b"WARC-Type: response" in (bytes(damaged) if plain else _inflated(bytes(damaged))):
        # a response record (whole or cut) is still in the damaged bytes: it ends as a
        # page or a reject, never in silence. A file cut exactly after a request or the
        # warcinfo record is a valid shorter file with nothing to say.
        assert results


@FAST
@given(st.text(max_size=200))
def test_normalizers_never_raise(text: str) -> None:
    assert normalize_url(text) is None or normalize_url(text).startswith(("http://", "https://"))
    assert to_utc_timestamp(text) is None or len(to_utc_timestamp(text) or "") == 20
    assert parse_any_date(text) is None or len(parse_any_date(text) or "") == 10
    assert isinstance(clean_inline(text), str)
    _assert_page_error_only(parse_day_month_year, text)


HTML_PIECES = [
    "<html>",
    "<body>",
    "<p>",
    "</p>",
    "<article>",
    "<h1>",
    "</h1>",
    "<title>",
    "</title>",
    "<meta charset='windows-1256'>",
    "<script>",
    "<!--",
    "&amp;",
    "x",
    " ",
    "\n",
    "é",
    "خبر",
]


@FAST
@given(
    st.binary(max_size=3000)
    | st.lists(st.sampled_from(HTML_PIECES), max_size=60).map(
        lambda parts: "".join(parts).encode()
    ),
    st.sampled_from([None, "html"]),
)
def test_parse_page_raises_only_page_error(data: bytes, hint: str | None) -> None:
    page = Page("p.html", data, "0" * 64, "file", format_hint=hint)
    _assert_page_error_only(parse_page, page)
