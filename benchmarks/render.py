"""Render synthetic articles as the raw pages a crawl holds: aggregator dumps, HTML, WARC.

The aggregator layout follows the seed dump (ticker of headlines glued by runs of
no-break spaces, the image-report widget, title, "Published in ... on DD - MM - YYYY",
one paragraph per line, the "Clic here" footer); the HTML pages carry what real news
sites wrap around an article (navigation, ads, related links, comments, footer,
scripts) so an extractor has something to throw away.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import random
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import wordbank as wb
from .articles import Article, headline

TICKER_SEPARATOR = "\u00a0" * 4  # the seed's ticker joins headlines with four NBSPs
TICKER_HEADLINES = (25, 45)
EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

EN_WIDGET = (
    "Thank you for reporting!",
    "This image will be automatically disabled when it gets reported by several people.",
)
AR_WIDGET = (
    "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
)
EN_FOOTER = "Clic here to read the story from its source."
AR_FOOTER = "اضغط هنا لقراءة الخبر من مصدره"


def ticker(rng: random.Random, language: str) -> str:
    count = rng.randint(*TICKER_HEADLINES)
    return TICKER_SEPARATOR.join(headline(rng, language) for _ in range(count))


def aggregator_dump(
    item: Article,
    ticker_line: str,
    rng: random.Random,
    bad_date: bool = False,
    legacy: bool = False,
) -> str:
    """The aggregator's plain-text page for one article (English or Arabic layout)."""
    day = item.published
    date = f"{day.day:02d} - {day.month:02d} - {day.year}"
    if bad_date:
        date = f"31 - 02 - {day.year}"  # 31 February: a date the builder must reject
    if item.language == "ar":
        if rng.random() < 0.3 and not legacy:  # Windows-1256 has no Eastern Arabic digits
            date = date.translate(EASTERN_DIGITS)  # some Arabic dumps use Eastern digits
        widget, footer, date_line = AR_WIDGET, AR_FOOTER, f"نشر في {item.publication} يوم {date}"
    else:
        widget, footer, date_line = (
            EN_WIDGET,
            EN_FOOTER,
            f"Published in {item.publication} on {date}",
        )
    lines = [
        ticker_line,
        *[""] * 7,
        *widget,
        "",
        "",
        "",
        item.title,
        date_line,
        "",
        *item.paragraphs,
        "",
        "",
        footer,
    ]
    return "\n".join(lines) + "\n"


def _nav() -> str:
    links = "".join(
        f'<li><a href="/section/{n.lower().replace(" ", "-")}">{n}</a></li>'
        for n in wb.NAV_SECTIONS
    )
    return f'<header class="site-header"><nav class="main-menu"><ul>{links}</ul></nav></header>'


def _ad(rng: random.Random) -> str:
    return (
        f'<div class="ad-slot" data-ad-unit="{rng.randrange(10**6)}">'
        f'<span class="ad-label">{rng.choice(wb.AD_TEXTS)}</span></div>'
    )


def _related(rng: random.Random, language: str) -> str:
    items = "".join(
        f'<li><a href="/news/{rng.randrange(10**7)}.html">'
        f"{html.escape(headline(rng, language))}</a></li>"
        for _ in range(5)
    )
    return f'<aside class="related"><h3>Related stories</h3><ul>{items}</ul></aside>'


def _comments(rng: random.Random) -> str:
    items = "".join(
        f'<li class="comment"><b>{rng.choice(wb.COMMENTER_NAMES)}</b>'
        f"<p>{rng.choice(wb.COMMENT_TEXTS)}</p></li>"
        for _ in range(rng.randint(0, 6))
    )
    return f'<section id="comments"><h3>Comments</h3><ol>{items}</ol></section>'


def _script(rng: random.Random) -> str:
    # Tracking and layout scripts make up much of a real page's bytes.
    calls = ";".join(
        f"window.dataLayer.push({{event:'view',slot:{rng.randrange(999)}}})" for _ in range(40)
    )
    return f"<script>window.dataLayer=window.dataLayer||[];{calls}</script>"


def _head(item: Article, published: str) -> str:
    title = html.escape(item.title)
    authors = "".join(f'<meta name="author" content="{html.escape(a)}">' for a in item.authors)
    return (
        f'<head><meta charset="utf-8"><title>{title} - {html.escape(item.publication)}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:site_name" content="{html.escape(item.publication)}">'
        f'<meta property="og:url" content="{item.url}">'
        f'<link rel="canonical" href="{item.url}">'
        f'<meta property="article:published_time" content="{published}">{authors}'
        "<style>body{font-family:serif}.ad-slot{min-height:250px}</style></head>"
    )


def html_page(item: Article, rng: random.Random, with_body: bool = True) -> str:
    """A news site's article page: the article wrapped in navigation, ads and comments."""
    published = (
        f"{item.published.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+02:00"
    )
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in item.paragraphs] if with_body else []
    middle = len(paragraphs) // 2
    body_parts = [*paragraphs[:middle], _ad(rng), *paragraphs[middle:]]
    byline = ", ".join(item.authors)
    article = (
        f'<article class="story"><h1>{html.escape(item.title)}</h1>'
        f'<div class="byline">{html.escape(byline)} <time datetime="{published}">'
        f"{item.published:%d %B %Y}</time></div>"
        f'<div class="story-body">{"".join(body_parts) if with_body else ""}</div></article>'
    )
    direction = ' dir="rtl"' if item.language == "ar" else ""
    return (
        f'<!DOCTYPE html><html lang="{item.language}"{direction}>{_head(item, published)}<body>'
        f"{_nav()}{_ad(rng)}<main>{article}{_related(rng, item.language)}{_comments(rng)}</main>"
        f"<footer><p>© {item.published.year} {html.escape(item.publication)}. "
        f"All rights reserved.</p></footer>{_script(rng)}</body></html>"
    )


def fetch_time(item: Article, rng: random.Random) -> str:
    """When the crawler fetched the page: some hours to days after publication, UTC."""
    moment = dt.datetime.combine(item.published, dt.time()) + dt.timedelta(
        minutes=rng.randrange(60 * 24 * 10)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcBuilder:
    """Collects HTTP responses into one gzip WARC file with fixed ids and dates."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=True)
        self.count = 0

    def _record_id(self) -> str:
        self.count += 1
        return (
            f"<urn:uuid:00000000-0000-4000-8000-"
            f"{zlib.crc32(self.name.encode()) % 10**6:06d}{self.count:06d}>"
        )

    def add(self, url: str, fetched_at: str, body: bytes, content_type: str) -> None:
        """A request/response pair, as a crawler writes them."""
        request = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True
        )
        self.writer.write_record(
            self.writer.create_warc_record(
                url,
                "request",
                http_headers=request,
                warc_headers_dict={"WARC-Date": fetched_at, "WARC-Record-ID": self._record_id()},
            )
        )
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        self.writer.write_record(
            self.writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": fetched_at, "WARC-Record-ID": self._record_id()},
            )
        )

    def getvalue(self) -> bytes:
        return self.buffer.getvalue()
