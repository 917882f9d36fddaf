"""Property tests: metadata in the shapes real sites serve never raises from the HTML parser.

Real pages put lists where one object is expected (`"mainEntityOfPage": [{...}]`), nest
`@graph`s, reference nodes by `@id`, give numbers or objects where strings are expected,
carry several NewsArticle nodes, and break their JSON. Whatever the shape, a page ends as
a Draft or a PageError with a reason; never another exception.
"""

from __future__ import annotations

import json
from html import escape

from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder.errors import PageError
from builder.parse.html.metadata import read_metadata
from builder.parse.html.parser import load_tree, parse_html

SHAPES = settings(max_examples=200, deadline=None)

BODY = "".join(
    f"<p>Paragraph {n} of the article tells what happened in the city council on Monday "
    f"and what the members decided after a long debate about the budget.</p>"
    for n in range(4)
)
KEYS = ["@type", "@id", "@graph", "@context", "@value", "headline", "name", "alternativeHeadline",
        "author", "creator", "publisher", "datePublished", "dateCreated", "dateModified",
        "uploadDate", "mainEntityOfPage", "url", "inLanguage", "isPartOf", "itemListElement",
        "image", "logo", "sameAs", "description", "articleBody"]
TYPES = ["NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "WebPage",
         "Person", "Organization", "NewsMediaOrganization", "WebSite", "ItemList",
         "http://schema.org/NewsArticle", "schema:Article", ""]
STRINGS = st.one_of(
    st.sampled_from(["2021-03-04T10:00:00+01:00", "04.03.2021", "March 4, 2021", "2021-13-45",
                     "https://example.org/a", "#org", "/relative/path", "Jane Doe", "", " "]),
    st.text(max_size=20),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    STRINGS, st.sampled_from(TYPES))
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    ),
    max_leaves=25,
)
# An article-like node, so the readers go past "no article node" into every field.
ARTICLE = st.fixed_dictionaries(
    {"@type": st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), max_size=3))},
    optional={key: JSON for key in KEYS if key != "@type"},
)
SCRIPT = st.one_of(
    ARTICLE,
    st.lists(ARTICLE, max_size=3),
    st.fixed_dictionaries({"@context": st.just("https://schema.org"),
                           "@graph": st.lists(st.one_of(ARTICLE, JSON), max_size=4)}),
    JSON,
)


def _page(scripts: list[str], head: str = "", body_attrs: str = "") -> str:
    tags = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    # The canonical link makes the readers match JSON-LD nodes against the page's URL.
    canonical = '<link rel="canonical" href="https://example.org/news/1">'
    return (f"<html><head><title>A headline | Site</title>{canonical}{tags}{head}</head>"
            f"<body{body_attrs}><article><h1>A headline</h1>{BODY}</article></body></html>")


def _parses(page: str, url: str | None = "https://example.org/news/1") -> None:
    try:
        read_metadata(load_tree(page), url)
        parse_html(page, url)
    except PageError:
        pass


@SHAPES
@given(st.lists(SCRIPT, min_size=1, max_size=3))
@example([{"@type": "NewsArticle", "mainEntityOfPage": [{"@id": "https://example.org/news/1"}]}])
@example([{"@type": "NewsArticle", "author": [{"@id": "#p"}, ["x", {"name": 3}]],
           "publisher": [{"name": ["A", "B"]}], "datePublished": ["2021-03-04", None]}])
@example([{"@graph": [{"@graph": [{"@type": "NewsArticle", "headline": {"@value": 1}}]}]}])
@example([{"@type": ["NewsArticle", "NewsArticle"], "@id": ["a", "b"], "url": 4}])
def test_any_json_ld_shape_is_read_without_an_exception(scripts: list) -> None:
    _parses(_page([json.dumps(s) for s in scripts]))


@SHAPES
@given(st.text(max_size=200))
@example('{"@type": "NewsArticle", "headline": "x",}')
@example('{"@type": "NewsArticle", "headline": "unterminated')
@example("[" * 5000)
@example('<!-- {"@type": "NewsArticle"} -->')
def test_broken_json_ld_is_skipped(script: str) -> None:
    _parses(_page([script]))


META_NAMES = ["og:site_name", "og:title", "og:url", "og:locale", "article:published_time",
              "article:author", "author", "application-name", "date", "pubdate", "dc.date",
              "dcterms.created", "citation_publication_date", "twitter:title",
              "content-language", "parsely-pub-date", "sailthru.date"]


@SHAPES
@given(st.lists(st.tuples(st.sampled_from(["name", "property", "itemprop", "http-equiv"]),
                          st.sampled_from(META_NAMES), st.one_of(STRINGS, st.none())),
                max_size=8),
       st.one_of(st.none(), STRINGS))
def test_any_meta_tags_are_read_without_an_exception(
    metas: list[tuple[str, str, str | None]], url: str | None
) -> None:
    head = "".join(
        f'<meta {kind}="{name}"' + ("" if content is None else f' content="{escape(content)}"')
        + ">" for kind, name, content in metas)
    _parses(_page([], head), url if url and url.startswith("http") else None)


ITEMPROPS = ["headline", "author", "name", "publisher", "datePublished", "dateCreated",
             "url", "mainEntityOfPage", "inLanguage"]


@st.composite
def microdata(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested itemscope/itemprop elements with any values and attributes."""
    tag = draw(st.sampled_from(["div", "span", "meta", "time", "a", "link"]))
    attrs = [f'itemprop="{draw(st.sampled_from(ITEMPROPS))}"']
    if draw(st.booleans()):
        attrs.append(f'itemscope itemtype="https://schema.org/{draw(st.sampled_from(TYPES))}"')
    for name in ("content", "datetime", "href"):
        if draw(st.booleans()):
            attrs.append(f'{name}="{escape(draw(STRINGS))}"')
    inner = escape(draw(STRINGS))
    if depth < 3 and tag not in ("meta", "link"):
        inner += "".join(draw(st.lists(microdata(depth + 1), max_size=3)))
    if tag in ("meta", "link"):
        return f"<{tag} {' '.join(attrs)}>"
    return f"<{tag} {' '.join(attrs)}>{inner}</{tag}>"


@SHAPES
@given(st.lists(microdata(), max_size=4))
def test_any_microdata_is_read_without_an_exception(blocks: list[str]) -> None:
    page = _page([], "", ' itemscope itemtype="https://schema.org/NewsArticle"')
    _parses(page.replace("<article>", "<article>" + "".join(blocks)))
