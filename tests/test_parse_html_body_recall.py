"""Article text the body filter used to lose, on small pages written for one rule each:
the lead between the headline and the body (lead.py), blocks whose link-list class word
names no list of links, galleries whose captions are the text; and photo credits, which
stay out."""

from __future__ import annotations

import pytest

from builder.parse.html import body as html_body
from builder.parse.html.dom import is_boilerplate
from builder.parse.html.parser import load_tree, parse_html

from .test_parse_html_body import MORE, PROSE  # the same article, one copy of its text

LAST = (
    "The harbour master said the ferries would keep their timetable until the council "
    "votes, and that the fishing fleet had been told to use the north quay meanwhile."
)
LEAD = (
    "The vote on the harbour plan is put off for the third time this year, to the anger of "
    "the fishermen who wait for the new quay."
)


def _page(header: str, body: str = "", after: str = "") -> str:
    """A headline, what the header holds after it, then the body trafilatura extracts."""
    return (
        "<html><head><title>Harbour plan delayed</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><header><h1>Harbour plan delayed</h1>{header}</header>"
        f"<div class='article-body'><p>{PROSE}</p>{body}<p>{MORE}</p><p>{LAST}</p></div>"
        f"{after}</article></body></html>"
    )


def _body(html: str) -> list[str]:
    return parse_html(html, "https://example.org/harbour").paragraphs


def test_trafilatura_alone_leaves_the_lead_out() -> None:
    """The premise of the lead rule: without the headline to start from, no lead."""
    tree = load_tree(_page(f"<div class='article-lead'><p>{LEAD}</p></div>"))
    assert LEAD not in html_body.article_paragraphs(tree, "Harbour plan delayed", [])


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(f"<div class='article-lead'><p>{LEAD}</p></div>", id="lead-class"),
        pytest.param(f"<p class='intro-text'>{LEAD}</p>", id="intro-prefix"),
        pytest.param(f"<div class='chapo'>{LEAD}</div>", id="french-chapo"),
        pytest.param(f"<h2 class='article-subheadline'>{LEAD}</h2>", id="lead-in-a-heading"),
        pytest.param(
            f"<div class='teaser-text'><span>Politics</span><p>{LEAD}</p></div>",
            id="kicker-in-the-lead-block-is-dropped",
        ),
        pytest.param(f"<p>{LEAD}</p>", id="a-paragraph-in-the-headline's-header"),
        pytest.param(
            f"<p class='lead'>{LEAD}</p><p class='lead'>{LAST[::-1]}</p>",
            id="a-lead-in-two-paragraphs",
        ),
    ],
)
def test_lead_is_added_before_the_body(header: str) -> None:
    body = _body(_page(header))
    assert body[0] == LEAD
    assert body[1:4] == [PROSE, MORE, LAST] or body[2:5] == [PROSE, MORE, LAST]
    assert "Politics" not in body


def test_lead_inside_an_article_whose_classes_name_tags() -> None:
    """WordPress writes the post's tags on the post element (`tag-harbour`): the element
    that holds the headline and the body is the article, whatever its class says."""
    html = (
        _page("")
        .replace("<article>", "<article class='post type-post tag-harbour tag-council'>")
        .replace(
            "<header><h1>Harbour plan delayed</h1></header>",
            f"<h1>Harbour plan delayed</h1><p class='entry-excerpt'>{LEAD}</p>",
        )
    )
    assert _body(html)[:2] == [LEAD, PROSE]


def test_lead_goes_after_a_kept_line_above_the_headline() -> None:
    """The stretch where a lead may sit starts at the headline, not at a kept line above
    it (a topic line set before the <h1>), and the lead goes after that line."""
    tree = load_tree(
        "<html><body><article><p class='topline'>Harbour policy, part two</p>"
        f"<h1>Harbour plan delayed</h1><p class='lead'>{LEAD}</p>"
        f"<div class='text'><p>{PROSE}</p><p>{MORE}</p></div></article></body></html>"
    )
    page = html_body._source_index(tree)
    lines = [
        html_body.Line(page.text_of[p], [p], False, p)
        for p in tree.iter("p")
        if p.get("class") != "lead"
    ]
    at, lead = html_body._lead_lines(lines, tree.find(".//h1"), page)
    assert at == 1
    assert [line.text for line in lead] == [LEAD]


@pytest.mark.parametrize(
    ("header", "after"),
    [
        pytest.param(
            f"<a href='/other'><div class='teaser'>{LEAD}</div></a>",
            "",
            id="teaser-card-inside-a-link",
        ),
        pytest.param(
            f"<div class='teaser'>{LEAD}</div><div class='teaser'>{LAST[::-1]}</div>",
            "",
            id="one-card-of-a-teaser-list",
        ),
        pytest.param(
            f"<div class='author-box'><p class='subtitle'>{LEAD}</p></div>",
            "",
            id="inside-an-author-box",
        ),
        pytest.param(f"<div class='lead'><a href='/a'>{LEAD}</a></div>", "", id="all-link-text"),
        pytest.param("<p class='lead'>Politics, harbour</p>", "", id="too-short"),
        pytest.param("", f"<div class='summary'>{LEAD}</div>", id="after-the-body"),
    ],
)
def test_what_is_not_a_lead(header: str, after: str) -> None:
    body = _body(_page(header, after=after))
    assert body[:3] == [PROSE, MORE, LAST]
    assert all("Politics" not in line for line in body)
    assert LEAD not in body or after  # a block after the body is trafilatura's to judge


@pytest.mark.parametrize(
    ("attributes", "inner", "boilerplate"),
    [
        # a CSS-in-JS class made of a component name and a hash: "tag" is an HTML tag
        pytest.param('class="tagStyle_z4kq-o_O-style_1tcx"', PROSE, False, id="css-in-js"),
        pytest.param('class="js_readmore"', PROSE, False, id="read-more-expander"),
        pytest.param('class="tags"', "<a href='/t/harbour'>Harbour</a>", True, id="tag-list"),
        pytest.param(
            'class="related-posts"', f"<a href='/x'>{PROSE}</a>", True, id="related-links"
        ),
        pytest.param('class="tag"', "Health", True, id="a-one-word-tag-without-a-link"),
        pytest.param('class="promo"', PROSE, True, id="other-link-box-words-unchanged"),
    ],
)
def test_link_list_words_need_a_link(attributes: str, inner: str, boilerplate: bool) -> None:
    tree = load_tree(f"<html><body><div {attributes}>{inner}</div></body></html>")
    assert is_boilerplate(tree.find("body/div")) is boilerplate


def test_text_in_a_block_named_like_a_tag_list_is_kept() -> None:
    body = _body(_page("", body=f"<p class='tagStyle_x1y2'>{LAST[::-1]}</p>"))
    assert LAST[::-1] in body


@pytest.mark.parametrize(
    "credit",
    ["Foto: Anna Berg", "Fotos: Anna Berg, Jan Holm", "Fot. Anna Berg / Agencja", "Photo: A. Berg"],
)
def test_photo_credit_lines_are_dropped(credit: str) -> None:
    body = _body(_page("", body=f"<p>{credit}</p>"))
    assert credit not in body and PROSE in body


CAPTIONS = [
    "What you need: a yellow raincoat, a fishing hat and a net, and you are the harbour's "
    "oldest sailor for the evening.",
    "What you need: a striped shirt, a red scarf and a toy anchor make a quick ferry "
    "captain, even on a rainy night.",
    "What you need: a white coat, a lantern and a notebook turn you into the lighthouse "
    "keeper who watches over the bay.",
]


def _judged_lines(html: str) -> list[tuple[str, bool]]:
    """Each <p> of the page as a line, with the filter's verdict (True: kept)."""
    tree = load_tree(html)
    page = html_body._source_index(tree)
    lines = [html_body.Line(page.text_of[p], [p], False, p) for p in tree.iter("p")]
    containers = html_body._containers(lines)
    markers = html_body._text_markers(lines)
    return [
        (line.text, not html_body._line_is_boilerplate(line, "", [], containers, page, markers))
        for line in lines
    ]


def test_gallery_captions_are_the_text() -> None:
    """A slideshow: the captions hold most of the text, so they are the article."""
    slides = "".join(
        f"<figure class='slide'><h2>Costume {i + 1}</h2><img src='/{i}.jpg'>"
        f"<figcaption class='slide-caption'><p>{CAPTIONS[i % 3]} ({i + 1})</p></figcaption>"
        "</figure>"
        for i in range(6)
    )
    html = f"<html><body><article><p>{PROSE}</p><div>{slides}</div></article></body></html>"
    judged = _judged_lines(html)
    assert all(kept for _, kept in judged), judged


def test_a_caption_beside_the_text_stays_out() -> None:
    html = (
        f"<html><body><article><p>{PROSE}</p><p>{MORE}</p><figure><img src='/q.jpg'>"
        f"<figcaption><p>{CAPTIONS[0]}</p></figcaption></figure><p>{LAST}</p>"
        "</article></body></html>"
    )
    assert _judged_lines(html) == [(PROSE, True), (MORE, True), (CAPTIONS[0], False), (LAST, True)]


def test_forum_posts_are_the_text_of_a_thread() -> None:
    """A forum thread: the posts (in "comment" blocks) hold most of the text."""
    posts = "".join(
        f"<div class='forum-comment'><span class='user'>user{i}</span>"
        f"<div class='comment-text'><p>{text}</p></div></div>"
        for i, text in enumerate([PROSE, MORE, LAST])
    )
    html = f"<html><body><div class='thread'><h1>Harbour question</h1>{posts}</div></body></html>"
    assert [text for text, kept in _judged_lines(html)] == [PROSE, MORE, LAST]
    assert all(kept for _, kept in _judged_lines(html))


def test_reader_comments_under_an_article_stay_out() -> None:
    comments = "".join(
        f"<div class='comment-body'><p>{text}</p></div>" for text in (CAPTIONS[0], CAPTIONS[1])
    )
    html = (
        f"<html><body><article><p>{PROSE}</p><p>{MORE}</p><p>{LAST}</p></article>"
        f"<section class='comments'>{comments}</section></body></html>"
    )
    assert [kept for _, kept in _judged_lines(html)] == [True, True, True, False, False]
