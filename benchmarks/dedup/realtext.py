"""Labelled dedup corpus made of real article text (../shared/realdata pages).

The article bodies are extracted when the benchmark runs, from the saved pages (the
`<p>` elements of 60 or more characters, as a simple extractor sees them); no page text
is ever written into the repository. Paragraphs found on two pages (site notices,
cookie banners) are dropped from the pool, so the originals share no text they are not
labelled to share.

The 1,789 real pages give 1,052 bodies (pages the two sets share, or with under 3
paragraphs, left out). Larger corpora need more originals: those are
built deterministically from the real sentences (5 to 50 words), 1 to 4 per paragraph,
each sentence with a quarter of its words swapped for other words of the pool (a
100,000-document corpus draws each sentence dozens of times: two draws must not be a
shared passage). Every document is then one of:

- `original`: a story's first document;
- positives, copies of an original (the same story): `rescrape` (the same body with
  another extraction: quotes and dashes typeset, a caption line added or the last
  paragraph lost), `syndicated` (another outlet, 2-20% of the words edited: whole
  sentences rewritten or dropped, a fifth as single-word swaps), `new_lead` (a new
  first paragraph, a fourth of the story at most), `wire_rewrite` (a new lead, a
  twentieth of the words rewritten, two paragraphs swapped), `teaser` (the first 50-80%
  of the words, cut at a sentence end, with an ellipsis);
- hard negatives, different stories, each with more text of its own than it shares
  (counted in comparison tokens, as dedup counts): `followup` (a new story reusing 1-4
  consecutive background paragraphs of an earlier one, never its lead, at most 75% of
  it), `boilerplate` (short stories of one outlet and day ending with the same long
  notice, 20-60 stories per notice), `same_event` (3-4 articles on one event, each
  quoting the same statement paragraph beside its own text).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.dedup.keys import tokens

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
MIN_PARAGRAPH_CHARS = 60
MAX_PARAGRAPHS = 8  # of a real body: news-sized originals
OUTLETS = [f"Outlet {chr(65 + i)}" for i in range(12)]
# Share of the documents of each kind (the rest are originals).
KIND_SHARES = {
    "rescrape": 0.05,
    "syndicated": 0.06,
    "new_lead": 0.05,
    "wire_rewrite": 0.05,
    "teaser": 0.05,
    "followup": 0.06,
    "boilerplate": 0.06,
    "same_event": 0.06,
}
POSITIVE_KINDS = ("rescrape", "syndicated", "new_lead", "wire_rewrite", "teaser")
NEGATIVE_KINDS = ("followup", "boilerplate", "same_event")
EDIT_RATES = (0.02, 0.05, 0.10, 0.20)
# Originals a copy of each kind is made of: (paragraphs at least, lead share of the
# words at most): a new lead or a rewritten one replaces at most a fourth of the story.
TARGETS = {"new_lead": (4, 0.25), "wire_rewrite": (5, 0.25)}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜÀ-Ý\"„«])")


def available(root: Path = REALDATA) -> bool:
    return (root / "trafilatura-eval" / "manifest.csv").is_file()


def _page_paragraphs(data: bytes) -> list[str]:
    import lxml.html

    try:
        tree = lxml.html.fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return []
    out = []
    for element in tree.iter("p"):
        text = " ".join(element.text_content().split())
        if len(text) >= MIN_PARAGRAPH_CHARS:
            out.append(text)
    return out


def real_bodies(root: Path = REALDATA, limit: int | None = None) -> list[list[str]]:
    """The paragraphs of every page (the first `limit` pages of each set) with 3 or more
    of them, in manifest order, without the paragraphs that occur on more than one page."""
    return distinct_bodies(_pages(root, limit))


def _pages(root: Path, limit: int | None = None) -> list[list[str]]:
    pages: list[list[str]] = []
    for folder in ("trafilatura-eval", "htmldate-eval"):
        with (root / folder / "manifest.csv").open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                if limit is not None and number >= limit:
                    break
                page = root / folder / "pages" / row["path"]
                pages.append(_page_paragraphs(gzip.decompress(page.read_bytes())))
    return pages


def distinct_bodies(pages: list[list[str]]) -> list[list[str]]:
    """Pages of 3+ paragraphs, each paragraph kept only when no other page has it."""
    # The two sets hold some pages twice: a page most of whose paragraphs an earlier
    # page has is that page again, and is left out.
    earlier: set[str] = set()
    distinct = []
    for paragraphs in pages:
        if paragraphs and sum(p in earlier for p in paragraphs) * 2 < len(paragraphs):
            distinct.append(paragraphs)
        earlier.update(paragraphs)
    seen: dict[str, int] = {}
    for paragraphs in distinct:
        for p in set(paragraphs):
            seen[p] = seen.get(p, 0) + 1
    bodies = []
    for paragraphs in distinct:
        unique = list(dict.fromkeys(p for p in paragraphs if seen[p] == 1))
        if len(unique) >= 3:
            bodies.append(unique[:MAX_PARAGRAPHS])
    return bodies


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


@dataclass
class Doc:
    paragraphs: list[str]
    outlet: str
    date: str
    story: str
    kind: str
    related: int | None = None  # index of the document it copies or borrows from
    edit_rate: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class _Pool:
    """Real sentences and words, and new paragraphs made of them."""

    def __init__(self, bodies: list[list[str]], rng: random.Random) -> None:
        self.rng = rng
        # Sentences of 5 to 50 words: a list or a paragraph the splitter cannot cut would
        # otherwise be a large shared part of two unrelated built originals.
        # Sentences whose comparison tokens are about their words: mojibake (a page
        # decoded with the wrong charset) splits into many more tokens than words.
        self.sentences = [
            s
            for body in bodies
            for p in body
            for s in sentences(p)
            if 5 <= len(s.split()) <= 50 and len(tokens(s)) <= 1.5 * len(s.split())
        ]
        self.plain = [s for s in self.sentences if not any(c.isdigit() for c in s)]
        self.words = sorted({w for s in self.sentences[:20000] for w in s.split() if w.isalpha()})

    def swap_word(self, sentence: str) -> str:
        words = sentence.split()
        words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
        return " ".join(words)

    def sentence(self, figures: bool = True) -> str:
        """A pool sentence with a quarter of its words swapped: a large corpus draws each
        sentence many times, and two draws must not be one shared passage. Without
        `figures`, one stating no number (what an editor writes into a copy restates
        the story's facts; it does not bring new figures)."""
        pool = self.sentences if figures else self.plain
        words = self.rng.choice(pool).split()
        for _ in range(max(1, len(words) // 4)):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
        return " ".join(words)

    def paragraph(self, low: int = 1, high: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def lead(self, old: str) -> str:
        """A new paragraph about as long as `old`."""
        out = [self.sentence(figures=False)]
        while len(" ".join(out).split()) < len(old.split()) * 0.9:
            out.append(self.sentence(figures=False))
        return " ".join(out)

    def body(self, low: int = 3, high: int = 8) -> list[str]:
        return [self.paragraph() for _ in range(self.rng.randint(low, high))]


def _words(paragraphs: list[str]) -> int:
    """Comparison tokens (keys.tokens), what the dedup stage counts: "2023-12-19" is 3."""
    return sum(len(tokens(p)) for p in paragraphs)


def _typeset(text: str) -> str:
    return text.replace(' "', " \u201c").replace('" ', "\u201d ").replace(" - ", " \u2013 ")


def _rescrape(pool: _Pool, paragraphs: list[str]) -> list[str]:
    out = [_typeset(p) for p in paragraphs]
    if len(out) >= 4 and pool.rng.random() < 0.5:
        return out[:-1]
    return [*out, " ".join(pool.sentence().split()[:8])]


def _edit(pool: _Pool, paragraphs: list[str], rate: float) -> list[str]:
    """About `rate` of the words changed: a fifth as single-word swaps, the rest by
    rewriting (replacing) or dropping whole sentences."""
    rng = pool.rng
    split = [sentences(p) for p in paragraphs]
    total = _words(paragraphs)
    budget = rate * total
    words_budget = budget * 0.2
    while budget > words_budget and split:
        i = rng.randrange(len(split))
        if not split[i]:
            continue
        j = rng.randrange(len(split[i]))
        budget -= len(split[i][j].split())
        if rng.random() < 0.7:
            split[i][j] = pool.sentence(figures=False)
        else:
            del split[i][j]
    out = [" ".join(s) for s in split if s]
    for _ in range(round(words_budget)):
        i = rng.randrange(len(out))
        out[i] = pool.swap_word(out[i])
    return out


def _wire_rewrite(pool: _Pool, paragraphs: list[str]) -> list[str]:
    out = [pool.lead(paragraphs[0]), *_edit(pool, paragraphs[1:], 0.05)]
    if len(out) >= 4:
        i = pool.rng.randrange(1, len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _teaser(pool: _Pool, paragraphs: list[str]) -> list[str]:
    share = pool.rng.uniform(0.5, 0.8)
    limit = share * _words(paragraphs)
    out: list[str] = []
    count = 0
    for p in paragraphs:
        kept = []
        for s in sentences(p):
            if count + len(s.split()) > limit and (out or kept):
                break
            kept.append(s)
            count += len(s.split())
        if kept:
            out.append(" ".join(kept))
        if count + 1 > limit or len(kept) < len(sentences(p)):
            break
    out[-1] = out[-1] + " \u2026"
    return out


def _day(rng: random.Random) -> str:
    return f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _next_day(date: str) -> str:
    month, day = int(date[5:7]), int(date[8:10])
    return f"2023-{month:02d}-{min(day + 1, 28):02d}"


class _Builder:
    def __init__(self, bodies: list[list[str]], seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = _Pool(bodies, self.rng)
        self.bodies = list(bodies)
        self.rng.shuffle(self.bodies)
        self.docs: list[Doc] = []
        self.originals: list[int] = []
        self.real_used = 0

    def original(self) -> int:
        """A new original: the next real body while there are any, then a built one."""
        n = len(self.docs)
        if self.real_used < len(self.bodies):
            body = self.bodies[self.real_used]
            self.real_used += 1
        else:
            body = self.pool.body()
        self.docs.append(Doc(body, self.rng.choice(OUTLETS), _day(self.rng), f"s{n}", "original"))
        self.originals.append(n)
        return n

    def _target(self, paragraphs: int = 1, lead_share: float = 1.0) -> int:
        """A random original with at least that many paragraphs, its first one at most
        `lead_share` of its words (a new original when 200 draws find none)."""
        for _ in range(200):
            i = self.rng.choice(self.originals)
            body = self.docs[i].paragraphs
            if len(body) >= paragraphs and _words(body[:1]) <= lead_share * _words(body):
                return i
        return self.original()

    def copy(self, kind: str) -> None:
        rng, pool = self.rng, self.pool
        i = self._target(*TARGETS.get(kind, (1, 1.0)))
        base = self.docs[i]
        rate = 0.0
        if kind == "rescrape":
            paragraphs, outlet = _rescrape(pool, base.paragraphs), base.outlet
        elif kind == "syndicated":
            rate = rng.choice(EDIT_RATES)
            paragraphs, outlet = _edit(pool, base.paragraphs, rate), rng.choice(OUTLETS)
        elif kind == "new_lead":
            lead = pool.lead(base.paragraphs[0])
            paragraphs, outlet = [lead, *base.paragraphs[1:]], rng.choice(OUTLETS)
        elif kind == "wire_rewrite":
            paragraphs, outlet = _wire_rewrite(pool, base.paragraphs), rng.choice(OUTLETS)
        else:
            paragraphs, outlet = _teaser(pool, base.paragraphs), rng.choice(OUTLETS)
        self.docs.append(Doc(paragraphs, outlet, base.date, base.story, kind, i, rate))

    def followup(self) -> None:
        rng, pool = self.rng, self.pool
        i = self._target(3)
        earlier = self.docs[i].paragraphs
        budget = 0.75 * _words(earlier)
        start = rng.randrange(1, len(earlier))
        background: list[str] = []
        for p in earlier[start : start + rng.randint(1, 4)]:
            if _words([*background, p]) > budget:
                break
            background.append(p)
        if not background:
            background = [min(earlier[1:], key=len)]
            if _words(background) > budget:
                return
        own = [pool.paragraph(2, 4)]
        while _words(own) < _words(background) * rng.uniform(1.05, 1.6):
            own.append(pool.paragraph(2, 4))
        paragraphs = [own[0], *background, *own[1:]]
        date = self.docs[i].date if rng.random() < 0.5 else _next_day(self.docs[i].date)
        outlet = self.docs[i].outlet if rng.random() < 0.5 else rng.choice(OUTLETS)
        n = len(self.docs)
        self.docs.append(Doc(paragraphs, outlet, date, f"s{n}", "followup", i))

    def boilerplate(self, count: int) -> None:
        rng, pool = self.rng, self.pool
        notice = [pool.paragraph(3, 4) for _ in range(rng.randint(2, 3))]
        outlet, date = rng.choice(OUTLETS), _day(rng)
        first = len(self.docs)
        for _ in range(count):
            own = [pool.paragraph(1, 2) for _ in range(rng.randint(1, 2))]
            n = len(self.docs)
            self.docs.append(Doc([*own, *notice], outlet, date, f"s{n}", "boilerplate", first))

    def same_event(self, count: int) -> None:
        rng, pool = self.rng, self.pool
        statement = pool.paragraph(2, 3)
        date = _day(rng)
        first = len(self.docs)
        for _ in range(count):
            own = [pool.paragraph(2, 3)]
            while _words(own) < _words([statement]) * rng.uniform(1.05, 1.5):
                own.append(pool.paragraph(2, 3))
            at = rng.randint(1, len(own))
            paragraphs = [*own[:at], statement, *own[at:]]
            n = len(self.docs)
            outlet = rng.choice(OUTLETS)
            self.docs.append(Doc(paragraphs, outlet, date, f"s{n}", "same_event", first))


def build_docs(bodies: list[list[str]], docs: int, seed: int) -> list[Doc]:
    """`docs` labelled documents (in a shuffled, seeded order)."""
    builder = _Builder(bodies, seed)
    wanted = {kind: round(share * docs) for kind, share in KIND_SHARES.items()}
    originals = docs - sum(wanted.values())
    for _ in range(originals):
        builder.original()
    for kind in POSITIVE_KINDS:
        for _ in range(wanted[kind]):
            builder.copy(kind)
    for _ in range(wanted["followup"]):
        builder.followup()
    made = 0
    while made < wanted["boilerplate"]:
        count = max(20, min(builder.rng.randint(20, 60), wanted["boilerplate"] - made))
        builder.boilerplate(count)
        made += count
    made = 0
    while made < wanted["same_event"]:
        count = min(builder.rng.randint(3, 4), wanted["same_event"] - made)
        builder.same_event(count)
        made += count
    order = list(range(len(builder.docs)))
    builder.rng.shuffle(order)
    return [builder.docs[i] for i in order]


def records_and_truth(
    docs: list[Doc],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Schema-shaped records (one outlet, URL and id each) and the truth rows."""
    records, truth = [], []
    for number, doc in enumerate(docs):
        text = "\n\n".join(doc.paragraphs)
        ident = hashlib.sha256(f"realtext/{number}".encode()).hexdigest()[:16]
        path = f"real/{number:07d}.html"
        records.append(
            {
                "id": ident,
                "title": f"Article {number}",
                "text": text,
                "publication": doc.outlet,
                "publish_date": doc.date,
                "source_url": f"https://{doc.outlet.lower().replace(' ', '')}.example/{ident}",
                "language": "en",
                "authors": [],
                "merged_copies": [],
                "provenance": {
                    "raw_path": path,
                    "raw_sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "source_format": "html",
                    "container": "file",
                    "warc_record_id": None,
                    "fetched_at": f"{doc.date}T08:00:00Z",
                    "parser": "html",
                    "parser_version": "bench",
                    "builder_version": "bench",
                },
            }
        )
        truth.append({"raw_path": path, "story": doc.story, "kind": doc.kind})
    # A document's story "sN" is its construction index when it is not a copy; copies
    # name the construction index of their original (Doc.related).
    built = {int(d.story[1:]): truth[n]["raw_path"] for n, d in enumerate(docs)
             if d.kind not in POSITIVE_KINDS}
    for row, doc in zip(truth, docs, strict=True):
        row["related"] = built.get(doc.related) if doc.related is not None else None
        row["edit_rate"] = doc.edit_rate
    return records, truth
