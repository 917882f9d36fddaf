"""The HTML parser's faster paths give what the plain library calls they replace give.

Each shortcut (options built once, C element-class lookups, lazy line rendering, one
text pass for the whole page) is checked against the defining call on the gold pages
and on generated tag soup, so a speed change cannot change a record.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import trafilatura
import trafilatura.core
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trafilatura.settings import Document, Extractor

from benchmarks.extraction.scoring import FIXTURES, GoldPage, load_gold
from builder.errors import PageError
from builder.parse.html import authors as html_authors
from builder.parse.html import body as html_body
from builder.parse.html import dates as html_dates
from builder.parse.html import metadata as html_metadata
from builder.parse.html.dom import (
    class_words,
    element_texts,
    first_lines,
    following,
    text_lines,
)
from builder.parse.html.parser import _UNPARSEABLE, _parseable, load_tree
from builder.parse.html.selectors import PUBLISHED_PROPERTIES

REPO = Path(__file__).resolve().parents[1]
GOLD = load_gold(FIXTURES) + load_gold(FIXTURES / "holdout")
# Markup that exercises lxml.html's special element classes and the line rendering:
# form controls, nested blocks, <br>, skipped tags, text with its own line breaks.
FORM_PAGE = """<html><head><title>t</title></head><body>
<form action="/s"><label for="q">Search</label><input id="q" name="q">
<select name="s"><option>a</option></select><textarea>x</textarea></form>
<div>One<br>two <span>three
four</span><p>five</p><script>var six;</script>seven</div></body></html>"""

_PIECES = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<span class='byline'>",
        "</span>",
        "<br>",
        "<li>",
        "<ul>",
        "</ul>",
        "<script>x</script>",
        "<noscript>n</noscript>",
        "<form>",
        "<input>",
        "<h2>",
        "</h2>",
        "\n",
        "  ",
        "\u00a0",
        "By Ann Lee",
        "word",
    ]
) | st.text(max_size=12)


def _captured_options(page: GoldPage, monkeypatch: pytest.MonkeyPatch) -> Extractor:
    captured: list[Extractor] = []
    sequence = trafilatura.core.trafilatura_sequence

    def spy(tree, options, url=None):  # type: ignore[no-untyped-def]
        captured.append(options)
        return sequence(tree, options, url)

    monkeypatch.setattr(trafilatura.core, "trafilatura_sequence", spy)
    trafilatura.bare_extraction(
        page.html, include_comments=False, include_tables=True, with_metadata=False
    )
    return captured[0]


def test_trafilatura_gets_the_options_its_keywords_would_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _captured_options(GOLD[0], monkeypatch)
    for name in Extractor.__slots__:
        assert getattr(html_body._OPTIONS, name) == getattr(built, name), name


def _row_or_line(line: str) -> str:
    """A `| a | b |` table row as "a | b", its `|---|` rule as nothing, other lines as they are."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    return " | ".join(cell.strip() for cell in line[1:-1].split("|") if cell.strip("- "))


@pytest.mark.parametrize("page", GOLD, ids=lambda p: p.name)
def test_extracted_lines_equal_trafilatura_called_with_keywords(page: GoldPage) -> None:
    doc = trafilatura.bare_extraction(
        load_tree(page.html), include_comments=False, include_tables=True, with_metadata=False
    )
    assert isinstance(doc, Document) and doc.text
    expected = [_row_or_line(" ".join(line.split())) for line in doc.text.split("\n")]
    expected = [line for line in expected if line]
    assert [text for text, _ in html_body.extracted_lines(load_tree(page.html))] == expected


def test_elements_have_the_classes_lxml_html_gives_them() -> None:
    ours = load_tree(FORM_PAGE)
    theirs = lxml.html.document_fromstring(FORM_PAGE, parser=lxml.html.HTMLParser())
    assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    assert {type(e).__name__ for e in ours.iter()} >= {"FormElement", "InputElement"}


@pytest.mark.parametrize("count", [0, 1, 3, 100])
def test_first_lines_are_the_first_text_lines(count: int) -> None:
    for element in load_tree(FORM_PAGE).iter():
        assert first_lines(element, count) == text_lines(element)[:count]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_first_lines_on_tag_soup(html: str) -> None:
    try:
        tree = load_tree(f"<html><body>{html}</body></html>")
    except PageError:
        return
    for element in tree.iter():
        assert first_lines(element, 2) == text_lines(element)[:2]


def _defining_texts(root: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    return [(e, " ".join(e.text_content().split())) for e in root.iter() if isinstance(e.tag, str)]


@pytest.mark.parametrize("page", GOLD, ids=lambda p: p.name)
def test_element_texts_are_text_content_squashed_on_gold_pages(page: GoldPage) -> None:
    tree = load_tree(page.html)
    assert list(element_texts(tree).items()) == _defining_texts(tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        _PIECES | st.sampled_from(["<!-- c -->", "&nbsp;", "&amp;", "\t", "</b>", "<b>"]),
        max_size=60,
    ).map("".join)
)
def test_element_texts_on_tag_soup(html: str) -> None:
    try:
        tree = load_tree(f"<html><body>{html}</body></html>")
    except PageError:
        return
    assert list(element_texts(tree).items()) == _defining_texts(tree)
    body = tree.find("body")
    assert list(element_texts(body).items()) == _defining_texts(body)


# Each compiled path and the plain expression it replaces (the one the parser used first).
_BYLINE_TESTS = " or ".join(
    f'contains(@{attr}, "{part}")'
    for attr in ("class", "id")
    for part in ("yline", "uthor", "riter", "auteur", "by")
)
DEFINING_XPATHS = [
    (html_authors._BYLINE_XPATH, f'//*[{_BYLINE_TESTS} or @rel="author" or @itemprop="author"]'),
    (html_authors._AUTHOR_XPATH, '//*[@itemprop="author"]'),
    (html_authors._NAME_XPATH, './/*[@itemprop="name"]'),
    (
        html_dates._PROPERTY_XPATH,
        " | ".join(f'//*[@itemprop="{p}" or @property="{p}"]' for p in PUBLISHED_PROPERTIES),
    ),
    (
        html_dates._MARKED_XPATH,
        '//time[@pubdate] | //*[self::time or self::abbr][contains(@class, "published")]',
    ),
    (
        html_metadata._HEADLINE_XPATH,
        './/h1 | .//h2 | .//h3 | .//*[@itemprop="headline" or @role="heading"]',
    ),
    (html_metadata._PUBLISHER_NAME_XPATH, '//*[@itemprop="publisher"]//*[@itemprop="name"]'),
]
_MARKUP = st.sampled_from(
    [
        '<div class="post-byline">',
        '<p id="ContentPlaceHolder1_divByline">',
        '<span itemprop="author">',
        '<span itemprop="name">',
        '<div itemprop="publisher">',
        '<a rel="author">',
        '<span class="writer by">',
        '<div class="ArticleBody_meta__x1" id="mainStory">',
        "<time pubdate>",
        '<time class="published">',
        '<abbr class="published">',
        '<span property="dc:date">',
        '<meta itemprop="datePublished" content="2024-01-02">',
        '<h2 role="heading">',
        '<div itemprop="headline">',
        "<h1>",
        "<h3>",
        "</div>",
        "</span>",
        "</p>",
        "text",
    ]
)


def _assert_same_paths(tree: lxml.html.HtmlElement) -> None:
    for compiled, defining in DEFINING_XPATHS:
        for context in tree.iter():
            assert compiled(context) == context.xpath(defining), (compiled.path, context.tag)
    for context in tree.iter():
        raw = f"{context.get('class') or ''} {context.get('id') or ''}"
        words = re.split("[^A-Za-z0-9]+", re.sub("(?<=[a-z0-9])(?=[A-Z])", " ", raw))
        assert class_words(context) == {w.lower() for w in words if w}
        for limit in (1, 3, 12):
            defining = f"following::*[self::p or self::div or self::span][position() <= {limit}]"
            assert following(context, ("p", "div", "span"), limit) == context.xpath(defining)


@pytest.mark.parametrize("page", GOLD, ids=lambda p: p.name)
def test_compiled_paths_find_what_the_plain_ones_find_on_gold_pages(page: GoldPage) -> None:
    _assert_same_paths(load_tree(page.html))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MARKUP, max_size=40).map("".join))
def test_compiled_paths_on_generated_markup(html: str) -> None:
    try:
        tree = load_tree(f"<html><body>{html}</body></html>")
    except PageError:
        return
    _assert_same_paths(tree)


_IMPORTS_OF_A_DUMP = """
import sys
from pathlib import Path
import builder.pipeline.runner
from builder.model import Page
from builder.parse.detect import parse_page
data = Path(sys.argv[1]).read_bytes()
parse_page(Page(raw_path="a.txt", data=data, raw_sha256="", container="file"))
assert "trafilatura" not in sys.modules, "a text dump imported trafilatura"
from builder.errors import PageError
try:
    parse_page(Page(raw_path="a.html", data=b"<html><body><p>x</p></body></html>",
                    raw_sha256="", container="file", format_hint="html"))
except PageError:
    pass  # too short to be an article, but the extractor ran
assert "trafilatura" in sys.modules
"""


def test_only_an_html_page_imports_trafilatura() -> None:
    dump = next((REPO / "samples" / "pages" / "aggregator" / "en").rglob("*.txt"))
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_A_DUMP, str(dump)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


_ODD_CHARACTERS = st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ufffe", "\uffff"]
    + ["\t", "\n", "\r", " ", "\x7f", "\u00a0", "é", "ب", "\U0001f600", "<p>", "a"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ODD_CHARACTERS | st.text(max_size=5), max_size=30).map("".join))
def test_parseable_text_is_the_regex_cleaned_text(text: str) -> None:
    clean = _UNPARSEABLE.sub("", text)
    assert _parseable(text) == (clean, clean.encode("utf-8"))
