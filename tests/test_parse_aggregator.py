"""The aggregator dump parser: the seed layout and every variation the issue lists.

The base cases are the seed-layout pages in tests/fixtures/seeds/ (and the shared seed
when it is beside the repo). Each variation is made from a base page by a small edit a
real crawl produces, and must parse to exactly the same title, publication, date and
paragraphs as the page it was made from.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import PageError
from builder.model import Draft, Page
from builder.parse.aggregator import (
    is_layout,
    is_ticker,
    looks_like_aggregator,
    match_date_line,
    parse_aggregator,
    split_lines,
)
from builder.parse.aggregator_markers import BOILERPLATE_LINES, FOOTER_LINE
from builder.parse.detect import parse_page

from .conftest import FIXTURE_SEEDS, SHARED_SEEDS

NBSP4 = "\u00a0" * 4


@dataclass(frozen=True)
class Expected:
    title: str
    publication: str
    date: str
    paragraphs: int
    first: str  # start of the first paragraph
    last: str  # end of the last paragraph
    language: str | None = None


EXPECTED = {
    "101": Expected(
        "Egypt's Cabinet approves new incentives for green hydrogen projects",
        "Ahram Online",
        "07 - 02 - 2023",
        5,
        "Egypt's Cabinet on Tuesday approved",
        "before the end of the month.",
    ),
    "102": Expected(
        "الحكومة توافق على حوافز جديدة لمشروعات الهيدروجين الأخضر",
        "الأهرام",
        "07 - 02 - 2023",
        4,
        "وافق مجلس الوزراء، خلال اجتماعه الأسبوعي",
        "قبل نهاية الشهر الجاري.",
        "ar",
    ),
    "103": Expected(
        "Minya farmers begin early sugar beet harvest as prices rise",
        "Egypt Independent",
        "23 - 01 - 2024",
        4,
        "Sugar beet farmers in Minya began",
        "higher beet and cane production.",
    ),
    "000": Expected(
        "Russians head to Turkey for talks on Syria's Idlib offensive: Minister",
        "Ahram Online",
        "07 - 02 - 2020",
        16,
        "Russian officials will arrive in Turkey on Saturday",
        'in the harshest way," the source said.',
    ),
}


def _seed_pages() -> list[Path]:
    pages = sorted(FIXTURE_SEEDS.glob("*.txt"))
    if SHARED_SEEDS.is_dir():
        pages += sorted(SHARED_SEEDS.glob("*.txt"))
    return pages


def _fixture(prefix: str) -> str:
    [path] = FIXTURE_SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _page(data: bytes) -> Page:
    return Page(raw_path="page.txt", data=data, raw_sha256="0" * 64, container="file")


def test_fixture_seeds_exist_in_the_seed_layout() -> None:
    names = [p.name for p in FIXTURE_SEEDS.glob("*.txt")]
    assert len(names) >= 3
    for name in names:
        text = (FIXTURE_SEEDS / name).read_text(encoding="utf-8")
        lines = text.split("\n")
        assert is_ticker(lines[0]), f"{name}: first line is not a ticker"
        assert NBSP4 in lines[0], f"{name}: ticker not glued with no-break spaces like the seed"
        assert not text.endswith("\n"), f"{name}: the seed has no newline after the footer"


@pytest.mark.parametrize("path", _seed_pages(), ids=lambda p: p.name)
def test_seed_layout_pages_parse_to_expected_fields(path: Path) -> None:
    expected = EXPECTED[path.name[:3]]
    draft = parse_aggregator(path.read_text(encoding="utf-8"))
    assert draft.title == expected.title
    assert draft.publication == expected.publication
    assert draft.publish_date == expected.date
    assert len(draft.paragraphs) == expected.paragraphs
    assert draft.paragraphs[0].startswith(expected.first)
    assert draft.paragraphs[-1].endswith(expected.last)
    assert draft.language == expected.language
    assert draft.parser == "aggregator_text"


@pytest.mark.parametrize("path", _seed_pages(), ids=lambda p: p.name)
def test_seed_layout_pages_carry_no_ticker_widget_or_footer(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    draft = parse_aggregator(text)
    headlines = [h for h in text.split("\n")[0].split(NBSP4) if h.strip()]
    kept = "\n".join([draft.title, *draft.paragraphs])
    for phrase in [
        *headlines,
        "Thank you for reporting",
        "automatically disabled",
        "Clic here",
        "شكرا على الإبلاغ",
        "اضغط هنا",
    ]:
        assert phrase not in kept


# --- variations of a base page: each must parse exactly like the base -----------------


def _drop_line(predicate: Callable[[str], bool]) -> Callable[[str], str]:
    return lambda text: "\n".join(line for line in text.split("\n") if not predicate(line))


def _several_tickers(text: str) -> str:
    ticker, rest = text.split("\n", 1)
    second = (
        NBSP4.join(
            [
                "Giza zoo reopens after renovation",
                "Aswan dam water level stable",
                "Cairo book fair dates announced",
            ]
        )
        + NBSP4
    )
    return f"{ticker}\n{second}\n\n{ticker}\n{rest}"


def _extra_blank_lines(text: str) -> str:
    head, body = text.split("\n\n\n\n", 1)  # the widget is followed by three blank lines
    return head + "\n\n\n\n\n\n" + body.replace("\n", "\n\n\n")


def _ticker_with_plain_spaces(text: str) -> str:
    ticker, rest = text.split("\n", 1)
    return ticker.replace("\u00a0", " ") + "\n" + rest


def _two_headline_ticker(text: str) -> str:
    _, rest = text.split("\n", 1)
    return (
        "Gold prices end July with modest gains"
        + NBSP4
        + "Egypt to tax bloggers"
        + NBSP4
        + "\n"
        + rest
    )


def _trailing_junk_after_footer(text: str) -> str:
    return text + "\n\nRelated stories\nMore from this publication"


def _is_footer(line: str) -> bool:
    return line.startswith(("Clic here", "اضغط هنا"))


def _is_widget(line: str) -> bool:
    return line.startswith(("Thank you for", "This image will", "شكرا على", "سيتم حجب"))


VARIATIONS: dict[str, Callable[[str], str]] = {
    "no_ticker": lambda t: t.split("\n", 1)[1],
    "several_ticker_lines": _several_tickers,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bare_cr": lambda t: t.replace("\n", "\r"),
    "extra_blank_lines": _extra_blank_lines,
    "missing_footer": _drop_line(_is_footer),
    "no_widget": _drop_line(_is_widget),
    "ticker_with_plain_spaces": _ticker_with_plain_spaces,
    "two_headline_ticker": _two_headline_ticker,
    "trailing_newline": lambda t: t + "\n",
    "text_after_footer": _trailing_junk_after_footer,
}


def _same(draft: Draft, base: Draft) -> None:
    assert (
        draft.title,
        draft.publication,
        draft.publish_date,
        draft.paragraphs,
        draft.language,
    ) == (base.title, base.publication, base.publish_date, base.paragraphs, base.language)


@pytest.mark.parametrize("prefix", ["101", "102"])
@pytest.mark.parametrize("name", sorted(VARIATIONS))
def test_layout_variations_parse_like_the_base_page(prefix: str, name: str) -> None:
    base_text = _fixture(prefix)
    _same(parse_aggregator(VARIATIONS[name](base_text)), parse_aggregator(base_text))


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf8": lambda t: t.encode("utf-8"),
    "utf8_bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf8_bom_crlf": lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"),
    "utf16_bom": lambda t: t.encode("utf-16"),
}


@pytest.mark.parametrize("prefix", ["101", "102"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_encodings_parse_like_the_base_page(prefix: str, encoding: str) -> None:
    base_text = _fixture(prefix)
    _same(parse_page(_page(ENCODINGS[encoding](base_text))), parse_aggregator(base_text))


def test_arabic_page_in_windows_1256_parses_like_utf8() -> None:
    base_text = _fixture("102")
    _same(parse_page(_page(base_text.encode("cp1256"))), parse_aggregator(base_text))


def test_western_page_in_windows_1252_keeps_its_typography() -> None:
    text = (
        _fixture("101")
        .replace('"We want', "\u201cWe want")
        .replace('at scale,"', "at scale,\u201d")
    )
    text = text.replace(
        "Egypt's Cabinet approves", "Caf\u00e9 owners welcome Egypt\u2019s Cabinet approving"
    )
    draft = parse_page(_page(text.encode("cp1252")))
    assert (
        draft.title
        == "Caf\u00e9 owners welcome Egypt\u2019s Cabinet approving new incentives for green "
        "hydrogen projects"
    )
    assert draft.paragraphs[3].startswith("\u201cWe want Egypt")


# --- the date line ---------------------------------------------------------------------


def _with_date_line(prefix: str, line: str) -> Draft:
    text = _fixture(prefix)
    old = next(x for x in text.split("\n") if x.startswith(("Published in", "نشر في")))
    return parse_aggregator(text.replace(old, line))


@pytest.mark.parametrize(
    ("line", "publication", "date"),
    [
        (
            "Published in The Cairo Commuter Weekly on 07 - 02 - 2023",
            "The Cairo Commuter Weekly",
            "07 - 02 - 2023",
        ),
        ("Published in Voice on Africa on 07 - 02 - 2023", "Voice on Africa", "07 - 02 - 2023"),
        ("Published in صوت الصعيد on 07 - 02 - 2023", "صوت الصعيد", "07 - 02 - 2023"),
        ("published in  Ahram Online  on 7-2-2023 ", "Ahram Online", "7-2-2023"),
        ("Published in Ahram Online on 2023-02-07", "Ahram Online", "2023-02-07"),  # bad_date later
        (
            "Published in Ahram Online on 31 - 02 - 2023",
            "Ahram Online",
            "31 - 02 - 2023",
        ),  # bad_date later
    ],
)
def test_date_line_forms(line: str, publication: str, date: str) -> None:
    draft = _with_date_line("101", line)
    assert (draft.publication, draft.publish_date) == (publication, date)
    assert draft.title == EXPECTED["101"].title
    assert len(draft.paragraphs) == EXPECTED["101"].paragraphs


@pytest.mark.parametrize(
    ("line", "publication", "date"),
    [
        ("نشر في المصري اليوم يوم ١٢ - ٠٥ - ٢٠٢٢", "المصري اليوم", "١٢ - ٠٥ - ٢٠٢٢"),
        ("نشر في اليوم السابع يوم 07 - 02 - 2023", "اليوم السابع", "07 - 02 - 2023"),
    ],
)
def test_arabic_date_line_forms(line: str, publication: str, date: str) -> None:
    draft = _with_date_line("102", line)
    assert (draft.publication, draft.publish_date, draft.language) == (publication, date, "ar")


def test_missing_date_line_keeps_title_and_body_without_publication() -> None:
    base = parse_aggregator(_fixture("101"))
    draft = parse_aggregator(
        _drop_line(lambda line: line.startswith("Published in"))(_fixture("101"))
    )
    assert (draft.title, draft.paragraphs) == (base.title, base.paragraphs)
    assert (draft.publication, draft.publish_date) == (None, None)


def test_missing_date_line_and_widget_still_skips_the_ticker() -> None:
    text = _drop_line(lambda line: line.startswith("Published in") or _is_widget(line))(
        _fixture("103")
    )
    draft = parse_aggregator(text)
    assert draft.title == EXPECTED["103"].title
    assert len(draft.paragraphs) == EXPECTED["103"].paragraphs


def test_prose_starting_like_a_date_line_stays_a_paragraph() -> None:
    text = _fixture("101").replace(
        "The package must",
        "Published in Nature on Monday, a study found hydrogen costs falling. The package must",
    )
    draft = parse_aggregator(text)
    assert draft.publication == "Ahram Online"
    assert draft.paragraphs[-1].startswith("Published in Nature on Monday")


# --- paragraphs that look like layout must stay -----------------------------------------


def test_body_paragraph_with_runs_of_spaces_is_not_taken_for_a_ticker() -> None:
    odd = "Q: Why now?   A: The tender closes in March,\tofficials said.   Bids are due by noon."
    text = _fixture("101").replace("The package must still", odd + "\nThe package must still")
    draft = parse_aggregator(text)
    assert odd in draft.paragraphs
    assert len(draft.paragraphs) == EXPECTED["101"].paragraphs + 1


def test_paragraph_with_form_feed_or_line_separator_is_not_split() -> None:
    text = _fixture("101").replace("package must still", "package\x0cmust\u2028still")
    draft = parse_aggregator(text)
    assert len(draft.paragraphs) == EXPECTED["101"].paragraphs
    assert "package\x0cmust\u2028still" in draft.paragraphs[-1]


# --- pages the parser must refuse, with the documented reason -------------------------


def test_title_missing_above_the_date_line_is_no_title() -> None:
    text = _fixture("101").replace(EXPECTED["101"].title + "\n", "")
    with pytest.raises(PageError) as caught:
        parse_aggregator(text)
    assert caught.value.reason == "no_title"


def test_page_without_paragraphs_is_no_body() -> None:
    lines = _fixture("103").split("\n")
    date_index = next(i for i, line in enumerate(lines) if line.startswith("Published in"))
    text = "\n".join(lines[: date_index + 1] + ["", "", "", lines[-1]])
    with pytest.raises(PageError) as caught:
        parse_aggregator(text)
    assert caught.value.reason == "no_body"


def test_only_ticker_and_widget_is_no_title() -> None:
    text = "\n".join(_fixture("101").split("\n")[:10])
    with pytest.raises(PageError) as caught:
        parse_aggregator(text)
    assert caught.value.reason == "no_title"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published in Ahram Online on 07 - 02 - 2020\n", True),
        ("Clic here to read the story from its source.", True),
        ("Thank you for reporting!\n", True),
        ("اضغط هنا لقراءة الخبر من مصدره.", True),
        ("Minutes of the editorial meeting\n\n- wheat tender\n- Aswan gallery\n", False),
        ("Published in Nature on Monday, a study said.\n", False),
    ],
)
def test_looks_like_aggregator(text: str, expected: bool) -> None:
    assert looks_like_aggregator(text) is expected


# Pieces of dump lines: the widget and footer phrases in odd spacing and case, date
# lines, every kind of line break and white space, letters whose case folding changes
# their length (ß, İ), so the fast line tests meet what the simple ones were written for.
_PIECES = st.sampled_from(
    [
        "Thank you", " for ", "REPORTING!", "thank\u00a0you  for reporting!", "This image",
        " will be automatically disabled when it gets reported by several people.",
        "شكرا على الإبلاغ!", "شكرا", " على ", "الإبلاغ!",
        "Clic here to read the story from its source.",
        "Published in X on 07 - 02 - 2020", "نشر في الأهرام يوم ١٢ - ٠٥ - ٢٠٢٢", "Published in ",
        "\r\n", "\r", "\n", "\r\r\n", "\x0c", "\u2028", "\x85", " ", "\t", "\u00a0" * 4,
        "ß", "İ", "a", "Title",
    ]
)
_DUMPS = st.lists(_PIECES, max_size=14).map("".join)
_BREAK = re.compile(r"\r\n|\r|\n")


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


@settings(max_examples=400, deadline=None)
@given(_DUMPS)
def test_fast_line_tests_equal_their_definitions(text: str) -> None:
    """Lines break at CR, LF and CRLF only; widget, footer and marker tests as defined."""
    lines = _BREAK.split(text)
    assert split_lines(text) == lines
    for line in lines:
        stripped = line.strip()
        widget = _key(stripped) in BOILERPLATE_LINES
        layout = not stripped or widget or bool(FOOTER_LINE.match(stripped))
        assert is_layout(line) is layout
    marker = any(
        match_date_line(line) or FOOTER_LINE.match(line) or _key(line) in BOILERPLATE_LINES
        for line in lines
    )
    assert looks_like_aggregator(text) is marker
