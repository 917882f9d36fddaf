"""Small questions about elements of a parsed page: class words, link boxes, text lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

import lxml.etree
from lxml.html import HtmlElement

from .selectors import (
    BODY_NEUTRAL_WORDS,
    CAPTION_PREFIX,
    CAPTION_TAGS,
    FIGURE_TAGS,
    LAYOUT_TAGS,
    LINK_LIST_EXACT,
    LINK_LIST_PREFIXES,
    LINKBOX_EXACT,
    LINKBOX_PREFIXES,
    META_EXACT,
    META_PREFIXES,
    NOT_MARKER_WORDS,
)

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Elements whose end is a line break in rendered text.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "figure",
        "figcaption",
        "form",
        "main",
        "pre",
        "address",
        "hr",
    }
)
# A live blog or match ticker calls its entries "comments" (`live-match-comment`); they are
# the article's text, written by the newsroom, not readers' replies.
_LIVE_COMMENTARY = frozenset({"comment", "comments", "commentary"})
# A block marked as a list of links that has no link is text from this many words on.
LINK_LIST_MIN_WORDS = 3
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "svg"})


def squash(text: str | None) -> str:
    """Text with runs of white space collapsed to one space, stripped."""
    return " ".join(text.split()) if text else ""


def tag_of(element: HtmlElement) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def class_words(element: HtmlElement) -> set[str]:
    """Lower-case words of the class and id: `ArticleBody_meta__x1` -> article, body, meta, x1."""
    names, ident = element.get("class"), element.get("id")
    if not names and not ident:
        return set()  # most elements: no regex to run
    raw = f"{names or ''} {ident or ''}"
    return {w.lower() for w in _WORD_SPLIT.split(_CAMEL.sub(" ", raw)) if w}


def words_match(words: set[str], exact: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    """Whether a class/id word equals one of `exact` or starts with one of `prefixes`."""
    return bool(words & exact) or any(w.startswith(prefixes) for w in words)


def visible_chars(text: str) -> int:
    """The text's characters that are not white space."""
    return len("".join(text.split()))


def link_share(element: HtmlElement, text_of: dict[HtmlElement, str]) -> float:
    """Share of the element's visible characters that are link text (1.0 for a link,
    0.0 for an element without text); text_of: element_texts of a tree holding it."""
    if tag_of(element) == "a":
        return 1.0
    text = visible_chars(text_of[element])
    links = sum(visible_chars(text_of[a]) for a in element.iter("a"))
    return links / text if text else 0.0


def is_linkbox(element: HtmlElement) -> bool:
    """A link box, ad, call to action or comment block, by its class/id words."""
    return words_match(class_words(element) - NOT_MARKER_WORDS, LINKBOX_EXACT, LINKBOX_PREFIXES)


def is_meta_block(element: HtmlElement) -> bool:
    """A byline, date line, caption, credit or bio block, by its class/id words."""
    return words_match(class_words(element), META_EXACT, META_PREFIXES)


def marks_of(element: HtmlElement, prefixes: tuple[str, ...]) -> frozenset[str]:
    """The prefixes that a class/id word of the element starts with; "caption" also for
    a figure or figcaption tag."""
    words = class_words(element)
    found = {prefix for prefix in prefixes if any(w.startswith(prefix) for w in words)}
    if CAPTION_PREFIX in prefixes and tag_of(element) in FIGURE_TAGS:
        found.add(CAPTION_PREFIX)
    return frozenset(found)


def is_boilerplate(element: HtmlElement, text_markers: tuple[str, ...] = ()) -> bool:
    """Not article body: a layout or caption tag, a link box or a meta block.

    text_markers: class-word prefixes that mark this page's text (body.py: a gallery's
    captions, a discussion's comments), judged like any other block; with "caption",
    figures and figcaptions too."""
    tag = tag_of(element)
    figure_text = CAPTION_PREFIX in text_markers and tag in FIGURE_TAGS
    if tag in LAYOUT_TAGS or (tag in CAPTION_TAGS and not figure_text):
        return True
    words = class_words(element) - BODY_NEUTRAL_WORDS - NOT_MARKER_WORDS
    if text_markers:
        words = {w for w in words if not w.startswith(text_markers)}
    if "live" in words:
        words -= _LIVE_COMMENTARY  # a live ticker's entries are the article, not replies
    if "by" in words and not _by_at_an_end(element):
        words.discard("by")  # grid classes: "offset-by-one" is layout, not a byline
    if words_match(words, META_EXACT, META_PREFIXES):
        return True
    markers = {w for w in words if w in LINKBOX_EXACT or w.startswith(LINKBOX_PREFIXES)}
    if markers and all(w in LINK_LIST_EXACT or w.startswith(LINK_LIST_PREFIXES) for w in markers):
        # Words naming a list of links ("tags", "related", "readmore") on a block without
        # a link name something else: a read-more expander holding the rest of the text,
        # a CSS-in-JS class built from a component name (`tagStyle_x1y2`: the style of an
        # HTML tag). A block of one or two words there is a tag or a label all the same.
        if next(element.iter("a"), None) is None:
            return len(element.text_content().split()) < LINK_LIST_MIN_WORDS
    return bool(markers)


_BY_AT_AN_END = re.compile(r"^by(?![a-z])|[-_]by$")


def _by_at_an_end(element: HtmlElement) -> bool:
    """Whether a class or id begins or ends with the word "by" ("by", "by-author",
    "post-by"); in the middle ("offset-by-one") it joins two layout words."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return any(_BY_AT_AN_END.search(name) for name in names)


def article_ancestors(headline: HtmlElement | None) -> frozenset[HtmlElement]:
    """The headline and its ancestors: the article's containers, whatever their class says.

    A theme may put "sidebar" or "widget" on <body> or on the article wrapper; those
    words describe the layout, not the headline's own block.
    """
    return frozenset(headline.iterancestors()) | {headline} if headline is not None else frozenset()


def inside_linkbox(element: HtmlElement, protected: frozenset[HtmlElement] = frozenset()) -> bool:
    """Whether the element or an ancestor below <body> and the article containers is a
    link box, nav, aside or footer."""
    node: HtmlElement | None = element
    while node is not None and node not in protected and tag_of(node) not in ("body", "html"):
        if _boxes(node):
            return True
        node = node.getparent()
    return False


def _boxes(node: HtmlElement) -> bool:
    """Whether this one element is a link box. A nav/aside/footer named as a meta block
    (`<footer class="entry-meta">`, `<aside class="meta">`) is the article's own byline and
    date area, not one. hAtom's `hentry` marks the post itself, whose other class words
    are its taxonomy (WordPress writes `tag-paris category-news` on the post element)."""
    words = class_words(node)
    if "hentry" in words:
        return False
    if tag_of(node) in {"nav", "aside", "footer"}:
        return not is_meta_block(node) or is_linkbox(node)
    return is_linkbox(node)


def _pieces(element: HtmlElement, spaced: bool = False) -> Iterator[str]:
    """Text of the element in document order, with '\\n' where a block or <br> breaks a line
    (and, when spaced, ' ' around every inline element too)."""
    if element.text:
        yield element.text
    for child in element:
        tag = tag_of(child)
        if tag and tag not in _SKIP_TAGS:
            edge = "\n" if tag in _BLOCK_TAGS else " " if spaced else ""
            yield edge
            yield from _pieces(child, spaced)
            yield edge
        if child.tail:
            yield child.tail


def text_lines(element: HtmlElement) -> list[str]:
    """The element's rendered lines of text, white space collapsed, empty lines dropped."""
    lines = (squash(line) for line in "".join(_pieces(element)).split("\n"))
    return [line for line in lines if line]


def _lazy_lines(element: HtmlElement, spaced: bool) -> Iterator[str]:
    """text_lines one line at a time: the text after a line is not gathered until asked."""
    pending: list[str] = []
    for piece in _pieces(element, spaced):
        if "\n" not in piece:
            pending.append(piece)
            continue
        first, *middle, last = piece.split("\n")
        pending.append(first)
        for raw in ("".join(pending), *middle):
            if line := squash(raw):
                yield line
        pending = [last]
    if line := squash("".join(pending)):
        yield line


def first_lines(element: HtmlElement, count: int, spaced: bool = False) -> list[str]:
    """The first `count` of text_lines(element), without rendering the rest of a large block.

    spaced: a space between inline elements too, for labels and names that a theme sets
    side by side in spans (`<span>By</span><a>Name</a>` shows as "By Name" on screen).
    """
    if not len(element):  # its text is all it shows (most blocks of a byline area)
        lines = (squash(line) for line in (element.text or "").split("\n"))
        return [line for line in lines if line][:count]
    return list(islice(_lazy_lines(element, spaced), count))


def following(element: HtmlElement, tags: tuple[str, ...], limit: int) -> list[HtmlElement]:
    """The first `limit` elements with one of these tags after the element's end, in document
    order: XPath's `following::*[self::a or self::b][position() <= limit]`, found by walking
    the later siblings of the element and of its ancestors, which stops at the limit
    (libxml2 reads every element to the end of the page first)."""
    found: list[HtmlElement] = []
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            for match in sibling.iter(*tags):
                found.append(match)
                if len(found) == limit:
                    return found
        node = node.getparent()
    return found


def element_texts(root: HtmlElement) -> dict[HtmlElement, str]:
    """squash(element.text_content()) of root and every element below it, in document order.

    One pass over the page's text: squash(root's text) is written once, and an element's
    text is the slice written between its start and its end (text_content per element
    would read every text once per ancestor). A space is written before a word only when
    white space separates it from the word before, inside a text or between texts.
    """
    parts: list[str] = []
    size, spaced = 0, False  # length written; white space seen since the last word
    starts: dict[HtmlElement, int] = {}
    ends: dict[HtmlElement, int] = {}
    for event, node in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            starts[node] = size
            # a comment's or processing instruction's .text is not element text
            text = node.text if isinstance(node.tag, str) else None
        else:
            ends[node] = size
            text = node.tail if node is not root else None
        if not text:
            continue
        words = text.split()
        if not words:
            spaced = True
            continue
        if size and (spaced or text[0].isspace()):
            parts.append(" ")
            size += 1
        joined = " ".join(words)
        parts.append(joined)
        size += len(joined)
        spaced = text[-1].isspace()
    whole = "".join(parts)
    texts: dict[HtmlElement, str] = {}
    for node, start in starts.items():
        if isinstance(node.tag, str):
            text = whole[start : ends[node]]
            texts[node] = text[1:] if text[:1] == " " else text  # the separating space
    return texts
