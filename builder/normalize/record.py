"""Draft + Page to a normalized record: cleaned text, ISO dates, canonical names, stable id."""

from __future__ import annotations

import hashlib

from .. import __version__
from ..errors import PageError
from ..model import Draft, Page, Record
from .dates import parse_any_date, parse_day_month_year
from .language import declared_language, identify_language, identify_languages
from .publications import Registry, load_registry
from .text import casefold_key, clean_inline, clean_paragraphs, join_paragraphs
from .urls import normalize_url

ID_HEX_DIGITS = 16


def record_id(
    source_url: str | None, publication: str, publish_date: str | None, title: str
) -> str:
    """Stable id: SHA-256 of the normalized URL, or of publication|date|case-folded title."""
    if source_url:
        key = f"url\x1f{source_url}"
    else:
        key = (
            f"article\x1f{casefold_key(publication)}\x1f{publish_date or ''}"
            f"\x1f{casefold_key(title)}"
        )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def _publish_date(draft: Draft) -> str | None:
    if not draft.publish_date:
        return None
    if draft.source_format == "aggregator_text":
        return parse_day_month_year(draft.publish_date)
    return parse_any_date(draft.publish_date)


def build_record(
    draft: Draft, page: Page, registry: Registry | None = None, identify: bool = True
) -> Record:
    """Normalize a parser's draft into a record of the schema (not yet validated).

    With `identify=False` a record whose page declares no language gets None for it,
    to be filled by `fill_languages` for many records at once.
    """
    registry = registry or load_registry()
    title = clean_inline(draft.title)
    paragraphs = clean_paragraphs(draft.paragraphs)
    if not title:
        raise PageError("no_title", "the title is empty after normalization")
    if not paragraphs:
        raise PageError("no_body", "the body is empty after normalization")
    # The page's own canonical URL wins over the crawl's URL: it is what the publisher
    # calls the article, while the crawl URL may carry a mobile host or redirects.
    source_url = normalize_url(draft.url) or normalize_url(page.url)
    found = registry.find(draft.publication, source_url)
    if not found:
        raise PageError("no_publication", "the page names no publication and has no URL")
    publication, publication_source = found
    publish_date = _publish_date(draft)
    text = join_paragraphs(paragraphs)
    language = declared_language(draft.language)
    if language is None and identify:
        language = identify_language(text)
    return {
        "id": record_id(source_url, publication, publish_date, title),
        "title": title,
        "text": text,
        "publication": publication,
        "publish_date": publish_date,
        "source_url": source_url,
        "language": language,
        "authors": [a for a in (clean_inline(a) for a in draft.authors) if a],
        "merged_copies": [],  # filled by the dedup stage; always present, so the type is stable
        "provenance": {
            "raw_path": page.raw_path,
            "raw_sha256": page.raw_sha256,
            "source_format": draft.source_format,
            "container": page.container,
            "warc_record_id": page.warc_record_id,
            "fetched_at": page.fetched_at,
            "parser": draft.parser,
            "parser_version": draft.parser_version,
            "builder_version": __version__,
            "publication_source": publication_source,
        },
    }


def fill_languages(records: list[Record]) -> None:
    """Identify the language of every record that has none yet, all in one call."""
    pending = [record for record in records if record["language"] is None]
    languages = identify_languages([record["text"] for record in pending])
    for record, language in zip(pending, languages, strict=True):
        record["language"] = language
