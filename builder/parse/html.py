"""Parser for HTML article pages: trafilatura for the body, page metadata for the rest."""

from __future__ import annotations

import trafilatura

from ..errors import PageError
from ..model import Draft

PARSER_NAME = "html"
PARSER_VERSION = f"1.0.0+trafilatura-{trafilatura.__version__}"


def parse_html(text: str, url: str | None = None) -> Draft:
    """Extract title, body paragraphs, site name, date, authors and language from a page."""
    doc = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not (doc.text or "").strip():
        raise PageError("no_body", "the extractor found no article body in the HTML")
    if not doc.title:
        raise PageError("no_title", "the HTML has no <h1>, og:title or <title>")
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    if paragraphs and paragraphs[0].strip() == doc.title.strip():
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise PageError("no_body", "the extractor found only the title, no body")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Draft(
        title=doc.title,
        paragraphs=paragraphs,
        publication=doc.sitename,
        publish_date=doc.date,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
        url=doc.url,
        language=doc.language,
        authors=authors,
        source_format="html",
    )
