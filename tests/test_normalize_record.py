"""Draft + page to a record: every field normalized, the id stable, and the documented rejects."""

from __future__ import annotations

import pytest

from builder.errors import PageError
from builder.model import Draft, Page
from builder.normalize.record import build_record, fill_languages, record_id
from builder.validate.schema import RecordValidator


def _page(url: str | None = None, fetched_at: str | None = None) -> Page:
    return Page(
        raw_path="en/page.txt",
        data=b"x",
        raw_sha256="a" * 64,
        container="file",
        url=url,
        fetched_at=fetched_at,
    )


def _draft(**changes: object) -> Draft:
    fields: dict = dict(
        title="Q&amp;A:  Cumin\u00a0prices",
        paragraphs=["First\u200b para.", "", "Second  para."],
        publication="AhramOnline",
        publish_date="07 - 02 - 2020",
        parser="aggregator_text",
        parser_version="1.1.0",
    )
    fields.update(changes)
    return Draft(**fields)


def test_record_fields_are_normalized_and_valid() -> None:
    record = build_record(
        _draft(), _page("HTTPS://Example.COM/a?utm_source=x#c", "2024-01-02T03:04:05Z")
    )
    assert record["title"] == "Q&A: Cumin prices"
    assert record["text"] == "First para.\n\nSecond para."
    assert record["publication"] == "Ahram Online"
    assert record["publish_date"] == "2020-02-07"
    assert record["source_url"] == "https://example.com/a"
    assert record["language"] == "en"
    assert record["provenance"]["fetched_at"] == "2024-01-02T03:04:05Z"
    assert record["provenance"]["raw_path"] == "en/page.txt"
    assert RecordValidator().problems(record) == []


def test_arabic_draft_keeps_its_declared_language() -> None:
    draft = _draft(
        title="عنوان الخبر",
        paragraphs=["نص الخبر الأول.", "نص الخبر الثاني."],
        publication="الأهرام",
        language="ar",
    )
    record = build_record(draft, _page())
    assert (record["language"], record["publication"]) == ("ar", "Al-Ahram")


def test_id_is_the_url_when_known_so_rescrapes_share_it() -> None:
    a = build_record(_draft(), _page("https://example.com/a?utm_source=mail"))
    b = build_record(_draft(title="A different headline"), _page("https://EXAMPLE.com:443/a#x"))
    assert a["id"] == b["id"] == record_id("https://example.com/a", "", None, "")


def test_id_without_url_is_publication_date_and_title() -> None:
    a = build_record(_draft(), _page())
    b = build_record(_draft(title="q&a: CUMIN prices", publication="Ahram Online"), _page())
    c = build_record(_draft(publish_date="08 - 02 - 2020"), _page())
    assert a["id"] == b["id"] != c["id"]
    assert len(a["id"]) == 16 and int(a["id"], 16) >= 0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": " \u200b "}, "no_title"),
        ({"paragraphs": ["\x07", "  "]}, "no_body"),
        ({"publication": None}, "no_publication"),
        ({"publish_date": "31 - 02 - 2023"}, "bad_date"),
    ],
)
def test_drafts_that_cannot_be_records(changes: dict, reason: str) -> None:
    with pytest.raises(PageError) as caught:
        build_record(_draft(**changes), _page())
    assert caught.value.reason == reason


def test_missing_publication_comes_from_a_known_domain() -> None:
    record = build_record(
        _draft(publication=None, publish_date=None), _page("https://www.egypttoday.com/Article/1")
    )
    assert (record["publication"], record["publish_date"]) == ("Egypt Today", None)


def test_languages_identified_together_equal_one_at_a_time() -> None:
    drafts = [
        _draft(paragraphs=["The central bank kept interest rates unchanged on Thursday."]),
        _draft(title="عنوان", paragraphs=["قال وزير المالية إن الموازنة ستخفض العجز."]),
        _draft(title="عنوان", paragraphs=["نص الخبر."], language="ar-EG"),  # declared: kept
        _draft(paragraphs=["Le gouvernement a présenté mardi un plan pour les chemins de fer."]),
    ]
    alone = [build_record(d, _page()) for d in drafts]
    together = [build_record(d, _page(), identify=False) for d in drafts]
    assert [r["language"] for r in together] == [None, None, "ar", None]
    fill_languages(together)
    assert together == alone
    assert [r["language"] for r in alone] == ["en", "ar", "ar", "fr"]


def test_a_site_in_no_registry_is_named_by_its_registrable_domain() -> None:
    record = build_record(_draft(publication=None), _page("https://edition.unknown-news.co.uk/a"))
    assert record["publication"] == "unknown-news.co.uk"
    assert record["provenance"]["publication_source"] == "url_domain"
    assert RecordValidator().problems(record) == []


@pytest.mark.parametrize(
    ("publication", "url", "source"),
    [
        ("AhramOnline", None, "registry"),
        ("A Blog Nobody Listed", None, "page"),
        (None, "https://www.egypttoday.com/Article/1", "registry_domain"),
    ],
)
def test_the_record_says_where_its_publication_came_from(
    publication: str | None, url: str | None, source: str
) -> None:
    record = build_record(_draft(publication=publication), _page(url))
    assert record["provenance"]["publication_source"] == source


def test_a_page_with_neither_name_nor_url_is_no_publication() -> None:
    with pytest.raises(PageError) as caught:
        build_record(_draft(publication=None), _page(None))
    assert caught.value.reason == "no_publication"


def test_every_language_the_model_can_emit_makes_a_valid_record() -> None:
    from builder.normalize.langid_fast import identifier
    from builder.normalize.language import language_code

    validator = RecordValidator()
    record = build_record(_draft(), _page())
    classes = sorted(identifier().classes)
    assert len(classes) > 100  # the whole model, not a sample of it
    for label in classes:
        code = language_code(label)
        assert code is not None, label
        problems = validator.problems({**record, "language": code})
        assert problems == [], (label, code, problems)
    # Dialects are given as their macrolanguage; 3-letter codes stay where no 2-letter
    # one exists; "no linguistic content" keeps its BCP 47 code.
    assert [language_code(c) for c in ("arz", "ary", "pcm", "zxx", "tl")] == [
        "ar", "ar", "pcm", "zxx", "tl"]


@pytest.mark.parametrize(
    ("declared", "code"),
    [("en-GB", "en"), ("ar_EG", "ar"), ("EN", "en"), ("deu", "de"), ("ger", "de"),
     ("iw", "he"), ("fil-PH", "fil"), ("arz", "ar"), ("zxx", "zxx"), ("und", None),
     ("xx", None), ("english", None), ("", None)],
)
def test_declared_language_tags_are_read_as_codes(declared: str, code: str | None) -> None:
    from builder.normalize.language import declared_language

    assert declared_language(declared) == code
