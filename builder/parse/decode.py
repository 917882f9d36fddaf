"""Bytes to text: BOMs, UTF-8, and the legacy code pages Arabic and Western news sites use."""

from __future__ import annotations

import codecs

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


def looks_binary(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16 text is full of NULs
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > BINARY_CONTROL_SHARE * max(len(head), 1)


def _arabic_share(text: str) -> float:
    high = [c for c in text if ord(c) > 127]
    if not high:
        return 0.0
    return sum(1 for c in high if "\u0600" <= c <= "\u06ff") / len(high)


def _legacy(data: bytes) -> str:
    # cp1256 and cp1252 both decode almost any byte string; pick by what the high bytes
    # become: Arabic letters mean cp1256 (Windows Arabic), anything else Western.
    try:
        arabic = data.decode("cp1256")
        if _arabic_share(arabic) > 0.5:
            return arabic
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise PageError("undecodable", "the bytes decode as neither UTF-8, cp1256, cp1252 nor a detected charset")
    return str(best)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes; a declared charset (HTTP header) is tried after BOM and UTF-8."""
    if looks_binary(data):
        raise PageError("binary_file", "the file holds binary data (NUL or control bytes), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise PageError("undecodable", f"{encoding} BOM but invalid bytes at offset {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _legacy(data)
