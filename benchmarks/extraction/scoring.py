"""Gold pages and the scores the extraction benchmark and the HTML parser tests share."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "html"
_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class GoldPage:
    """One fixture page and what a perfect parser returns for it."""

    name: str
    html: str
    title: str
    paragraphs: list[str]
    publish_date: str | None
    authors: list[str]
    url: str
    publication: str
    language: str | None  # None: the page declares none
    boilerplate: list[str]
    crawl_url: str | None = None  # the URL the crawler fetched, when the page needs it

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def load_gold(folder: Path = FIXTURES) -> list[GoldPage]:
    """Every `NAME.html` with its `NAME.json` sidecar in the folder, sorted by name."""
    pages = []
    for sidecar in sorted(folder.glob("*.json")):
        gold = json.loads(sidecar.read_text(encoding="utf-8"))
        pages.append(
            GoldPage(
                name=sidecar.stem,
                html=sidecar.with_suffix(".html").read_text(encoding="utf-8"),
                title=gold["title"],
                paragraphs=gold["paragraphs"],
                publish_date=gold["publish_date"],
                authors=gold["authors"],
                url=gold["url"],
                publication=gold["publication"],
                language=gold["language"],
                boilerplate=gold["boilerplate"],
                crawl_url=gold.get("crawl_url"),
            )
        )
    return pages


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.casefold()))


def token_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of an extracted body against the gold body.

    The measure of the article-extraction benchmarks (e.g. ScrapingHub's): a token
    counts as often as it appears in both texts, so duplicated or missing text costs.
    """
    got, want = tokens(predicted), tokens(gold)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def same_text(a: str | None, b: str | None) -> bool:
    """Equal after collapsing white space (titles, names)."""
    return _SPACES.sub(" ", a or "").strip() == _SPACES.sub(" ", b or "").strip()


def leaked_boilerplate(body: str, page: GoldPage) -> list[str]:
    """The planted boilerplate phrases that made it into an extracted body."""
    folded = body.casefold()
    return [p for p in page.boilerplate if p.casefold() in folded]
