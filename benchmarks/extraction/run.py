"""Extraction quality on the gold pages: our parser vs trafilatura alone vs htmldate alone.

Prints, per system and gold set: body precision/recall/F1 (token level, averaged over
pages), pages leaking a planted boilerplate phrase, the share of pages whose title,
date, authors, URL, site name and language are exactly right, and pages per second.

    python benchmarks/extraction/run.py [--set dev|holdout|all] [--misses] [--repeat N]

Speed is measured in a fresh process per system, warmed up on the other gold set,
because htmldate and trafilatura cache per-string results: re-running the same pages
in one process measures the caches, not the extractors.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import htmldate  # noqa: E402
import trafilatura  # noqa: E402

from benchmarks.extraction.scoring import (  # noqa: E402
    FIXTURES,
    GoldPage,
    leaked_boilerplate,
    load_gold,
    same_text,
    token_prf,
)
from builder.errors import PageError  # noqa: E402
from builder.normalize.dates import parse_any_date  # noqa: E402
from builder.normalize.language import declared_language  # noqa: E402
from builder.parse.html.parser import parse_html  # noqa: E402

SETS = {"dev": FIXTURES, "holdout": FIXTURES / "holdout"}
Output = dict[
    str, Any
]  # the fields a system reports: body, title, date, authors, url, site, language


def ours(page: GoldPage) -> Output:
    try:
        d = parse_html(page.html, page.crawl_url)
    except PageError:
        return {
            "body": "",
            "title": None,
            "date": None,
            "authors": [],
            "url": None,
            "site": None,
            "language": None,
        }
    return {
        "body": "\n".join(d.paragraphs),
        "title": d.title,
        "date": d.publish_date,
        "authors": d.authors,
        "url": d.url,
        "site": d.publication,
        "language": d.language,
    }


def _trafilatura(page: GoldPage, **options: Any) -> Output:
    doc = trafilatura.bare_extraction(page.html, url=page.crawl_url, with_metadata=True, **options)
    if doc is None:
        return {"body": "", "title": None, "date": None, "authors": [], "url": None, "site": None}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    # No language: trafilatura only reports one when given a target language to filter on.
    return {
        "body": doc.text or "",
        "title": doc.title,
        "date": doc.date,
        "authors": authors,
        "url": doc.url,
        "site": doc.sitename,
    }


SYSTEMS: dict[str, Callable[[GoldPage], Output]] = {
    "ours": ours,
    "trafilatura (default)": lambda p: _trafilatura(p),
    "trafilatura (no comments)": lambda p: _trafilatura(
        p, include_comments=False, include_tables=False
    ),
    "htmldate (default)": lambda p: {"date": htmldate.find_date(p.html)},
    "htmldate (original_date)": lambda p: {"date": htmldate.find_date(p.html, original_date=True)},
}
FIELDS = ("title", "date", "authors", "url", "site", "language")


@dataclass
class Scores:
    """Per-page results of one system on one set."""

    prf: list[tuple[float, float, float]] = field(default_factory=list)
    hits: dict[str, list[bool]] = field(default_factory=dict)
    leaks: int = 0
    misses: list[str] = field(default_factory=list)


def _right(name: str, got: Any, page: GoldPage) -> bool:
    if name == "date":
        return (parse_any_date(got) if got else None) == page.publish_date
    if name == "language":
        return declared_language(got) == page.language
    want = {
        "title": page.title,
        "authors": page.authors,
        "url": page.url,
        "site": page.publication,
    }[name]
    return got == want if name in ("authors", "url") else same_text(got, want)


def score(pages: list[GoldPage], outputs: list[Output]) -> Scores:
    scores = Scores()
    for page, out in zip(pages, outputs, strict=True):
        if "body" in out:
            scores.prf.append(token_prf(out["body"], page.body))
            scores.leaks += bool(leaked_boilerplate(out["body"], page))
        for name in FIELDS:
            if name in out:
                ok = _right(name, out[name], page)
                scores.hits.setdefault(name, []).append(ok)
                if not ok:
                    scores.misses.append(f"{page.name}:{name}={out[name]!r}")
    return scores


def pages_per_second(system: str, folder: Path, repeat: int) -> float:
    """Best of `repeat` fresh processes timing one pass over the pages."""
    best = 0.0
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, __file__, "--time-one", system, "--fixtures", str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        best = max(best, float(result.stdout.strip().splitlines()[-1]))
    return best


def time_one(system: str, folder: Path) -> None:
    """Child process: warm up on the other gold pages, then time one pass; prints pages/s.

    The warm-up loads what every long run has loaded anyway (dateparser's locales,
    which htmldate pulls in on a page's first non-English date, take seconds once),
    with pages other than the timed ones so that no per-string cache is warm.
    """
    warnings.simplefilter("ignore")
    pages, run = load_gold(folder), SYSTEMS[system]
    timed = {p.name for p in pages}
    for page in (p for f in SETS.values() for p in load_gold(f) if p.name not in timed):
        run(page)
    start = time.perf_counter()
    for page in pages:
        run(page)
    print(len(pages) / (time.perf_counter() - start))


def _cell(values: list[float] | list[bool] | None) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


COLUMNS = ("body P", "body R", "body F1", "leaks", *FIELDS, "pages/s")


def row(name: str, s: Scores, speed: float | None) -> str:
    cells = [
        _cell([p for p, _, _ in s.prf]),
        _cell([r for _, r, _ in s.prf]),
        _cell([f for _, _, f in s.prf]),
        str(s.leaks) if s.prf else "-",
    ]
    cells += [_cell(s.hits.get(k)) for k in FIELDS]
    cells.append(f"{speed:.0f}" if speed is not None else "-")
    return f"{name:<26}" + "".join(f"{c:>9}" for c in cells)


def report(label: str, folder: Path, args: argparse.Namespace) -> None:
    pages = load_gold(folder)
    print(f"\n{label}: {len(pages)} gold pages in {folder}")
    print(f"{'system':<26}" + "".join(f"{c:>9}" for c in COLUMNS))
    for name, system in SYSTEMS.items():
        scores = score(pages, [system(p) for p in pages])
        speed = pages_per_second(name, folder, args.repeat) if args.repeat else None
        print(row(name, scores, speed))
        if args.misses and scores.misses:
            print("    misses: " + "; ".join(scores.misses))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "holdout", "all"), default="all")
    parser.add_argument("--fixtures", type=Path, help="score this folder of gold pages instead")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timing processes per system (0: no timing)"
    )
    parser.add_argument("--misses", action="store_true", help="list every wrong field per system")
    parser.add_argument("--time-one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.time_one:
        time_one(args.time_one, args.fixtures)
        return 0
    chosen = (
        {"custom": args.fixtures}
        if args.fixtures
        else (SETS if args.set == "all" else {args.set: SETS[args.set]})
    )
    if not all(load_gold(folder) for folder in chosen.values()):
        print(f"no gold pages in {', '.join(map(str, chosen.values()))}", file=sys.stderr)
        return 1
    print(f"trafilatura {trafilatura.__version__}, htmldate {htmldate.__version__}")
    for label, folder in chosen.items():
        report(label, folder, args)
    print(
        "\nbody P/R/F1: token-level, averaged over pages; leaks: pages whose body holds a planted "
        "boilerplate phrase;\ntitle..language: share of pages exactly right; '-': not reported by "
        "the system.\ndev: pages the parser was tuned on; "
        "holdout: written afterwards, never tuned on."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
