"""Generate a deterministic synthetic crawl: aggregator dumps, HTML pages, WARC files.

    python -m benchmarks.generate OUT --pages 10000 [--seed 0]

writes under OUT (same pages and seed give byte-identical files):

    aggregator/NNNN/IIIIIIII.txt[.gz]   English and Arabic dumps in the seed layout
                                        (some Arabic ones in Windows-1256)
    html/NNNN/IIIIIIII.html[.gz]        article pages with navigation, ads, related, comments
    warc/crawl-NNNNN.warc.gz            request/response pairs of HTML pages, plus one
                                        non-HTML response per file
    broken/NNNN/...                     empty, binary, truncated gzip, bodiless HTML,
                                        impossible dates, text in no known format
    manifest.csv                        path, url, fetched_at of every page file
    .corpus.json                        what was generated (hidden: not an input page)

About 5% of pages are exact re-publications of an earlier article and 5% lightly edited
ones, so the dedup stage has work to do.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .articles import Article, article, near_copy
from .render import WarcBuilder, aggregator_dump, fetch_time, html_page, ticker

# The share of each kind of page; aggregator dumps dominate the crawls this toolkit
# was built for, HTML comes as loose files and as WARC captures.
MIX = (("aggregator", 0.70), ("html", 0.18), ("warc", 0.12))
ENGLISH_SHARE = {"aggregator": 0.72, "html": 0.8, "warc": 0.8}  # the rest is Arabic
GZIP_SHARE = 0.10  # page files stored gzip-compressed
CP1256_SHARE = 0.10  # Arabic dumps saved in the legacy Windows Arabic code page
EXACT_DUP_SHARE = 0.05
NEAR_DUP_SHARE = 0.05
BROKEN_SHARE = 0.01
BROKEN_KINDS = ("empty", "binary", "truncated_gzip", "bodiless_html", "bad_date", "unknown_format")
TRACKED_URL_SHARE = 0.3  # crawl URLs that carry utm_* parameters the builder strips
WARC_RESPONSES = 100  # HTML responses per WARC file
TICKER_BLOCK = 200  # consecutive dumps share a ticker, as dumps of one day do
FILES_PER_FOLDER = 1000
MANIFEST = "manifest.csv"
STATS = ".corpus.json"


@dataclass(frozen=True)
class Plan:
    """What page `index` is: its container kind, language and role."""

    index: int
    kind: str  # aggregator | html | warc
    language: str
    role: str  # original | exact | near | broken
    source: int  # the index of the article it shows (itself for originals)


def plan(seed: int, index: int) -> Plan:
    rng = random.Random(f"{seed}:plan:{index}")
    roll, kind = rng.random(), MIX[-1][0]
    for name, share in MIX:
        if roll < share:
            kind = name
            break
        roll -= share
    role_roll = rng.random()
    if index > 0 and role_roll < EXACT_DUP_SHARE + NEAR_DUP_SHARE:
        source = plan(seed, rng.randrange(index))
        role = "exact" if role_roll < EXACT_DUP_SHARE else "near"
        return Plan(index, kind, source.language, role, source.source)
    language = "en" if rng.random() < ENGLISH_SHARE[kind] else "ar"
    role = "broken" if role_roll > 1 - BROKEN_SHARE else "original"
    return Plan(index, kind, language, role, index)


def article_of(seed: int, page: Plan) -> Article:
    original = article(seed, page.source, page.language)
    return near_copy(original, page.index, seed) if page.role == "near" else original


def _folder(index: int) -> str:
    return f"{index // FILES_PER_FOLDER:04d}"


def _maybe_gzip(name: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    if rng.random() < GZIP_SHARE:
        return name + ".gz", gzip.compress(data, mtime=0)  # mtime 0: same bytes every run
    return name, data


def _crawl_url(url: str, rng: random.Random) -> str:
    return f"{url}?utm_source=feed&utm_medium=rss" if rng.random() < TRACKED_URL_SHARE else url


def _broken(page: Plan, item: Article, rng: random.Random, tick: str) -> tuple[str, bytes]:
    kind = BROKEN_KINDS[rng.randrange(len(BROKEN_KINDS))]
    base = f"broken/{_folder(page.index)}/{page.index:08d}-{kind.replace('_', '-')}"
    if kind == "empty":
        return base + ".txt", b""
    if kind == "binary":
        return base + ".txt", bytes(rng.randrange(256) for _ in range(2048))
    if kind == "truncated_gzip":
        whole = gzip.compress(aggregator_dump(item, tick, rng).encode(), mtime=0)
        return base + ".txt.gz", whole[: len(whole) // 2]
    if kind == "bodiless_html":
        return base + ".html", html_page(item, rng, with_body=False).encode()
    if kind == "bad_date":
        return base + ".txt", aggregator_dump(item, tick, rng, bad_date=True).encode()
    return base + ".txt", ("\n".join(item.paragraphs[:3]) + "\n").encode()


def _page_file(page: Plan, item: Article, rng: random.Random, tick: str) -> tuple[str, bytes]:
    """Relative path and bytes of a page stored as its own file."""
    if page.role == "broken":
        return _broken(page, item, rng, tick)
    if page.kind == "html":
        return _maybe_gzip(
            f"html/{_folder(page.index)}/{page.index:08d}.html", html_page(item, rng).encode(), rng
        )
    name = f"aggregator/{_folder(page.index)}/{page.index:08d}.txt"
    if item.language == "ar" and rng.random() < CP1256_SHARE:
        return name, aggregator_dump(item, tick, rng, legacy=True).encode("cp1256")
    return _maybe_gzip(name, aggregator_dump(item, tick, rng).encode(), rng)


class _Writer:
    """Writes pages under the output folder and keeps the manifest and the counts."""

    def __init__(self, out: Path, seed: int) -> None:
        self.out, self.seed = out, seed
        self.manifest = io.StringIO()
        self.rows = csv.writer(self.manifest, lineterminator="\n")
        self.rows.writerow(["path", "url", "fetched_at"])
        self.counts: Counter[str] = Counter()
        self.warc: WarcBuilder | None = None
        self.warc_files = 0

    def write(self, relative: str, data: bytes) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def add_warc(self, item: Article, rng: random.Random) -> None:
        if self.warc is None:
            self.warc = WarcBuilder(f"crawl-{self.warc_files:05d}")
            # One image per capture file: a response the builder must reject, not parse.
            self.warc.add(
                f"https://www.{item.domain}/logo.jpg",
                fetch_time(item, rng),
                b"\xff\xd8\xff" + bytes(512),
                "image/jpeg",
            )
            self.counts["warc:non_html"] += 1
        self.warc.add(
            _crawl_url(item.url, rng),
            fetch_time(item, rng),
            html_page(item, rng).encode(),
            "text/html; charset=utf-8",
        )
        if self.warc.count >= 4 * WARC_RESPONSES:  # request + response per page
            self.flush_warc()

    def flush_warc(self) -> None:
        if self.warc is not None:
            self.write(f"warc/{self.warc.name}.warc.gz", self.warc.getvalue())
            self.warc, self.warc_files = None, self.warc_files + 1


def generate(out: Path, pages: int, seed: int = 0) -> dict[str, object]:
    """Write `pages` pages under `out`; returns what was generated (also in .corpus.json)."""
    writer = _Writer(out, seed)
    tickers: dict[str, str] = {}
    for index in range(pages):
        page = plan(seed, index)
        item = article_of(seed, page)
        rng = random.Random(f"{seed}:render:{index}")
        if index % TICKER_BLOCK == 0 or not tickers:
            block = index // TICKER_BLOCK
            tickers = {
                lang: ticker(random.Random(f"{seed}:ticker:{lang}:{block}"), lang)
                for lang in ("en", "ar")
            }
        tick = tickers[item.language]
        writer.counts[f"{page.kind}:{page.language}:{page.role}"] += 1
        if page.kind == "warc" and page.role != "broken":
            writer.add_warc(item, rng)
            continue
        relative, data = _page_file(page, item, rng, tick)
        writer.write(relative, data)
        url = (
            item.url
            if page.kind == "html"
            else f"https://news-aggregator.example/{page.language}/{index}"
        )
        writer.rows.writerow([relative, _crawl_url(url, rng), fetch_time(item, rng)])
    writer.flush_warc()
    (out / MANIFEST).write_text(writer.manifest.getvalue(), encoding="utf-8")
    stats = {
        "pages": pages,
        "seed": seed,
        "warc_files": writer.warc_files,
        "counts": dict(sorted(writer.counts.items())),
    }
    (out / STATS).write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"error: {args.out} is not empty; generate into a new folder", file=sys.stderr)
        return 2
    stats = generate(args.out, args.pages, args.seed)
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
