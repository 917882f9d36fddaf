"""Bytes to text: BOMs, UTF-8, and the legacy code pages Arabic and Western news sites use."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import PageError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A page is binary when this share of its first bytes are control bytes other than
# tab/CR/LF/FF (text in any 8-bit code page has almost none; images and zips are full).
BINARY_CONTROL_SHARE = 0.05
SNIFF_BYTES = 8192
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16 text is full of NULs
    if b"\x00" in head:
        return True
    # Counted in C: deleting every other byte leaves the control bytes (a Python loop over
    # 8 KiB was 15% of an aggregator page's time).
    controls = len(head.translate(None, _NOT_CONTROL))
    return controls > BINARY_CONTROL_SHARE * max(len(head), 1)


# Arabic letters in a cp1256 reading of Western text sit inside Latin words ("Bogotل"
# for "Bogotá"); in real Arabic they form words of their own. At most this share of
# the Arabic letters may touch a Latin letter for the page to count as Arabic.
MIXED_SCRIPT_SHARE = 0.2
# cp1256 maps each byte to one character, so the letters of its reading are counted on
# the bytes, in C: which bytes read as Arabic letters (U+0600-U+06FF) and which as
# non-ASCII at all. (Counting the decoded characters in a Python loop took a millisecond
# per page, a tenth of the parse time of a whole crawl for its 3% of such pages.)
_CP1256_CHARS = bytes(range(256)).decode("cp1256")
_ARABIC_BYTES = bytes(b for b, c in enumerate(_CP1256_CHARS) if "\u0600" <= c <= "\u06ff")
_NOT_ARABIC_BYTES = bytes(b for b in range(256) if b not in _ARABIC_BYTES)
_NOT_HIGH_BYTES = bytes(b for b, c in enumerate(_CP1256_CHARS) if ord(c) <= 127)
_ARABIC_CLASS = b"[" + b"".join(re.escape(bytes([b])) for b in _ARABIC_BYTES) + b"]"
_MIXED_SCRIPT_BYTES = re.compile(
    b"[A-Za-z]" + _ARABIC_CLASS + b"|" + _ARABIC_CLASS + b"[A-Za-z]"
)
# `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`,
# looked for in the first bytes as the HTML standard's prescan does.
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE
)
# Labels that browsers read as windows-1252 (WHATWG Encoding): a page saying
# ISO-8859-1 really uses cp1252's curly quotes and dashes in 0x80-0x9F.
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}
)


def _reads_as_arabic(data: bytes) -> bool:
    """Whether the cp1256 reading of the bytes is Arabic text rather than Western mojibake."""
    high = len(data.translate(None, _NOT_HIGH_BYTES))
    arabic = len(data.translate(None, _NOT_ARABIC_BYTES))
    if not arabic or arabic <= high / 2:
        return False
    return len(_MIXED_SCRIPT_BYTES.findall(data)) <= MIXED_SCRIPT_SHARE * arabic


def _legacy(data: bytes) -> str:
    # cp1256 and cp1252 both decode almost any byte string; pick by what the high bytes
    # become: Arabic words mean cp1256 (Windows Arabic), anything else Western.
    if _reads_as_arabic(data):
        return data.decode("cp1256")  # defines all 256 bytes, never fails
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise PageError(
            "undecodable",
            "the bytes decode as neither UTF-8, cp1256, cp1252 nor a detected charset",
        )
    return str(best)


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its start, if any."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


STRAY_BYTE_SPACING = 100  # characters per invalid sequence, at the least


def _stray_byte_limit(data: bytes) -> int:
    """How many invalid sequences a page may have and still be in its declared charset.

    A stray byte or a character cut by a truncated download is one or two; a page in
    another charset than it declares (cp1256 labelled UTF-8) has one on almost every
    non-ASCII character, hundreds on a short article.
    """
    return 2 + len(data) // 20000


def decode_tolerant(data: bytes, encoding: str) -> str | None:
    """The bytes in `encoding`, each invalid sequence read as U+FFFD; None when there are
    more of them than a stray byte explains (the declaration is then wrong)."""
    parts: list[str] = []
    start, errors, limit = 0, 0, _stray_byte_limit(data)
    while True:
        try:
            parts.append(data[start:].decode(encoding))
            text = "".join(parts)
            # ... and they are rare in the page: one in a 4-byte file is not a stray byte.
            return text if errors * STRAY_BYTE_SPACING <= len(text) else None
        except UnicodeDecodeError as exc:
            errors += 1
            if errors > limit:
                return None
            parts.append(data[start : start + exc.start].decode(encoding) + "\ufffd")
            start += exc.end
        except LookupError:
            return None


def _try_declared(data: bytes, label: str | None) -> str | None:
    if not label:
        return None
    encoding = "cp1252" if label.lower() in _WINDOWS_1252_LABELS else label
    return decode_tolerant(data, encoding)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes as declared: BOM, then the HTTP header's charset (`declared`),
    then `<meta charset>`, then a cp1256/cp1252 guess.

    Valid UTF-8 is read as UTF-8 before the declarations: multi-byte UTF-8 sequences do
    not occur by chance in text of another charset, while pages served as ISO-8859-1 by
    a misconfigured server are common. A declared charset keeps a page with a stray
    invalid byte (read as U+FFFD) instead of re-guessing the whole page's charset.
    """
    if looks_binary(data):
        raise PageError(
            "binary_file", "the file holds binary data (NUL or control bytes), not text"
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = decode_tolerant(data[len(bom) :], encoding)
            if text is None:
                raise PageError(
                    "undecodable",
                    f"the file starts with a {encoding} byte order mark, but many of its "
                    f"bytes are not {encoding}",
                )
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (declared, meta_charset(data)):
        text = _try_declared(data, label)
        if text is not None:
            return text
    return _legacy(data)
