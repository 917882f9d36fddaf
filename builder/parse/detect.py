"""Which parser a page needs, from its container hint and its first bytes."""

from __future__ import annotations

import re

from ..errors import PageError
from ..model import Draft, Page
from .aggregator import has_markers, parse_aggregator_lines, split_lines
from .decode import decode
from .html.parser import parse_html

_HTML_START = re.compile(
    r"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<meta|<article)", re.IGNORECASE
)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|article|p|div)[\s>]", re.IGNORECASE)


def _format(page: Page, text: str) -> tuple[str, list[str] | None]:
    """The format, and for a dump its lines (cut once, for the detector and the parser)."""
    head = text[:2048]
    if page.format_hint == "html" or _HTML_START.match(head):
        return "html", None
    lines = split_lines(text)
    if has_markers(lines):
        return "aggregator_text", lines
    if _HTML_ANYWHERE.search(head):
        return "html", None
    raise PageError(
        "unknown_format",
        "neither an HTML page nor an aggregator dump (no 'Published in' line, widget or footer)",
    )


def detect_format(page: Page, text: str) -> str:
    """'html' or 'aggregator_text'; raises PageError('unknown_format') otherwise."""
    return _format(page, text)[0]


def parse_page(page: Page) -> Draft:
    """Decode and parse one page with the parser its format needs."""
    # isspace() is strip()'s test without the copy of the page strip() makes.
    if not page.data or page.data.isspace():
        raise PageError("empty_file", "the page has no content")
    text = decode(page.data, page.charset)
    if not text or text.isspace():
        raise PageError("empty_file", "the page decodes to white space only")
    _, lines = _format(page, text)
    if lines is None:
        return parse_html(text, page.url)
    return parse_aggregator_lines(lines)
