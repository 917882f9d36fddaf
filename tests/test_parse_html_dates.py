"""The publish-date chain on small pages written for each rule it follows."""

from __future__ import annotations

import json

import pytest

from builder.parse.html.dates import text_dates
from builder.parse.html.metadata import read_metadata
from builder.parse.html.parser import load_tree

HEADLINE = "Harbour footbridge reopens after six weeks of repairs"
# Longer than the byline window after the headline (600 characters), so that a date
# printed after it is only found by the last-resort search.
BODY = " ".join(
    f"Paragraph {n}: the council said the crossing would carry cyclists again from the"
    " spring, once the new deck boards and railings have been inspected by engineers."
    for n in range(1, 9)
)


def page(
    *, jsonld: dict | None = None, meta: str = "", above: str = "", below: str = "", after: str = ""
) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return (
        f"<html><head><title>{HEADLINE}</title>{meta}{script}</head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article>{above}<h1>{HEADLINE}</h1>{below}<p>{BODY}</p>{after}</article>"
        "</body></html>"
    )


def article(**fields: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        **fields,
    }


URL = "https://news.example.org/local/footbridge-reopens"

CASES = [
    # A full date in the URL is set at first publication; a later datePublished is not.
    (
        "url_date_first",
        page(jsonld=article(datePublished="2021-05-06T10:00:00+02:00")),
        "https://news.example.org/2021/05/04/footbridge-reopens/",
        "2021-05-04",
    ),
    # An evening story in the Americas stamped in UTC: the page shows the local day.
    (
        "utc_time_gives_way_to_the_shown_date",
        page(
            jsonld=article(datePublished="2023-11-09T03:30:59Z"),
            below='<p class="byline">By Dana Reyes | November 8, 2023</p>',
        ),
        URL,
        "2023-11-08",
    ),
    (
        "utc_time_same_day_as_shown",
        page(
            meta='<meta property="article:published_time" content="2023-11-09T15:00:00+00:00">',
            below='<p class="byline">By Dana Reyes | November 9, 2023</p>',
        ),
        URL,
        "2023-11-09",
    ),
    # A shown date two days apart is another date (an event), not a time zone.
    (
        "utc_time_kept_when_the_shown_date_is_further",
        page(
            jsonld=article(datePublished="2023-11-09T03:30:59Z"),
            below='<p class="byline">By Dana Reyes | November 7, 2023</p>',
        ),
        URL,
        "2023-11-09",
    ),
    # A time with its own offset is the publisher's local time: its date is kept as is.
    (
        "offset_keeps_its_local_date",
        page(
            jsonld=article(datePublished="2019-10-18T23:30:00-05:00"),
            below='<p class="byline">October 19, 2019</p>',
        ),
        URL,
        "2019-10-18",
    ),
    (
        "reportage_article_type",
        page(
            jsonld={
                **article(datePublished="2020-04-10T17:58:15+01:00"),
                "@type": "ReportageNewsArticle",
            }
        ),
        URL,
        "2020-04-10",
    ),
    (
        "german_month_under_the_headline",
        page(below='<p class="meta">Veröffentlicht am 16. Oktober 2019 um 14:37 Uhr</p>'),
        URL,
        "2019-10-16",
    ),
    (
        "german_two_digit_year",
        page(below='<div class="meta">Von Jana Kurz <span>|</span> <span>23.09.22</span></div>'),
        URL,
        "2022-09-23",
    ),
    (
        "austrian_month",
        page(below='<p class="date">5. Jänner 2020</p>'),
        URL,
        "2020-01-05",
    ),
    (
        "spanish_de_connectors",
        page(below='<p class="fecha">Publicado el 3 de mayo de 2022</p>'),
        URL,
        "2022-05-03",
    ),
    # Many sites print the date in a kicker line just above the <h1>.
    (
        "date_line_above_the_headline",
        page(above='<p class="topline"><span class="date">27.01.2022</span> Pressemitteilung</p>'),
        URL,
        "2022-01-27",
    ),
    (
        "weekday_date_header_above_the_headline",
        page(above='<h2 class="date-header"><span>Samstag, 5. Oktober 2013</span></h2>'),
        URL,
        "2013-10-05",
    ),
    # Far below the headline, outside anything the chain reads: htmldate finds it.
    (
        "last_resort_search",
        page(after='<div class="entry-footer">Posted on 2021-03-04</div>'),
        URL,
        "2021-03-04",
    ),
    # Metadata that only names a modification date: no date, not that one.
    (
        "modified_only",
        page(
            jsonld=article(dateModified="2024-04-26T16:20:00+01:00"),
            below='<p class="updated">Last updated: 26 April 2024</p>',
        ),
        URL,
        None,
    ),
    ("no_date_anywhere", page(), URL, None),
]


@pytest.mark.parametrize(("html", "url", "date"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_publish_date(html: str, url: str, date: str | None) -> None:
    assert read_metadata(load_tree(html), url).publish_date == date


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Samstag, 5. Oktober 2013", ["2013-10-05"]),
        ("am 19. Mai 2010 um 23:03 Uhr gepostet", ["2010-05-19"]),
        ("18. Okt 2023", ["2023-10-18"]),
        ("31. März 2003", ["2003-03-31"]),
        ("Stand: 23.09.22", ["2022-09-23"]),
        ("3 de mayo de 2022", ["2022-05-03"]),
        ("12 maggio 2021", ["2021-05-12"]),
        ("1 de março de 2020", ["2020-03-01"]),
        ("4 mei 2019", ["2019-05-04"]),
        ("jeudi 13 juin 2019", ["2019-06-13"]),
        # Version numbers and three-part numbers are not dates.
        ("version 1.2.20, build 10.02.2", []),
        ("31.02.22", []),
    ],
)
def test_text_dates_in_more_languages(text: str, dates: list[str]) -> None:
    assert [iso for _, iso in text_dates(text)] == dates
