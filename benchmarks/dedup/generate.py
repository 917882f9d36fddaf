"""Labelled synthetic news corpus for the dedup benchmark (and the dedup tests).

Every document belongs to a *story*; documents of one story are duplicates of each other
(re-scrapes, URL variants, updates, edited syndicated copies), documents of different
stories are not, even when they cover the same *event* with the same title template and
the same names.  Output: records (schema-shaped dicts) plus one truth row per record,
keyed by `provenance.raw_path`, which is unique per document (ids are not: a re-scrape
of a page has the id of the page).

    python -m benchmarks.dedup.generate --docs 10000 --seed 1 --out /tmp/dedup10k
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.dedup import vocab as V
from benchmarks.dedup.recurring import SERIES, bulletin
from benchmarks.dedup.sentences import Event, Person, make_sentence, make_title
from builder.normalize.record import record_id
from builder.normalize.urls import normalize_url
from builder.write.jsonl import write_jsonl

# (publication, domain, is_wire); wire agencies write the story others republish.
OUTLETS = [
    ("Ahram Online", "english.ahram.org.eg", False),
    ("Egypt Independent", "egyptindependent.com", False),
    ("Daily News Egypt", "dailynewsegypt.com", False),
    ("Egypt Today", "egypttoday.com", False),
    ("Al-Masry Al-Youm", "almasryalyoum.com", False),
    ("State Information Service", "sis.gov.eg", False),
    ("Reuters", "reuters.com", True),
    ("Agence France-Presse", "afp.com", True),
    ("Middle East News Agency", "mena.org.eg", True),
    ("Associated Press", "apnews.com", True),
]
# Mix of what happens to a story, chosen to look like a month of Egyptian news crawls:
# about half of the stories are seen once, the rest are re-fetched or republished.
COPIES_WEIGHTS = {0: 50, 1: 25, 2: 12, 3: 7, 5: 4, 8: 2}
COPY_KINDS = {"rescrape": 25, "exact": 10, "url_variant": 12, "update": 8, "syndicated": 45}
# Fraction of words an outlet changes when it republishes wire copy.
EDIT_RATES = (0.02, 0.05, 0.10, 0.20, 0.30)
WORD_EDIT_SHARE = 0.2  # of the changed words, the share changed one by one
STORIES_PER_EVENT = {1: 55, 2: 30, 3: 10, 4: 5}
SHARED_PER_EVENT = 6  # statement sentences per event that articles quote verbatim
MAX_SHARED_QUOTED = 4
# Share of documents that are daily bulletins (with their copies), up to a year of them.
RECURRING_SHARE = 0.05
NO_URL_SHARE = 0.15  # aggregator dumps carry no URL; their id comes from the title


@dataclass
class Doc:
    title: str
    paragraphs: list[str]
    outlet: tuple[str, str, bool]
    url: str | None
    date: str
    fetched: int  # hours after the story's first fetch
    truth: dict[str, Any] = field(default_factory=dict)


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _event(rng: random.Random) -> Event:
    countries = rng.sample(V.COUNTRIES, 3)
    people = [
        Person(f"{rng.choice(V.FIRST_NAMES)} {rng.choice(V.LAST_NAMES)}", rng.choice(V.ROLES), c)
        for c in countries[:2]
        for _ in range(2)
    ]
    day = rng.randrange(1, 29)
    event = Event(
        people=people,
        countries=countries,
        topic=rng.choice(V.TOPICS),
        topic2=rng.choice(V.TOPICS),
        city=rng.choice(V.CITIES),
        weekday=rng.choice(V.WEEKDAYS),
        org=rng.choice(V.ORGS),
        date=f"2024-{rng.randrange(1, 13):02d}-{day:02d}",
    )
    return replace(event, shared=tuple(make_sentence(rng, event) for _ in range(SHARED_PER_EVENT)))


def _paragraphs(rng: random.Random, event: Event) -> list[str]:
    sentences = [make_sentence(rng, event) for _ in range(rng.randint(7, 30))]
    for quote in rng.sample(event.shared, rng.randint(1, MAX_SHARED_QUOTED)):
        sentences.insert(rng.randrange(len(sentences) + 1), quote)
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.choice((1, 1, 2, 2, 3))
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    return paragraphs


def _url(rng: random.Random, outlet: tuple[str, str, bool], title: str) -> str | None:
    if rng.random() < NO_URL_SHARE:
        return None
    slug = "-".join("".join(ch for ch in w if ch.isalnum()) for w in title.lower().split()[:8])
    return f"https://{outlet[1]}/news/{rng.randrange(10**5, 10**7)}/{slug}"


def _original(rng: random.Random, event: Event, title: str, story: str, event_id: str) -> Doc:
    outlet = rng.choice(OUTLETS)
    paragraphs = _paragraphs(rng, event)
    if outlet[2]:
        credit = outlet[0] if len(outlet[0]) < 10 else outlet[0].split()[0]
        paragraphs[0] = f"{event.city.upper()} ({credit}) - {paragraphs[0]}"
    return Doc(
        title,
        paragraphs,
        outlet,
        _url(rng, outlet, title),
        event.date,
        0,
        {"story": story, "event": event_id, "kind": "original", "edit_rate": 0.0},
    )


def _boilerplate(rng: random.Random, headlines: list[str]) -> list[str]:
    lines = rng.sample(V.BOILERPLATE, rng.randint(1, 3))
    if headlines and rng.random() < 0.5:  # a ticker of other headlines the extractor kept
        lines.append("    ".join(rng.sample(headlines, min(len(headlines), rng.randint(3, 8)))))
    return lines


def _url_variant(rng: random.Random, url: str) -> str:
    scheme, rest = url.split("://", 1)
    host, path = rest.split("/", 1)
    variant = rng.choice(("mobile", "amp_path", "amp_query", "tracking"))
    if variant == "mobile":
        return f"{scheme}://m.{host}/{path}"
    if variant == "amp_path":
        return f"{scheme}://{host}/{path}/amp"
    if variant == "amp_query":
        return f"{scheme}://{host}/{path}?amp=1"
    return f"{scheme}://{host}/{path}?utm_source=twitter&utm_medium=social"


def _edit(rng: random.Random, event: Event, paragraphs: list[str], rate: float) -> list[str]:
    """Change about `rate` of the words the way sub-editors republish wire copy: a fifth
    as single-word swaps (reporting verbs, spellings: vocab.SYNONYMS), the rest as whole
    sentences rewritten, dropped, added or cut from the end."""
    sentences = [s for p in paragraphs for s in _split_sentences(p)]
    total = sum(len(s.split()) for s in sentences)
    budget_words, budget_sentences = (
        rate * total * WORD_EDIT_SHARE,
        rate * total * (1 - WORD_EDIT_SHARE),
    )
    spent = 0.0
    while spent < budget_sentences and len(sentences) > 2:
        op = rng.choice(("rewrite", "drop", "add", "truncate"))
        i = rng.randrange(len(sentences))
        if op == "rewrite":
            spent += len(sentences[i].split())
            sentences[i] = make_sentence(rng, event)
        elif op == "drop":
            spent += len(sentences.pop(i).split())
        elif op == "add":
            sentences.insert(i, make_sentence(rng, event))
            spent += len(sentences[i].split())
        else:
            spent += len(sentences.pop().split())
    words = [s.split() for s in sentences]
    swappable = [(i, j) for i, w in enumerate(words) for j, x in enumerate(w) if x in V.SYNONYMS]
    for i, j in rng.sample(swappable, min(len(swappable), round(budget_words))):
        words[i][j] = V.SYNONYMS[words[i][j]]
    flat = [" ".join(w) for w in words]
    return [" ".join(flat[i : i + 2]) for i in range(0, len(flat), 2)]


def _split_sentences(paragraph: str) -> list[str]:
    parts, current = [], []
    for word in paragraph.split():
        current.append(word)
        if word.endswith((".", '."', "?")):
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


def _copy(rng: random.Random, original: Doc, event: Event, headlines: list[str], n: int) -> Doc:
    kind = _pick(rng, COPY_KINDS)
    truth = {**original.truth, "kind": kind}
    doc = Doc(
        original.title,
        list(original.paragraphs),
        original.outlet,
        original.url,
        original.date,
        rng.randint(1, 24 * 20) * n,
        truth,
    )
    if kind == "rescrape":
        extra = _boilerplate(rng, headlines)
        doc.paragraphs = extra[:1] + doc.paragraphs + extra[1:]
    elif kind == "url_variant" and original.url:
        doc.url = _url_variant(rng, original.url)
    elif kind == "update":
        doc.paragraphs = doc.paragraphs + [make_sentence(rng, event)]
    elif kind == "syndicated":
        rate = rng.choice(EDIT_RATES)
        outlet = rng.choice([o for o in OUTLETS if o != original.outlet])
        title = original.title if rng.random() < 0.5 else make_title(rng, event)
        doc = Doc(
            title,
            _edit(rng, event, original.paragraphs, rate),
            outlet,
            None,
            original.date,
            doc.fetched,
            {**truth, "edit_rate": rate},
        )
        doc.url = _url(rng, outlet, title)
    else:
        truth["kind"] = "exact"
    return doc


def _fetched_at(date: str, hours: int) -> str:
    start = datetime.fromisoformat(date).replace(hour=6)
    return (start + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(doc: Doc, index: int) -> dict[str, Any]:
    url = normalize_url(doc.url)
    text = "\n\n".join(doc.paragraphs)
    raw_path = f"crawl/{index:07d}.html"
    return {
        "id": record_id(url, doc.outlet[0], doc.date, doc.title),
        "title": doc.title,
        "text": text,
        "publication": doc.outlet[0],
        "publish_date": doc.date,
        "source_url": url,
        "language": "en",
        "authors": [],
        "merged_copies": [],
        "provenance": {
            "raw_path": raw_path,
            "raw_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "source_format": "html",
            "container": "file",
            "warc_record_id": None,
            "fetched_at": _fetched_at(doc.date, doc.fetched),
            "parser": "html",
            "parser_version": "bench",
            "builder_version": "bench",
        },
    }


def _bulletins(rng: random.Random, headlines: list[str], count: int) -> list[Doc]:
    """`count` daily bulletins: each series belongs to one outlet and has one bulletin a
    day of 2024 (so at most 366 per series), each its own story, re-fetched now and then."""
    names = sorted(SERIES)
    out: list[Doc] = []
    for _, day in enumerate(rng.sample(range(366 * len(names)), min(count, 366 * len(names)))):
        series = names[day % len(names)]
        outlet = OUTLETS[names.index(series)]
        title, paragraphs = bulletin(rng, series, day // len(names))
        date = (datetime(2024, 1, 1) + timedelta(days=day // len(names))).strftime("%Y-%m-%d")
        truth = {
            "story": f"b{series}{date}",
            "event": f"b{series}",
            "kind": "original",
            "edit_rate": 0.0,
        }
        event = _event(rng)
        original = Doc(
            title, paragraphs, outlet, _url(rng, outlet, f"{title} {date}"), date, 0, truth
        )
        out.append(original)
        for k in range(1, _pick(rng, COPIES_WEIGHTS) + 1):
            out.append(_copy(rng, original, event, headlines, k))
    return out


def generate(docs: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`docs` records in shuffled order and their truth rows (story, kind, edit rate)."""
    rng = random.Random(seed)
    out: list[Doc] = []
    headlines: list[str] = []
    out = _bulletins(rng, headlines, round(docs * RECURRING_SHARE / 2))
    while len(out) < docs:
        event = _event(rng)
        shared_title = make_title(rng, event)
        event_id = f"e{len(out)}"
        for s in range(_pick(rng, STORIES_PER_EVENT)):
            title = shared_title if s == 0 or rng.random() < 0.5 else make_title(rng, event)
            original = _original(rng, event, title, f"s{len(out)}", event_id)
            out.append(original)
            for n in range(1, _pick(rng, COPIES_WEIGHTS) + 1):
                out.append(_copy(rng, original, event, headlines, n))
            headlines = (headlines + [title])[-50:]
    out = out[:docs]
    rng.shuffle(out)
    records = [_record(d, i) for i, d in enumerate(out)]
    truth = [
        {"raw_path": r["provenance"]["raw_path"], **d.truth}
        for r, d in zip(records, out, strict=True)
    ]
    return records, truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    records, truth = generate(args.docs, args.seed)
    write_jsonl(args.out / "records.jsonl", records)
    write_jsonl(args.out / "truth.jsonl", truth)
    print(f"{len(records)} records, {len({t['story'] for t in truth})} stories -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
