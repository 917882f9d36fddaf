"""Which parser a page needs, from its container hint and its first bytes."""

from __future__ import annotations

import re

from ..errors import PageError
from ..model import Draft, Page
from .aggregator import looks_like_aggregator, parse_aggregator
from .decode import decode
from .html import parse_html

_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<meta|<article)", re.IGNORECASE)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|article|p|div)[\s>]", re.IGNORECASE)


def detect_format(page: Page, text: str) -> str:
    """'html' or 'aggregator_text'; raises PageError('unknown_format') otherwise."""
    head = text[:2048]
    if page.format_hint == "html" or _HTML_START.match(head):
        return "html"
    if looks_like_aggregator(text):
        return "aggregator_text"
    if _HTML_ANYWHERE.search(head):
        return "html"
    raise PageError("unknown_format", "neither an HTML page nor an aggregator dump (no 'Published in' line, widget or footer)")


def parse_page(page: Page) -> Draft:
    """Decode and parse one page with the parser its format needs."""
    if not page.data.strip():
        raise PageError("empty_file", "the page has no content")
    text = decode(page.data, page.charset)
    if not text.strip():
        raise PageError("empty_file", "the page decodes to white space only")
    if detect_format(page, text) == "html":
        return parse_html(text, page.url)
    return parse_aggregator(text)
