"""Bytes to text: BOMs, UTF-8, declared charsets, the cp1256/cp1252 guess; bad bytes."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import PageError
from builder.model import Page
from builder.parse.decode import _reads_as_arabic, decode, looks_binary, meta_charset
from builder.parse.detect import detect_format, parse_page

ARABIC = "افتتح وزير النقل أربع محطات جديدة ضمن المرحلة الأخيرة من الخط الثالث لمترو الأنفاق."
WESTERN = (
    "Caf\u00e9 Riche reopened on Monday \u2013 \u201cwe kept everything,\u201d the manager said."
)
# Western text whose few accented letters are Arabic letters in cp1256 (á -> ل, ñ -> ً):
# the guess must not turn it into Arabic.
SPANISH_NAMES = (
    "Pe\u00f1a scored twice in Bogot\u00e1 as Mart\u00ednez and Gonz\u00e1lez looked on."
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ARABIC.encode("utf-8"), ARABIC),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), ARABIC),
        (ARABIC.encode("utf-16"), ARABIC),  # with its BOM
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), ARABIC),
        (ARABIC.encode("cp1256"), ARABIC),
        (WESTERN.encode("cp1252"), WESTERN),
        (SPANISH_NAMES.encode("cp1252"), SPANISH_NAMES),
        (b"plain ASCII news", "plain ASCII news"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-le-bom",
        "utf16-be-bom",
        "cp1256",
        "cp1252",
        "cp1252-accents",
        "ascii",
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert decode(data) == expected


def test_declared_charset_is_used_when_utf8_fails() -> None:
    cyrillic = "Новости дня"
    assert decode(cyrillic.encode("cp1251"), declared="windows-1251") == cyrillic


def test_meta_charset_is_used_when_nothing_else_declares_one() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Новости дня</p></body></html>'
    assert meta_charset(page.encode("cp1251")) == "windows-1251"
    assert "Новости дня" in decode(page.encode("cp1251"))


def test_http_equiv_meta_charset_is_found() -> None:
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    assert meta_charset(page) == "windows-1256"


def test_latin1_label_is_read_as_windows_1252() -> None:
    page = '<meta charset="iso-8859-1"><p>\u201cquoted\u201d</p>'
    assert "\u201cquoted\u201d" in decode(page.encode("cp1252"))


def test_wrong_declared_charset_falls_back_to_the_guess() -> None:
    assert decode(ARABIC.encode("cp1256"), declared="no-such-charset") == ARABIC


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        bytes(range(0, 32)) * 10,
    ],
)
def test_binary_bytes_are_binary_file(data: bytes) -> None:
    assert looks_binary(data)
    with pytest.raises(PageError) as caught:
        decode(data)
    assert caught.value.reason == "binary_file"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + ARABIC.encode("cp1256"),  # BOM claims UTF-8, bytes are cp1256
        codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00",  # a lone high surrogate
    ],
)
def test_bom_that_lies_is_undecodable(data: bytes) -> None:
    with pytest.raises(PageError) as caught:
        decode(data)
    assert caught.value.reason == "undecodable"
    assert "byte order mark" in caught.value.message


def _page(data: bytes, hint: str | None = None) -> Page:
    return Page(raw_path="p", data=data, raw_sha256="0" * 64, container="file", format_hint=hint)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_blank_page_is_empty_file(data: bytes) -> None:
    with pytest.raises(PageError) as caught:
        parse_page(_page(data))
    assert caught.value.reason == "empty_file"


def test_blank_after_bom_is_empty_file() -> None:
    with pytest.raises(PageError) as caught:
        parse_page(_page(codecs.BOM_UTF8 + b"\n \n"))
    assert caught.value.reason == "empty_file"


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("Published in Ahram Online on 07 - 02 - 2020\n", None, "aggregator_text"),
        ("Anything at all", "html", "html"),
        ("  <div class='story'><p>Fragment saved by a crawler</p></div>", None, "html"),
    ],
)
def test_detect_format(text: str, hint: str | None, expected: str) -> None:
    assert detect_format(_page(text.encode(), hint), text) == expected


def test_text_that_is_neither_format_is_unknown_format() -> None:
    with pytest.raises(PageError) as caught:
        parse_page(_page(b"Minutes of the editorial meeting\n- wheat tender\n"))
    assert caught.value.reason == "unknown_format"


def _reads_as_arabic_text(text: str) -> bool:
    """The cp1256 test as first written, on the decoded characters."""
    high = sum(1 for c in text if ord(c) > 127)
    arabic = len(re.findall("[\u0600-\u06ff]", text))
    if not arabic or arabic <= high / 2:
        return False
    mixed = len(re.findall("[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z]", text))
    return mixed <= 0.2 * arabic


_CP1256_PIECES = st.sampled_from(
    [ARABIC.encode("cp1256"), SPANISH_NAMES.encode("cp1252"), b"abc ", b"\xe1", b"\xc7",
     b"x\xe1y", b"\x80\x9f\xff", b" "]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=64), st.lists(_CP1256_PIECES, max_size=10).map(b"".join)))
def test_cp1256_guess_counted_on_bytes_equals_counting_characters(data: bytes) -> None:
    assert _reads_as_arabic(data) is _reads_as_arabic_text(data.decode("cp1256"))


def _with_stray_byte(data: bytes) -> tuple[bytes, int]:
    """The page with one invalid byte put before a space in its second half."""
    at = data.index(b" ", len(data) // 2)
    return data[:at] + b"\xff" + data[at:], at


@pytest.mark.parametrize("declared", [None, "utf-8", "UTF-8"])
def test_one_stray_byte_in_a_utf8_page_is_one_replacement_character(
    declared: str | None,
) -> None:
    page = (f'<html><head><meta charset="utf-8"></head><body><p>{ARABIC} ' * 40).encode()
    data, _ = _with_stray_byte(page)
    text = decode(data, declared)
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == page.decode("utf-8")


def test_a_warc_header_charset_keeps_a_page_without_meta_in_utf8() -> None:
    data, _ = _with_stray_byte(("<p>" + WESTERN + " ").encode("utf-8") * 50)
    assert decode(data, "utf-8").replace("\ufffd", "") == ("<p>" + WESTERN + " ") * 50


def test_a_page_that_is_not_what_it_declares_is_read_in_its_real_charset() -> None:
    # cp1256 bytes labelled UTF-8: an invalid sequence on every Arabic letter, so the
    # declaration is wrong and the guess reads Arabic, not a page of U+FFFD.
    page = b'<meta charset="utf-8"><p>' + (ARABIC * 5).encode("cp1256")
    assert ARABIC in decode(page, "utf-8")


def _utf8_real_pages(count: int) -> list[bytes]:
    import gzip

    from .conftest import REALDATA

    folder = REALDATA / "trafilatura-eval" / "pages"
    if not folder.is_dir():
        pytest.skip("../shared/realdata is absent")
    pages = []
    for path in sorted(folder.glob("*.gz")):
        data = gzip.decompress(path.read_bytes())
        declared = meta_charset(data)
        if declared in ("utf-8", "utf8") and max(data) > 127:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            pages.append(data)
        if len(pages) == count:
            break
    return pages


def test_real_utf8_pages_with_one_injected_invalid_byte_keep_their_text() -> None:
    pages = _utf8_real_pages(25)
    assert len(pages) == 25
    for page in pages:
        data, _ = _with_stray_byte(page)
        text = decode(data)
        assert text.count("\ufffd") == page.decode("utf-8").count("\ufffd") + 1
        assert text.replace("\ufffd", "") == page.decode("utf-8").replace("\ufffd", "")
