"""Parser for the aggregator's text dumps: ticker, widget, title, date line, body, footer."""

from __future__ import annotations

import re

from ..errors import PageError
from ..model import Draft
from .aggregator_markers import (
    ARABIC_DATE_LINE,
    BOILERPLATE_LINES,
    DATE_LINE,
    FOOTER_LINE,
    LOOSE_DATE_LINE,
    TICKER_MIN_SEGMENTS,
    TICKER_SEPARATOR,
    TICKER_TRAILING_RUN,
)

PARSER_NAME = "aggregator_text"
PARSER_VERSION = "1.1.0"

# The first word of every widget phrase, case-folded: a line whose first word is not one
# of them cannot be a widget line, so the whole line is folded only for the few that are
# (folding every long paragraph and the ticker was a fifth of the parse time).
_BOILERPLATE_FIRST_WORDS = frozenset(line.split(" ", 1)[0] for line in BOILERPLATE_LINES)
_BOILERPLATE_FIRST_CHARS = frozenset(word[0] for word in _BOILERPLATE_FIRST_WORDS)


def split_lines(text: str) -> list[str]:
    """Lines ending at CR, LF or CRLF only.

    str.splitlines() would also break at form feeds, U+0085 and U+2028, which crawl
    debris leaves inside paragraphs; normalization removes those characters instead of
    letting them split a paragraph in two. CRLF, then CR, become LF first: the same
    breaks as splitting at `\r\n|\r|\n`, at less than half the cost of that regex.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _is_boilerplate(line: str) -> bool:
    """A widget line. Folding is per character, so the key's first word is the line's."""
    stripped = line.lstrip()
    if not stripped or stripped[0].casefold()[0] not in _BOILERPLATE_FIRST_CHARS:
        return False
    words = stripped.split(None, 1)
    return words[0].casefold() in _BOILERPLATE_FIRST_WORDS and _key(line) in BOILERPLATE_LINES


def is_ticker(line: str) -> bool:
    """A run-together headline line (only meaningful above the title)."""
    segments = [s for s in TICKER_SEPARATOR.split(line.strip()) if s]
    if len(segments) >= TICKER_MIN_SEGMENTS:
        return True
    return len(segments) == 2 and bool(TICKER_TRAILING_RUN.search(line))


def is_layout(line: str) -> bool:
    """Blank, widget text or footer: layout lines that may appear anywhere."""
    stripped = line.strip()
    return not stripped or _is_boilerplate(stripped) or bool(FOOTER_LINE.match(stripped))


def is_noise(line: str) -> bool:
    """A line that is layout, not article, in the page header: layout or ticker."""
    return is_layout(line) or is_ticker(line)


def match_date_line(line: str) -> re.Match[str] | None:
    """The 'Published in … on …' line, strict form first, then any digit-only date."""
    # Every line of the strict form has the loose one too, so a line that is not even
    # loose (nearly all) costs one regex, not two.
    loose = LOOSE_DATE_LINE.match(line)
    return loose and (DATE_LINE.match(line) or loose)


def looks_like_aggregator(text: str) -> bool:
    """True when the text carries one of the dump's fixed markers."""
    return has_markers(split_lines(text))


def has_markers(lines: list[str]) -> bool:
    """True when one of the lines is a date line, the footer or a widget line."""
    for line in lines:
        if match_date_line(line) or FOOTER_LINE.match(line) or _is_boilerplate(line):
            return True
    return False


def _find_date_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if match_date_line(line):
            return index
    return None


def _body(lines: list[str], start: int) -> list[str]:
    """The lines from `start` to the footer that are not layout.

    Up to the footer, no line is the footer, so only blank and widget lines are layout.
    """
    body = []
    for line in lines[start:]:
        if FOOTER_LINE.match(line):
            break
        stripped = line.strip()
        if stripped and not _is_boilerplate(stripped):
            body.append(line)
    return body


def _title_above(lines: list[str], date_index: int) -> str | None:
    for line in reversed(lines[:date_index]):
        if not is_noise(line):
            return line.strip()
    return None


def _split_without_date(lines: list[str]) -> tuple[str | None, int]:
    """No date line: the title is the first line after the ticker and widget."""
    start = 0
    for index, line in enumerate(lines):
        if _is_boilerplate(line):
            start = index + 1  # the widget ends the page header
    for index in range(start, len(lines)):
        if not is_noise(lines[index]):
            return lines[index].strip(), index + 1
    return None, len(lines)


def parse_aggregator(text: str) -> Draft:
    """Split a dump into title, publication, date and body paragraphs (one per line)."""
    return parse_aggregator_lines(split_lines(text))


def parse_aggregator_lines(lines: list[str]) -> Draft:
    """`parse_aggregator` of a text already cut by `split_lines`."""
    date_index = _find_date_line(lines)
    publication = date = None
    if date_index is not None:
        match = match_date_line(lines[date_index])
        assert match is not None
        publication, date = match.group("publication").strip(), match.group("date").strip()
        title = _title_above(lines, date_index)
        body_start = date_index + 1
    else:
        title, body_start = _split_without_date(lines)
    if not title:
        raise PageError(
            "no_title", "no title line found above the 'Published in' line or after the header"
        )
    body = _body(lines, body_start)
    if not body:
        raise PageError("no_body", "no body paragraphs between the title/date line and the footer")
    arabic = date_index is not None and bool(ARABIC_DATE_LINE.match(lines[date_index]))
    return Draft(
        title=title,
        paragraphs=body,
        publication=publication,
        publish_date=date,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
        language="ar" if arabic else None,
        source_format="aggregator_text",
    )
