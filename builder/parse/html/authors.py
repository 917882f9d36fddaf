"""Article authors: JSON-LD, microdata, author <meta>, then the visible byline.

Each source yields person names or nothing; the first source with a name wins, so
a desk credit in `<meta name=author>` ("Africa desk") or a profile URL in
`article:author` does not hide the reporter named in the byline.
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.etree
from lxml.html import HtmlElement

from .dom import (
    article_ancestors,
    class_words,
    first_lines,
    following,
    inside_linkbox,
    squash,
)
from .jsonld import JsonLd, Node
from .selectors import (
    AUTHOR_META,
    BYLINE_ASIDE,
    BYLINE_END,
    BYLINE_PREFIX,
    MAX_NAME_WORDS,
    NAME_SEPARATORS,
    NOT_A_PERSON,
    ROLE_WORDS,
)

_ARABIC_COMMA = "،"
_LEADING_MARKS = " -–—|·•:/"  # a byline set after a separator: "— par Jean Roy"
# `authorname`: a class run together ("authorname-txt") splits into one word.
_BYLINE_WORDS = frozenset(
    {"byline", "author", "authors", "authorname", "auteur", "writer", "by"}
)
# Candidates for a byline element, checked word by word by _is_byline (the id counts
# too: ASP.NET sites name the byline `ContentPlaceHolder1_divByline`). The paths walk
# attributes and step up to their element (`//@class[...]/..`): libxml2 finds them
# two to three times faster than by testing every element (`//*[contains(@class, ...)]`).
_BYLINE_PARTS = " or ".join(
    f'contains(., "{part}")' for part in ("yline", "uthor", "riter", "auteur", "by")
)
_BYLINE_XPATH = lxml.etree.XPath(
    f"//@class[{_BYLINE_PARTS}]/.. | //@id[{_BYLINE_PARTS}]/.."
    ' | //@rel[.="author"]/.. | //@itemprop[.="author"]/..'
)
_AUTHOR_XPATH = lxml.etree.XPath('//@itemprop[.="author"]/..')
_NAME_XPATH = lxml.etree.XPath('descendant::*/@itemprop[.="name"]/..')
# The blocks after the headline where a "By ..." line is looked for.
_AFTER_HEADLINE_TAGS = ("p", "div", "span")
_AFTER_HEADLINE_BLOCKS = 12
_EDGE_PUNCTUATION = re.compile(r"^[\s\W_]+|[\s.,;:|·•\-–—]+$", re.UNICODE)
_DIGIT = re.compile(r"\d")
# A name ending in an initial or a short abbreviation ("Jr", "C") keeps its dot.
_ENDS_ABBREVIATED = re.compile(r"\b\w{1,2}\.\s*$")
_ABBREVIATION_LAST = re.compile(r"\s\w{1,2}$")
# A social handle after the name ("Ana Ruiz @aruiz") is not part of it.
_HANDLE = re.compile(r"\s+@[\w.]+$")
# Markup or script text a loose selector picked up ("CDATA[ */") is no name.
_CODE_CHARS = re.compile(r"[\[\]{}<>*=]")
_TWITTER_LABELS = 4  # Twitter cards define label1/data1 and label2/data2; some themes add more


def clean_name(raw: str, publication: str | None = None) -> str | None:
    """A person's name, or None for a URL, desk, role, date or sentence."""
    raw = _HANDLE.sub("", squash(raw))
    name = _EDGE_PUNCTUATION.sub("", raw)
    if _ENDS_ABBREVIATED.search(raw) and _ABBREVIATION_LAST.search(name):
        name += "."  # "Perry Bacon Jr.", "Joe S.": the dot belongs to the name
    if not name or _DIGIT.search(name) or _CODE_CHARS.search(name):
        return None
    if NOT_A_PERSON.search(name) or ROLE_WORDS.search(name):
        return None
    if len(name.split()) > MAX_NAME_WORDS:
        return None
    if publication and name.casefold() == publication.casefold():
        return None
    return name


def split_names(text: str, publication: str | None = None) -> list[str]:
    """'By A, B and C | Agency · 3 May' -> [A, B, C]."""
    # html.unescape: a CMS that escapes twice leaves "Redacci&oacute;n" in the content
    text = BYLINE_ASIDE.sub(" ", squash(html.unescape(text)).replace(_ARABIC_COMMA, ","))
    text = BYLINE_PREFIX.sub("", squash(text).lstrip(_LEADING_MARKS), count=1)
    text = BYLINE_END.sub("", text)
    if publication and text.casefold() == publication.casefold():
        return []  # the site's name, which may hold a separator ("Salt; Pepper")
    names = (clean_name(part, publication) for part in NAME_SEPARATORS.split(text))
    return _unique(n for n in names if n)


def _unique(names: Any) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _is_person(node: Any) -> bool:
    types = node.get("@type") if isinstance(node, dict) else None
    return "Person" in (types if isinstance(types, list) else [types])


def _jsonld_names(
    article: Node, jsonld: JsonLd, publication: str | None, persons_named_as_site: bool = False
) -> list[str]:
    """The article node's author names; a name equal to the site's is left out, unless
    persons_named_as_site and the node is typed Person."""
    value = article.get("author")
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        item = jsonld.resolve(item)
        site = publication
        if isinstance(item, dict):
            if persons_named_as_site and _is_person(item):
                site = None
            item = item.get("name")
        if isinstance(item, str):
            names.extend(split_names(item, site))
    return _unique(names)


def _microdata_names(
    tree: HtmlElement, publication: str | None, protected: frozenset[HtmlElement]
) -> list[str]:
    names: list[str] = []
    for element in _AUTHOR_XPATH(tree):
        if inside_linkbox(element, protected):
            continue
        inner = _NAME_XPATH(element)
        source = inner[0] if inner else element
        # the first rendered line: not the text of a script inside the element
        lines = first_lines(source, 1, spaced=True)
        text = source.get("content") or (lines[0] if lines else "")
        names.extend(split_names(text, publication))
    return _unique(names)


def _meta_names(meta: dict[str, str], publication: str | None) -> list[str]:
    for key in AUTHOR_META:
        names = split_names(meta.get(key, ""), publication)
        if names:
            return names
    return _twitter_label_names(meta, publication)


def _twitter_label_names(meta: dict[str, str], publication: str | None) -> list[str]:
    """The `twitter:dataN` whose `twitter:labelN` is a byline label: Yoast SEO prints the
    post's author as `twitter:label1` "Written by" (in the site's language) and
    `twitter:data1` the name, on sites that have no other author markup."""
    for number in range(1, _TWITTER_LABELS + 1):
        label = meta.get(f"twitter:label{number}", "")
        if label and _label_only(label):
            names = split_names(meta.get(f"twitter:data{number}", ""), publication)
            if names:
                return names
    return []


def _is_byline(element: HtmlElement) -> bool:
    if element.get("rel") == "author" or element.get("itemprop") == "author":
        return True
    return bool(class_words(element) & _BYLINE_WORDS)


def _label_only(line: str) -> bool:
    """A label printed on its own line above the name ("Author", "Posted by")."""
    match = BYLINE_PREFIX.match(line)
    return match is not None and match.end() == len(line)


def _names_in_lines(lines: list[str], publication: str | None) -> list[str]:
    """The names on the first line that is not a label alone."""
    for line in lines:
        if not _label_only(line):
            return split_names(line, publication)
    return []


def _byline_names(
    tree: HtmlElement, publication: str | None, protected: frozenset[HtmlElement]
) -> list[str]:
    """Names in the first byline element outside link boxes and comment threads."""
    for element in _BYLINE_XPATH(tree):
        if not _is_byline(element) or inside_linkbox(element, protected):
            continue
        names = _names_in_lines(first_lines(element, 2, spaced=True), publication)
        if names:
            return names
    return []


def _visible_byline(headline: HtmlElement | None, publication: str | None) -> list[str]:
    """A 'By ...' line printed just below the headline, whatever its markup."""
    if headline is None:
        return []
    for block in following(headline, _AFTER_HEADLINE_TAGS, _AFTER_HEADLINE_BLOCKS):
        for line in first_lines(block, 3, spaced=True):
            if BYLINE_PREFIX.match(line) and len(line) < 120:
                names = split_names(line, publication)
                if names:
                    return names
    return []


def find_authors(
    tree: HtmlElement,
    meta: dict[str, str],
    jsonld: JsonLd,
    article: Node | None,
    headline: HtmlElement | None,
    publication: str | None,
) -> list[str]:
    """The article's author names in byline order; empty when the page names none."""
    protected = article_ancestors(headline)
    sources = (
        lambda: _jsonld_names(article, jsonld, publication) if article is not None else [],
        lambda: _microdata_names(tree, publication, protected),
        lambda: _meta_names(meta, publication),
        lambda: _byline_names(tree, publication, protected),
        lambda: _visible_byline(headline, publication),
        # A Person the site is named after (a one-author blog, or a site that names
        # itself as the author) is the author when the page names no one else.
        lambda: _jsonld_names(article, jsonld, publication, True) if article is not None else [],
        lambda: _only_person(jsonld, publication),
    )
    logins: list[str] = []
    for source in sources:
        names = source()
        if names and not all(_is_login(name) for name in names):
            return names
        logins = logins or names
    return logins


def _is_login(name: str) -> bool:
    """A CMS login ("jane.doe", "jdoe") where a name was expected: one word, no capital.
    A later source (the byline, the author meta) usually prints the full name. A name in
    a script without case (焦鹏) is no login."""
    return " " not in name and name == name.lower() and name != name.upper()


def _only_person(jsonld: JsonLd, publication: str | None) -> list[str]:
    """The one top-level Person node of a page whose article node names no author (Yoast
    describes a post's author as a Person in its graph, also on pages typed WebPage). Two
    or more Persons (an author and people the article is about) name no one."""
    persons = [node for node in jsonld.nodes if _is_person(node)]
    if len(persons) != 1:
        return []
    name = persons[0].get("name")
    return split_names(name, publication) if isinstance(name, str) else []
