"""The article's lead: the standfirst paragraph between the headline and the body.

News and blog themes set the lead (standfirst, chapô, Vorspann, teaser text, deck) in a
block of its own in the article's header, after the headline and before the body's
container. trafilatura starts at that container and leaves the lead out: on the
real-web dev set (trafilatura-eval, tuned on) leads held 54 of the 2,951 `with`
snippets, none of which trafilatura's text had.

A lead is recognised by where it is and what it is called, never by one of the two
alone: a block whose class/id words name a lead (`LEAD_WORDS`), or a paragraph in the
headline's own <header>, that starts after the headline and ends before the first body
line, is not itself boilerplate or inside a link box, and is prose rather than links.
"Teaser" also names the boxes that advertise other articles; those sit outside the
stretch between this article's headline and its first paragraph, or in link boxes, or
are links, or are one card of several alike.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from .dom import (
    article_ancestors,
    class_words,
    inside_linkbox,
    is_boilerplate,
    link_share,
    text_lines,
    visible_chars,
    words_match,
)
from .selectors import LEAD_PREFIXES, LEAD_WORDS

# A lead is a sentence or more; shorter blocks in a header are kickers, labels, dates.
LEAD_MIN_CHARS = 40
# Share of link text above which a block is a list of links, not a paragraph.
LEAD_MAX_LINK_SHARE = 0.5
# A header holds one lead, sometimes split in two or three blocks; more is a teaser list.
MAX_LEAD_BLOCKS = 3


def _named_lead(element: HtmlElement) -> bool:
    return words_match(class_words(element), LEAD_WORDS, LEAD_PREFIXES)


def _mostly_links(element: HtmlElement, text_of: dict[HtmlElement, str]) -> bool:
    """Whether the block is links: inside one (a teaser card wrapped in <a>) or mostly
    link text; a block without visible text is no paragraph either."""
    if next(element.iterancestors("a"), None) is not None:
        return True
    return (
        not visible_chars(text_of[element])
        or link_share(element, text_of) > LEAD_MAX_LINK_SHARE
    )


def _inside_boilerplate(element: HtmlElement, protected: frozenset[HtmlElement]) -> bool:
    """Whether the block or an ancestor below the headline's containers is boilerplate:
    an author box's "subtitle" is the author's job, a caption's "intro" is a caption."""
    node: HtmlElement | None = element
    while node is not None and node not in protected:
        if is_boilerplate(node):
            return True
        node = node.getparent()
    return False


def _in_a_list(element: HtmlElement) -> bool:
    """Whether a sibling next to the block has its tag and class: then it is one card of
    a list of teasers, where an article has one lead. Paragraphs are the exception: a
    lead may run over two `<p class="lead">`."""
    if element.tag == "p":
        return False
    kind = (element.tag, element.get("class"))
    return any(
        (sibling.tag, sibling.get("class")) == kind
        for sibling in (element.getprevious(), element.getnext())
        if sibling is not None
    )


def lead_lines(block: HtmlElement) -> list[str]:
    """The block's lines that are lead text: a kicker, a date or a share button set in
    the same block is shorter than a sentence of a lead."""
    return [line for line in text_lines(block) if len(line) >= LEAD_MIN_CHARS]


def lead_blocks(
    headline: HtmlElement | None,
    first: HtmlElement | None,
    position: dict[HtmlElement, int],
    text_of: dict[HtmlElement, str],
) -> list[HtmlElement]:
    """The lead's blocks between the headline and the first body element, outermost only."""
    if headline is None or first is None or headline not in position or first not in position:
        return []
    start, end = position[headline], position[first]
    if start >= end:
        return []
    around_first = set(first.iterancestors())
    # What holds both the headline and the body is the article, whatever its class says
    # (WordPress writes the post's tags on it: `tag-health`).
    protected = article_ancestors(headline) | around_first
    # The headline's <header>: its paragraphs after the headline are the lead (HTML's
    # element for the introductory content of an article).
    header = next(headline.iterancestors("header"), None)
    found: list[HtmlElement] = []
    judged: set[HtmlElement] = set()
    for element, number in position.items():
        if number >= end:
            break
        if number <= start or element in around_first:
            continue
        if not _named_lead(element) and not (
            header is not None and element.tag == "p" and header in element.iterancestors()
        ):
            continue
        if any(block in judged for block in element.iterancestors()):
            continue  # inside a lead already taken, or inside a block that is not one
        judged.add(element)
        if headline in element.iterancestors():
            continue  # a part of the headline (a subtitle span inside the <h1>)
        if (
            len(text_of[element]) < LEAD_MIN_CHARS
            or _in_a_list(element)
            or _inside_boilerplate(element, protected)
            or inside_linkbox(element, protected)
            or _mostly_links(element, text_of)
        ):
            continue
        found.append(element)
        if len(found) == MAX_LEAD_BLOCKS:
            break
    return found
