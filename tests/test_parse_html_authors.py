"""Author names on small pages written for one real-web shape each."""

from __future__ import annotations

import json

import pytest

from builder.parse.html.authors import split_names
from builder.parse.html.parser import parse_html

BODY = "<p>{}</p>".format("The river rose by two metres overnight and closed the old bridge. " * 4)


def _page(head: str = "", byline: str = "", jsonld: object = None) -> str:
    script = (
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    )
    return (
        f"<html><head><title>River closes bridge</title>{head}{script}</head><body>"
        f"<article><h1>River closes bridge</h1>{byline}{BODY}</article></body></html>"
    )


def _authors(html: str) -> list[str]:
    return parse_html(html, "https://example.org/river").authors


@pytest.mark.parametrize(
    ("html", "authors"),
    [
        pytest.param(
            _page(byline='<div class="author"><span>By</span><a href="/u/7">Lena Ortiz</a></div>'),
            ["Lena Ortiz"],
            id="label-and-name-in-adjacent-spans",
        ),
        pytest.param(
            _page(byline='<div class="post-author"><div>Author</div><div>Tom Reed</div></div>'),
            ["Tom Reed"],
            id="label-on-its-own-line",
        ),
        pytest.param(
            _page(byline='<div class="byline">Veröffentlicht von Karla Weiss</div>'),
            ["Karla Weiss"],
            id="german-label",
        ),
        pytest.param(
            _page(byline='<div class="entry-author">Posted on</div>'),
            [],
            id="date-label-is-no-name",
        ),
        pytest.param(
            _page(
                head='<meta name="twitter:label1" content="Written by">'
                '<meta name="twitter:data1" content="Mia Chen">'
            ),
            ["Mia Chen"],
            id="yoast-twitter-label",
        ),
        pytest.param(
            _page(
                head='<meta name="twitter:label1" content="Est. reading time">'
                '<meta name="twitter:data1" content="3 minutes">'
            ),
            [],
            id="other-twitter-label",
        ),
        pytest.param(
            _page(
                jsonld={
                    "@type": "BlogPosting",
                    "headline": "River closes bridge",
                    "author": {"@type": "Person", "name": "Ada Brook"},
                    "publisher": {"@type": "Person", "name": "Ada Brook"},
                }
            ),
            ["Ada Brook"],
            id="one-author-blog-named-after-its-author",
        ),
        pytest.param(
            _page(
                byline='<p class="byline">By Sam Hale</p>',
                jsonld={
                    "@type": "NewsArticle",
                    "headline": "River closes bridge",
                    "author": {"@type": "Person", "name": "Daily River"},
                    "publisher": {"@type": "Organization", "name": "Daily River"},
                },
            ),
            ["Sam Hale"],
            id="site-as-author-yields-to-the-byline",
        ),
        pytest.param(
            _page(
                jsonld={
                    "@graph": [
                        {"@type": "WebPage", "name": "River closes bridge"},
                        {"@type": "Person", "name": "Ines Vogt"},
                    ]
                }
            ),
            ["Ines Vogt"],
            id="the-one-person-of-a-yoast-graph",
        ),
        pytest.param(
            _page(
                jsonld={
                    "@graph": [
                        {"@type": "WebPage", "name": "River closes bridge"},
                        {"@type": "Person", "name": "Ines Vogt"},
                        {"@type": "Person", "name": "Karl Lind"},
                    ]
                }
            ),
            [],
            id="two-persons-name-no-one",
        ),
        pytest.param(
            _page(jsonld={"@type": "NewsArticle", "author": {"@type": "Person", "name": "ivogt"}},
                  byline='<div class="byline">By Ines Vogt</div>'),
            ["Ines Vogt"],
            id="a-login-gives-way-to-the-byline",
        ),
        pytest.param(
            _page(jsonld={"@type": "NewsArticle", "author": {"@type": "Person", "name": "ivogt"}}),
            ["ivogt"],
            id="a-login-alone-is-kept",
        ),
        pytest.param(
            _page(jsonld={"@type": "NewsArticle", "author": {"@type": "Person", "name": "焦鹏"}},
                  byline='<div class="byline">By Ines Vogt</div>'),
            ["焦鹏"],
            id="a-name-in-a-script-without-case-is-no-login",
        ),
        pytest.param(
            _page(byline='<span class="authorname-txt">Ines Vogt</span>'),
            ["Ines Vogt"],
            id="class-word-run-together",
        ),
        pytest.param(
            _page(byline='<footer class="entry-meta">Posted by <a rel="author">Ines Vogt</a>'
                  "</footer>"),
            ["Ines Vogt"],
            id="byline-in-the-article-footer",
        ),
        pytest.param(
            _page(byline='<aside class="related"><p class="author">Karl Lind</p></aside>'),
            [],
            id="byline-in-a-related-box-is-not-the-author",
        ),
        pytest.param(
            '<html><head><title>River closes bridge</title></head><body>'
            '<h1>River closes bridge</h1><div class="hentry tag-related">'
            f'<span class="author">Ines Vogt</span>{BODY}</div></body></html>',
            ["Ines Vogt"],
            id="hatom-post-with-taxonomy-classes",
        ),
        pytest.param(
            _page(head='<meta property="og:site_name" content="Salt; Pepper">',
                  byline='<div class="byline">Salt; Pepper</div>'),
            [],
            id="the-site-name-with-a-separator",
        ),
    ],
)
def test_authors(html: str, authors: list[str]) -> None:
    assert _authors(html) == authors


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Byron Hale", ["Byron Hale"]),
        ("Erstellt von Jonas Berg", ["Jonas Berg"]),
        ("Escrito por Lucía Gómez", ["Lucía Gómez"]),
        ("Autor: Petra Lind", ["Petra Lind"]),
        ("Interview: Nora Falk", ["Nora Falk"]),
        ("By Perry Lane Jr.", ["Perry Lane Jr."]),
        ("Joe S.", ["Joe S."]),
        ("— par Jean Roy", ["Jean Roy"]),
        ("Isabel Korn am Samstag", ["Isabel Korn"]),
        ("Organization: Web Crawls", []),
        ("Posted on", []),
        ("Ann Lee, PhD", ["Ann Lee"]),
        ("Zum Profil von kochfan", ["kochfan"]),
        ("Redacci&oacute;n Central", ["Redacción Central"]),
        ("Por Ana Ruiz @aruiz", ["Ana Ruiz"]),
        ("/* <![CDATA[ */", []),
        ("Autor kontaktieren", []),
        ("Stand", []),
    ],
)
def test_byline_labels(byline: str, names: list[str]) -> None:
    assert split_names(byline) == names
