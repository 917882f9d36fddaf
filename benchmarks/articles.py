"""Synthetic news articles: deterministic from (seed, index), English or Arabic.

An article is what a page is about; `render.py` turns it into an aggregator dump, an
HTML page or a WARC response. Duplicates are the same article (or a lightly edited
one) rendered again under another path, the way one story shows up several times in
a crawl.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from . import wordbank as wb

# Paragraphs per article and sentences per paragraph: the seed dump has 16 paragraphs
# of 1-2 sentences; wire stories run 6-20.
PARAGRAPHS = (6, 16)
SENTENCES = (1, 3)
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 2000  # publish dates spread over about five and a half years


@dataclass(frozen=True)
class Article:
    index: int
    language: str  # "en" | "ar"
    title: str
    publication: str
    domain: str
    published: dt.date
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]

    @property
    def slug(self) -> str:
        return f"story-{self.index:08d}"

    @property
    def url(self) -> str:
        day = self.published
        return f"https://www.{self.domain}/news/{day:%Y/%m/%d}/{self.slug}.html"


def _rng(seed: int, kind: str, index: int) -> random.Random:
    # String seeds hash with SHA-512 inside `random`: the same on every platform and run.
    return random.Random(f"{seed}:{kind}:{index}")


def _en_sentence(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f'"{rng.choice(wb.EN_QUOTES)}," {rng.choice(wb.EN_SPEAKERS)}.'
    if form == 1:
        return (
            f"{rng.choice(wb.EN_ACTORS)} {rng.choice(wb.EN_VERBS)} {rng.choice(wb.EN_OBJECTS)} "
            f"worth {rng.choice(wb.EN_NUMBERS)} {rng.choice(wb.EN_PLACES)}, "
            f"{rng.choice(wb.EN_CLAUSES)}."
        )
    return (
        f"{rng.choice(wb.EN_ACTORS)} {rng.choice(wb.EN_VERBS)} {rng.choice(wb.EN_OBJECTS)} "
        f"{rng.choice(wb.EN_PLACES)} {rng.choice(wb.EN_TIMES)}, {rng.choice(wb.EN_CLAUSES)}."
    )


def _ar_sentence(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"«{rng.choice(wb.AR_QUOTES)}»، {rng.choice(wb.AR_SPEAKERS)}."
    if form == 1:
        return (
            f"{rng.choice(wb.AR_VERBS)} {rng.choice(wb.AR_ACTORS)} {rng.choice(wb.AR_OBJECTS)} "
            f"بقيمة {rng.choice(wb.AR_NUMBERS)} {rng.choice(wb.AR_PLACES)}، "
            f"{rng.choice(wb.AR_CLAUSES)}."
        )
    return (
        f"{rng.choice(wb.AR_VERBS)} {rng.choice(wb.AR_ACTORS)} {rng.choice(wb.AR_OBJECTS)} "
        f"{rng.choice(wb.AR_PLACES)} {rng.choice(wb.AR_TIMES)}، {rng.choice(wb.AR_CLAUSES)}."
    )


def sentence(rng: random.Random, language: str) -> str:
    return _ar_sentence(rng) if language == "ar" else _en_sentence(rng)


def headline(rng: random.Random, language: str) -> str:
    if language == "ar":
        return f"{rng.choice(wb.AR_HEADLINE_SUBJECTS)} {rng.choice(wb.AR_HEADLINE_PREDICATES)}"
    return f"{rng.choice(wb.EN_HEADLINE_SUBJECTS)} {rng.choice(wb.EN_HEADLINE_PREDICATES)}"


def _paragraphs(rng: random.Random, language: str) -> tuple[str, ...]:
    count = rng.randint(*PARAGRAPHS)
    return tuple(
        " ".join(sentence(rng, language) for _ in range(rng.randint(*SENTENCES)))
        for _ in range(count)
    )


def _authors(rng: random.Random, language: str) -> tuple[str, ...]:
    if language == "ar" or rng.random() < 0.4:
        return ()
    return tuple(
        f"{rng.choice(wb.EN_FIRST_NAMES)} {rng.choice(wb.EN_LAST_NAMES)}"
        for _ in range(rng.randint(1, 2))
    )


def article(seed: int, index: int, language: str) -> Article:
    """The article of page `index`: the same inputs always give the same article."""
    rng = _rng(seed, "article", index)
    publication, domain = rng.choice(wb.AR_PUBLICATIONS if language == "ar" else wb.EN_PUBLICATIONS)
    # The headline template is short; a place and the index keep titles distinct.
    places = wb.AR_PLACES if language == "ar" else wb.EN_PLACES
    title = f"{headline(rng, language)} {rng.choice(places)}"
    return Article(
        index=index,
        language=language,
        title=title,
        publication=publication,
        domain=domain,
        published=FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)),
        paragraphs=_paragraphs(rng, language),
        authors=_authors(rng, language),
    )


def near_copy(original: Article, index: int, seed: int) -> Article:
    """A lightly edited re-publication: one sentence rewritten or one paragraph added.

    The edit touches one paragraph of 6-16, so word 5-shingle Jaccard similarity with the
    original stays around 0.8-0.95: what near-duplicate detection is meant to catch.
    """
    rng = _rng(seed, "near", index)
    paragraphs = list(original.paragraphs)
    where = rng.randrange(len(paragraphs))
    if rng.random() < 0.5:
        paragraphs[where] = sentence(rng, original.language)
    else:
        paragraphs.insert(where, sentence(rng, original.language))
    return replace(original, index=index, paragraphs=tuple(paragraphs))
