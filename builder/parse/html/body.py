"""The article body: trafilatura finds it, then a filter removes what it lets through.

trafilatura picks the article container well (recall 1.0 on our gold pages) but keeps
what sits inside that container: the headline and byline lines, "Read more:" and
"Also read" links, sponsored and newsletter boxes, photo credits, pull quotes that
repeat a paragraph, and link boxes after the text. The filter maps each extracted line
back to the page element it came from and drops it when that element (or an ancestor
below the article container) is boilerplate by tag or class, when the line reads like
a link box or credit, when it is all link text, or when it repeats another line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document, Extractor

from ...errors import PageError
from .dom import (
    element_texts,
    is_boilerplate,
    link_share,
    marks_of,
    squash,
    tag_of,
    text_lines,
)
from .lead import lead_blocks, lead_lines
from .selectors import (
    BOILERPLATE_LINE,
    BOILERPLATE_LINE_MAX_CHARS,
    BYLINE_PREFIX,
    CAPTION_PREFIX,
    CAPTION_TAGS,
    FIGURE_TAGS,
    LINK_LINE_MAX_CHARS,
    LINK_SHARE,
    PULLQUOTE_MIN_CHARS,
)

# An element holding this share of the extracted text is the article container (or
# one of its ancestors): its class words say nothing about single lines.
CONTAINER_SHARE = 0.5
# Blocks marked as captions (figures too) or comments that hold this share of the
# extracted text are the page's content: a gallery's captions, a forum thread's posts.
TEXT_MARKERS = ("caption", "comment")
TEXT_MARKER_SHARE = 0.5
BYLINE_MAX_CHARS = 120
BYLINE_MAX_WORDS = 6
# Headings are short; a longer block in <h2>/<strong> is the article's lead paragraph.
HEADING_MAX_CHARS = 150
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Titles do not end in a full stop: a "heading" that does is a sentence of the article
# set in a heading tag (a lead, an intertitle written as a statement).
_SENTENCE = re.compile(r"\w[.!][\"'»«“”’)]?$")
_SENTENCE_ANY = re.compile(r"\w[.!?][\"'»«“”’)]?$")
# trafilatura logs every page it discards at WARNING; a page without a body is a
# reject here, reported with its reason, so the log line would only be noise.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
# The options bare_extraction builds from these keywords, built once: building them
# reads trafilatura's config file settings each time, an eighth of a millisecond a page.
# Tables are on: data tables (specifications, prices, results) are article text, and a
# layout table's menu rows are link text, which the filter drops like any link box.
_OPTIONS = Extractor(output_format="python", comments=False, tables=True, with_metadata=False)
# trafilatura writes a table row as `| cell | cell |` (a `|` inside a cell as `\|`) and
# a `|---|---|` line under a header row.
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE_ROW = re.compile(r"^\|(?:-+\|)+$")
# A line that is one web or mail address: an author's pasted link ("Sign here:
# https://…") is article text, while menus and teasers show words, not addresses.
_ADDRESS = re.compile(r"^(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$")


@dataclass
class Line:
    """One extracted line, the page elements showing its text, and its verdict."""

    text: str
    sources: list[HtmlElement]  # every element whose text is this line, in document order
    heading: bool
    primary: HtmlElement | None = None  # the occurrence in reading order after the previous line
    keep: bool = True


def _table_row(line: str) -> list[str] | None:
    """The cells of a table row line, None for a line that is not one."""
    if len(line) < 2 or line[0] != "|" or line[-1] != "|":
        return None
    cells = (squash(cell.replace("\\|", "|")) for cell in _CELL_SPLIT.split(line[1:-1]))
    return [cell for cell in cells if cell]


def extracted_lines(tree: HtmlElement) -> list[tuple[str, bool]]:
    """trafilatura's body lines as (text, is_heading), a table row as its cells joined by
    " | "; the page's tree is not modified."""
    try:
        doc = trafilatura.bare_extraction(tree, options=_OPTIONS)
    except Exception as error:  # noqa: BLE001 - any extractor failure is this page's reject
        raise PageError(
            "no_body", f"the article extractor failed on this page: {type(error).__name__}: {error}"
        ) from None
    if not isinstance(doc, Document) or doc.body is None:
        return []
    heads = {squash("".join(h.itertext())) for h in doc.body.iter("head")}
    result = []
    for raw in (doc.text or "").split("\n"):
        line = squash(raw)
        if not line or _RULE_ROW.match(line):
            continue
        cells = _table_row(line)
        if cells is not None:
            if cells:
                result.append((" | ".join(cells), False))
        else:
            result.append((line, line in heads))
    return result


@dataclass
class Sources:
    """The page's elements inside <body> that can show a line."""

    by_text: dict[str, list[HtmlElement]]  # by their text, outermost first
    position: dict[HtmlElement, int]  # document order
    text_of: dict[HtmlElement, str]  # squash(text_content()) of every element in <body>


def _source_index(tree: HtmlElement) -> Sources:
    """The elements inside <body> (not scripts or styles) by their text and position."""
    body = tree.find("body")
    text_of = element_texts(body) if body is not None else {}
    by_text: dict[str, list[HtmlElement]] = {}
    position: dict[HtmlElement, int] = {}
    for number, (element, text) in enumerate(text_of.items()):
        if element is not body and element.tag not in ("script", "style"):
            by_text.setdefault(text, []).append(element)
            position[element] = number
    return Sources(by_text, position, text_of)


def _containers(lines: list[Line]) -> set[HtmlElement]:
    """Ancestors holding at least CONTAINER_SHARE of the matched text."""
    weight: Counter[HtmlElement] = Counter()
    for line in lines:
        node = line.primary
        while node is not None:
            weight[node] += len(line.text)
            node = node.getparent()
    total = sum(len(line.text) for line in lines if line.primary is not None)
    return {node for node, chars in weight.items() if chars >= CONTAINER_SHARE * total}


def _marks(element: HtmlElement, known: dict[HtmlElement, frozenset[str]]) -> frozenset[str]:
    """The TEXT_MARKERS on the element or an ancestor (dom.marks_of); `known` holds the
    answers for elements already seen (the lines of a page share their ancestors)."""
    path = []
    node: HtmlElement | None = element
    above: frozenset[str] = frozenset()
    while node is not None and tag_of(node) not in ("body", "html"):
        if node in known:
            above = known[node]
            break
        path.append(node)
        node = node.getparent()
    for seen in reversed(path):  # from the outermost down
        above = above | marks_of(seen, TEXT_MARKERS)
        known[seen] = above
    return above


def _text_markers(lines: list[Line]) -> tuple[str, ...]:
    """The TEXT_MARKERS whose blocks hold TEXT_MARKER_SHARE of the extracted text: then
    they are the page's content, not what sits beside it (a gallery's captions, the posts
    of a forum thread)."""
    known: dict[HtmlElement, frozenset[str]] = {}
    chars: Counter[str] = Counter()
    total = 0
    for line in lines:
        if line.primary is not None:
            total += len(line.text)
            for prefix in _marks(line.primary, known):
                chars[prefix] += len(line.text)
    return tuple(p for p in TEXT_MARKERS if total and chars[p] >= TEXT_MARKER_SHARE * total)


def _in_boilerplate(
    source: HtmlElement, containers: set[HtmlElement], markers: tuple[str, ...] = ()
) -> bool:
    """Whether the source is boilerplate, or an ancestor is: a caption tag always (but a
    gallery's figures), anything else (layout tag, class words) only below the article
    container. markers: the page's text markers (_text_markers)."""
    if is_boilerplate(source, markers):
        return True
    node = source.getparent()
    below_container = True
    while node is not None and (tag := tag_of(node)) not in ("body", "html"):
        below_container = below_container and node not in containers
        if tag in CAPTION_TAGS and not (CAPTION_PREFIX in markers and tag in FIGURE_TAGS):
            return True
        if below_container and is_boilerplate(node, markers):
            return True
        node = node.getparent()
    return False


def _is_byline(text: str, authors: list[str]) -> bool:
    if len(text) >= BYLINE_MAX_CHARS or not BYLINE_PREFIX.match(text):
        return False
    folded = text.casefold()
    return any(a.casefold() in folded for a in authors) or len(text.split()) <= BYLINE_MAX_WORDS


def _source_is_boilerplate(
    text: str,
    source: HtmlElement,
    containers: set[HtmlElement],
    page: Sources,
    markers: tuple[str, ...] = (),
) -> bool:
    if (
        len(text) <= LINK_LINE_MAX_CHARS
        and not _ADDRESS.match(text)
        and not (_SENTENCE_ANY.search(text) and len(text.split()) >= 8)
        and link_share(source, page.text_of) >= LINK_SHARE
    ):
        return True
    return _in_boilerplate(source, containers, markers)


def _line_is_boilerplate(
    line: Line,
    title: str,
    authors: list[str],
    containers: set[HtmlElement],
    page: Sources,
    markers: tuple[str, ...] = (),
) -> bool:
    """By its text alone, or because every element showing that text is boilerplate
    (a text that also appears in the article body is body, wherever else it appears)."""
    text, folded_title = line.text, title.casefold()
    if (
        folded_title
        and text.casefold().startswith(folded_title)
        and len(text) - len(title) < BYLINE_MAX_CHARS
    ):
        return True  # the headline, alone or run together with its byline and dates
    if _is_byline(text, authors):
        return True
    if len(text) <= BOILERPLATE_LINE_MAX_CHARS and BOILERPLATE_LINE.match(text):
        return True
    return bool(line.sources) and all(
        _source_is_boilerplate(text, s, containers, page, markers) for s in line.sources
    )


def _drop_repeats(lines: list[Line]) -> None:
    """Pull quotes and repeated blocks: a line inside a longer kept line, or seen before.

    Only lines of PULLQUOTE_MIN_CHARS or more: short lines repeat in real content (the
    "On"/"Off" or "1-100" cells of a settings list, a "Step 2" heading per section), and
    a short boilerplate line has its own rules.
    """
    kept = [line.text for line in lines if line.keep]
    seen: set[str] = set()
    for line in lines:
        if not line.keep or len(line.text) < PULLQUOTE_MIN_CHARS:
            continue
        inside_other = any(line.text in other and line.text != other for other in kept)
        line.keep = line.text not in seen and not inside_other
        seen.add(line.text)


def _level(line: Line) -> int:
    """The heading level of the line's element (h1 -> 1); 7 for a heading without one."""
    tag = tag_of(line.primary) if line.primary is not None else ""
    return int(tag[1]) if tag in _HEADINGS else 7


def _drop_orphan_headings(lines: list[Line]) -> None:
    """A heading left without text: the next line is dropped (a link box title), missing
    (the end) or a heading of the same level (a list of teaser titles). A section heading
    followed by its first, deeper subheading stays. A "heading" of HEADING_MAX_CHARS or
    more is a lead paragraph set in a heading tag and is judged as a paragraph."""
    headings = [
        line.heading and len(line.text) < HEADING_MAX_CHARS and not _SENTENCE.search(line.text)
        for line in lines
    ]
    for i, line in enumerate(lines):
        if not (line.keep and headings[i]):
            continue
        j = i + 1
        while j < len(lines) and headings[j] and lines[j].keep and _level(lines[j]) > _level(
            lines[j - 1]
        ):
            j += 1
        line.keep = j < len(lines) and lines[j].keep and not headings[j]


def _innermost_containing(index: dict[str, list[HtmlElement]], text: str) -> list[HtmlElement]:
    """The elements with the shortest text containing the line (trafilatura left out a
    button or a badge, so no element's text is exactly the line)."""
    holders = [key for key in index if text in key]
    if not holders:
        return []
    return index[min(holders, key=len)]


def _longest_cell(text: str) -> str:
    """The text a page element shows: a table row's longest cell (the row's element text
    has no " | " between cells)."""
    return max(text.split(" | "), key=len) if " | " in text else text


def _rows(cells: list[HtmlElement]) -> list[HtmlElement]:
    """The table rows holding these cells: a row is judged as a whole (a row whose
    cells are all links is a menu, a row with one linked cell is data)."""
    rows: dict[HtmlElement, None] = {}
    for cell in cells:
        row = next((n for n in cell.iterancestors("tr")), cell) if tag_of(cell) != "tr" else cell
        rows[row] = None
    return list(rows)


def _blocks(
    text: str, is_head: bool, index: dict[str, list[HtmlElement]]
) -> list[tuple[str, bool, list[HtmlElement]]]:
    """The line with its source elements; a line that is a whole container's text (what
    trafilatura's fallback extractors return) is split into the container's blocks."""
    sources = index.get(text) or _innermost_containing(index, text)
    if not sources and " | " in text:
        sources = _rows(_innermost_containing(index, _longest_cell(text)))
    blocks = text_lines(sources[0]) if sources else []
    if len(blocks) <= 1 or squash(" ".join(blocks)) != text:
        return [(text, is_head, sources)]
    return [
        (block, False, index.get(block) or _innermost_containing(index, block)) for block in blocks
    ]


def _map_lines(tree: HtmlElement, page: Sources) -> list[Line]:
    """trafilatura's lines with the page elements showing them, in reading order."""
    index, position = page.by_text, page.position
    lines, last = [], -1
    for line_text, line_is_head in extracted_lines(tree):
        for text, is_head, sources in _blocks(line_text, line_is_head, index):
            primary = next(
                (s for s in sources if position[s] > last), sources[0] if sources else None
            )
            if primary is not None:
                last = position[primary]
            heading = is_head or any(tag_of(s) in _HEADINGS for s in sources)
            lines.append(Line(text, sources, heading, primary))
    return lines


def _lead_lines(
    lines: list[Line], headline: HtmlElement | None, page: Sources
) -> tuple[int, list[Line]]:
    """The article's lead (lead.py), when trafilatura left it out, and the index of the
    first kept line after the headline, where it goes (a kicker or topic line set above
    the headline stays first); a lead text already among the lines is not added again."""
    if headline is None or headline not in page.position:
        return 0, []
    start = page.position[headline]
    at = next(
        (
            i
            for i, line in enumerate(lines)
            if line.keep and line.primary is not None and page.position[line.primary] > start
        ),
        None,
    )
    if at is None:
        return 0, []
    blocks = lead_blocks(headline, lines[at].primary, page.position, page.text_of)
    seen = [line.text for line in lines]
    return at, [
        Line(text, page.by_text.get(text) or [block], False, block)
        for block in blocks
        for text in lead_lines(block)
        if not any(text in other for other in seen)
    ]


def article_paragraphs(
    tree: HtmlElement, title: str, authors: list[str], headline: HtmlElement | None = None
) -> list[str]:
    """The article's body paragraphs, boilerplate removed; may be empty.

    headline: the element showing the title (metadata.find_headline), where the lead
    search starts; without it no lead is added."""
    page = _source_index(tree)
    lines = _map_lines(tree, page)
    containers = _containers(lines)
    markers = _text_markers(lines)
    for line in lines:
        line.keep = not _line_is_boilerplate(line, title, authors, containers, page, markers)
    at, lead = _lead_lines(lines, headline, page)
    for line in lead:
        line.keep = not _line_is_boilerplate(line, title, authors, containers, page, markers)
    lines[at:at] = lead
    _drop_repeats(lines)
    _drop_orphan_headings(lines)
    return [line.text for line in lines if line.keep]
