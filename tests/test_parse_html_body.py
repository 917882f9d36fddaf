"""The body filter on small pages written for one rule each (real-web cases in miniature)."""

from __future__ import annotations

import pytest

from builder.parse.html import body as html_body
from builder.parse.html.dom import inside_linkbox, is_boilerplate
from builder.parse.html.parser import load_tree, parse_html

PROSE = (
    "The council met on Tuesday to discuss the new harbour plan, which has divided the town "
    "for months. Residents spoke for three hours before the vote was postponed again."
)
MORE = (
    "Engineers told the meeting that the old quay walls would need repairs within five "
    "years whatever the council decides, and that the cost would rise every winter."
)


def _page(article: str, after: str = "") -> str:
    return (
        "<html><head><title>Harbour plan delayed</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Harbour plan delayed</h1><p>{PROSE}</p>{article}<p>{MORE}</p></article>"
        f"{after}</body></html>"
    )


def _body(html: str) -> list[str]:
    return parse_html(html, "https://example.org/harbour").paragraphs


SETTINGS_LIST = "".join(
    f"<h3>Option {name}</h3><p>Turns the {name} display on or off for every user.</p>"
    "<ul><li>On</li><li>Off</li></ul>"
    for name in ("radar", "tide", "wind")
)


@pytest.mark.parametrize(
    ("article", "kept", "dropped"),
    [
        pytest.param(
            "<table><tr><th>Ship</th><th>Length</th></tr>"
            "<tr><td>Northern Star</td><td>120 m</td></tr>"
            "<tr><td>Grey Heron</td><td><a href='/heron'>85 m</a></td></tr></table>",
            ["Ship | Length", "Northern Star | 120 m", "Grey Heron | 85 m"],
            [],
            id="data-table-rows-with-their-cells",
        ),
        pytest.param(
            SETTINGS_LIST,
            ["On", "Off", "Option tide"],
            [],
            id="short-repeated-cells-are-content",
        ),
        pytest.param(
            "<h2>Costs</h2><h3>Repairs</h3><p>The repairs alone would cost four million, "
            "paid over ten years from the harbour fund.</p>",
            ["Costs", "Repairs"],
            [],
            id="section-heading-before-its-first-subheading",
        ),
        pytest.param(
            "<h2>The mayor, who has backed the plan since her election, said the delay was a "
            "disappointment but that the council would still vote on the plan before the start of "
            "the summer season.</h2>"
            "<h2>Next steps</h2><p>A public consultation opens next month in the town hall.</p>",
            ["The mayor, who has backed the plan since her election"],
            [],
            id="lead-paragraph-in-a-heading-tag",
        ),
        pytest.param(
            "<h3>The ferry company has not said whether it will keep the winter timetable.</h3>"
            "<h3>Tide tables</h3>",
            ["The ferry company has not said whether it will keep the winter timetable."],
            [],
            id="a-sentence-in-a-heading-tag-is-a-paragraph",
        ),
        pytest.param(
            "<h3>Draw a poster with the motto »Keep our quays clean!«</h3><h3>Tide tables</h3>",
            ["Draw a poster with the motto »Keep our quays clean!«"],
            [],
            id="a-sentence-heading-ending-in-a-quote",
        ),
        pytest.param(
            "<p><a href='/audio/12'>Listeners keep asking one question: what does the harbour "
            "master think?</a></p>",
            ["what does the harbour master think?"],
            [],
            id="a-linked-sentence-is-text",
        ),
    ],
)
def test_body_keeps_real_text(article: str, kept: list[str], dropped: list[str]) -> None:
    body = _body(_page(article))
    text = "\n".join(body)
    for snippet in kept:
        assert snippet in text, (snippet, body)
    for snippet in dropped:
        assert snippet not in text, (snippet, body)
    assert PROSE in body and MORE in body


@pytest.mark.parametrize(
    ("article", "dropped"),
    [
        pytest.param(
            "<table><tr><td><a href='/a'>Home</a></td><td><a href='/b'>Weather</a></td>"
            "<td><a href='/c'>Contact</a></td></tr></table>",
            ["Home", "Weather", "Contact"],
            id="menu-table-of-links",
        ),
        pytest.param(
            "<h2>More stories</h2><h2><a href='/x'>Ferry fares rise</a></h2>"
            "<h2><a href='/y'>New lighthouse keeper</a></h2>",
            ["More stories", "Ferry fares rise"],
            id="teaser-titles-at-one-level",
        ),
        pytest.param(
            "<p>Lesen Sie auch: <a href='/f'>Neue Fähre ab Mai</a></p>"
            "<p>LE PUEDE INTERESAR: <a href='/p'>El puerto cierra</a></p><p>Anzeige</p>",
            ["Lesen Sie auch", "LE PUEDE INTERESAR", "Anzeige"],
            id="read-also-in-other-languages",
        ),
        pytest.param(
            "<p><a href='/x'>Ferry fares rise again</a></p><p><a href='/y'>Docs</a></p>"
            "<p><a href='/z'>New lighthouse keeper named.</a></p>",
            ["Ferry fares rise again", "Docs", "New lighthouse keeper named."],
            id="short-link-lines-that-are-not-addresses-or-long-sentences",
        ),
    ],
)
def test_body_drops_boilerplate(article: str, dropped: list[str]) -> None:
    body = _body(_page(article))
    for snippet in dropped:
        assert all(snippet not in line for line in body), (snippet, body)
    assert PROSE in body and MORE in body


@pytest.mark.parametrize(
    ("attributes", "body_boilerplate", "link_box"),
    [
        # page builders wrap every block of the article in a "widget"
        pytest.param('class="elementor-widget-container"', False, True, id="builder-widget"),
        pytest.param('class="article-info"', False, False, id="info-section"),
        pytest.param('class="related-posts"', True, True, id="related"),
        pytest.param('class="post-byline"', True, False, id="byline"),
        # Drupal's class for an article shown on the front page: the article itself
        pytest.param('class="node node--promoted"', False, False, id="drupal-promoted"),
        pytest.param('class="promo-box"', True, True, id="promo"),
        # a match ticker's entries are the article; for bylines and dates it stays a box
        pytest.param('class="live-match-comment-body"', False, True, id="live-commentary"),
        pytest.param('class="comment-body"', True, True, id="reader-comment"),
        pytest.param('class="ten columns offset-by-one"', False, False, id="grid-offset-by"),
        pytest.param('class="post-by"', True, False, id="by-at-the-end"),
        pytest.param('class="by-author"', True, False, id="by-at-the-start"),
    ],
)
def test_class_words_for_the_body_and_for_link_boxes(
    attributes: str, body_boilerplate: bool, link_box: bool
) -> None:
    tree = load_tree(f"<html><body><div {attributes}><p>Text</p></div></body></html>")
    element = tree.find("body/div")
    assert is_boilerplate(element) is body_boilerplate
    assert inside_linkbox(element) is link_box


@pytest.mark.parametrize(
    ("link_text", "boilerplate"),
    [
        pytest.param("https://petition.example/quay", False, id="web-address"),
        pytest.param("www.petition.example", False, id="www-address"),
        pytest.param("quay@example.org", False, id="mail-address"),
        pytest.param("Ferry fares rise again", True, id="teaser-title"),
        pytest.param("Contact us at quay@example.org", True, id="words-around-an-address"),
        pytest.param(
            "Listeners keep asking one question: what does the harbour master think?",
            False,
            id="a-whole-sentence",
        ),
        pytest.param("New keeper named.", True, id="a-short-sentence-is-a-teaser"),
    ],
)
def test_all_link_lines(link_text: str, boilerplate: bool) -> None:
    """A line that is all link text is a teaser or menu entry, unless it is one web or
    mail address (an author's pasted link) or a whole sentence."""
    tree = load_tree(
        f"<html><body><article><p>{PROSE}</p><p><a href='/x'>{link_text}</a></p>"
        "</article></body></html>"
    )
    page = html_body._source_index(tree)
    paragraph = page.by_text[link_text][0]
    assert html_body._source_is_boilerplate(link_text, paragraph, set(), page) is boilerplate
