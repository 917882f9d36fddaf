"""Real-web benchmark: `builder build --manifest` on the real gold sets, next to the
libraries a user would otherwise call, on the same pages in the same run.

    python -m benchmarks.realweb [--sets trafilatura-eval htmldate-eval] [--no-anchors]
                                 [--markdown FILE] [--json FILE] [--misses FIELD]

For each set in `../shared/realdata/` (pages, the crawl's URLs as a manifest, gold
checked by hand upstream) it builds the pages with dedup off (dedup would merge pages,
and every page is scored), scores the records against the gold and prints one table:
pages, records, rejects by reason, internal errors, date accuracy, `with` snippets
found, `without` snippets kept out, authors exactly right, pages/s; beside it
trafilatura (`extract` for the text, its metadata for authors and dates) and htmldate
(`find_date(extensive_search=True, url=...)`). A rejected page scores as an empty record.

Scoring follows the sets' README: a date is right when its YYYY-MM-DD equals the gold;
a `with` snippet counts when it occurs in the text, a `without` snippet when it does not
(micro-averaged over all snippets); authors are right when the record's authors joined
with "; " equal the gold joined the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"
SETS = ("trafilatura-eval", "htmldate-eval")
# `builder` of the running interpreter, whether or not its script is on PATH.
BUILDER = [sys.executable, "-c", "import sys; from builder.cli import main; sys.exit(main())"]


@dataclass(frozen=True)
class Gold:
    """One page's hand-checked gold (fields absent upstream are None)."""

    path: str
    url: str | None
    date: str | None = None
    author: str | None = None  # joined with "; " when upstream gives a list
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()


def _joined(value: Any) -> str | None:
    if value is None:
        return None
    return "; ".join(value) if isinstance(value, list) else str(value)


def load_gold(folder: Path) -> list[Gold]:
    pages = []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pages.append(Gold(row["path"], row.get("url"), row.get("date"),
                          _joined(row.get("author")), tuple(row.get("with") or ()),
                          tuple(row.get("without") or ())))
    return pages


@dataclass
class Output:
    """What one system said about one page; None for a field it does not report."""

    text: str | None = None
    date: str | None = None
    authors: str | None = None  # joined with "; "


@dataclass
class Score:
    """One system's counts on one set."""

    pages: int = 0
    dates: list[bool] = field(default_factory=list)
    with_found: int = 0
    with_total: int = 0
    without_kept_out: int = 0
    without_total: int = 0
    authors: list[bool] = field(default_factory=list)
    seconds: float | None = None
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, gold: Gold, out: Output, reports: set[str]) -> None:
        self.pages += 1
        if "date" in reports and gold.date:
            ok = (out.date or "")[:10] == gold.date
            self.dates.append(ok)
            if not ok:
                self.misses.setdefault("date", []).append(f"{gold.path}: {out.date} != {gold.date}")
        if "text" in reports:
            text = out.text or ""
            missing = [snippet for snippet in gold.with_ if snippet not in text]
            kept_in = [snippet for snippet in gold.without if snippet in text]
            self.with_total += len(gold.with_)
            self.with_found += len(gold.with_) - len(missing)
            self.without_total += len(gold.without)
            self.without_kept_out += len(gold.without) - len(kept_in)
            for name, snippets in (("with", missing), ("without", kept_in)):
                self.misses.setdefault(name, []).extend(f"{gold.path}: {s!r}" for s in snippets)
        if "authors" in reports and gold.author:
            ok = (out.authors or "") == gold.author
            self.authors.append(ok)
            if not ok:
                self.misses.setdefault("authors", []).append(
                    f"{gold.path}: {out.authors!r} != {gold.author!r}")

    def row(self) -> dict[str, Any]:
        def share(hits: int, total: int) -> str:
            return f"{hits / total:.3f} ({hits}/{total})" if total else "-"

        return {
            "date": share(sum(self.dates), len(self.dates)),
            "with": share(self.with_found, self.with_total),
            "without": share(self.without_kept_out, self.without_total),
            "authors": share(sum(self.authors), len(self.authors)),
            "pages/s": f"{self.pages / self.seconds:.0f}" if self.seconds else "-",
        }

    def shares(self) -> dict[str, float]:
        """The four quality measures as plain shares (the CI baseline's numbers)."""
        pairs = {"date": (sum(self.dates), len(self.dates)),
                 "with": (self.with_found, self.with_total),
                 "without": (self.without_kept_out, self.without_total),
                 "authors": (sum(self.authors), len(self.authors))}
        return {name: round(hits / total, 4) for name, (hits, total) in pairs.items() if total}


@dataclass
class BuildResult:
    """What `builder build` made of one set."""

    exit_code: int
    stderr: str
    seconds: float
    records: dict[str, dict[str, Any]]  # by raw_path
    rejects: Counter[str]
    reject_lines: list[dict[str, Any]]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def build_set(folder: Path, out: Path, builder: Iterable[str] | None = None) -> BuildResult:
    """`builder build PAGES --manifest manifest.csv --out OUT --no-dedup`, timed."""
    command = [*(builder or BUILDER), "build", str(folder / "pages"),
               "--manifest", str(folder / "manifest.csv"), "--out", str(out), "--no-dedup",
               "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    records = {r["provenance"]["raw_path"]: r for r in _read_jsonl(out / "records.jsonl")}
    rejects = _read_jsonl(out / "rejects.jsonl")
    return BuildResult(done.returncode, done.stderr, seconds, records,
                       Counter(r["reason"] for r in rejects), rejects)


def score_build(gold: list[Gold], build: BuildResult) -> Score:
    score = Score(seconds=build.seconds)
    for page in gold:
        record = build.records.get(page.path)
        out = Output()
        if record is not None:
            out = Output(record["text"], record["publish_date"], "; ".join(record["authors"]))
        score.add(page, out, {"date", "text", "authors"})
    return score


def _html(folder: Path, page: Gold) -> bytes:
    return gzip.decompress((folder / "pages" / page.path).read_bytes())


def _trafilatura(html: bytes, url: str | None) -> Output:
    import trafilatura

    text = trafilatura.extract(html, url=url) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    authors = (meta.author or "") if meta is not None else ""
    return Output(text, meta.date if meta is not None else None,
                  "; ".join(a.strip() for a in authors.split(";") if a.strip()))


def _htmldate(html: bytes, url: str | None) -> Output:
    import htmldate

    return Output(date=htmldate.find_date(html, extensive_search=True, url=url))


ANCHORS: dict[str, tuple[Callable[[bytes, str | None], Output], set[str]]] = {
    "trafilatura": (_trafilatura, {"date", "text", "authors"}),
    "htmldate": (_htmldate, {"date"}),
}


def score_anchor(name: str, folder: Path, gold: list[Gold]) -> Score:
    run, reports = ANCHORS[name]
    pages = [(page, _html(folder, page)) for page in gold]
    score = Score()
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    outputs = [run(html, page.url) for page, html in pages]
    score.seconds = time.perf_counter() - start
    for (page, _), out in zip(pages, outputs, strict=True):
        score.add(page, out, reports)
    return score


def _reject_cell(rejects: Counter[str]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(rejects.items())) or "none"


def table(results: dict[str, dict[str, Any]]) -> str:
    """One markdown table: per set, the builder's row and each anchor's row."""
    lines = ["| set | system | pages | records | rejects | internal errors | date | with "
             "| without | authors | pages/s |", "|" + "---|" * 11]
    for name, result in results.items():
        build, ours = result["build"], result["ours"]
        row = ours.row()
        lines.append(
            f"| {name} | news-builder | {ours.pages} | {len(build.records)} | "
            f"{_reject_cell(build.rejects)} | {build.rejects.get('internal_error', 0)} | "
            f"{row['date']} | {row['with']} | {row['without']} | {row['authors']} | "
            f"{row['pages/s']} |")
        for anchor, score in result["anchors"].items():
            row = score.row()
            lines.append(f"| {name} | {anchor} | {score.pages} | | | | {row['date']} | "
                         f"{row['with']} | {row['without']} | {row['authors']} | "
                         f"{row['pages/s']} |")
    return "\n".join(lines)


def run(sets: list[str], anchors: bool, builder: list[str] | None = None,
        records_only: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in sets:
        folder = REALDATA / name
        gold = load_gold(folder)
        with tempfile.TemporaryDirectory() as tmp:
            print(f"{name}: building {len(gold)} pages ...", file=sys.stderr, flush=True)
            build = build_set(folder, Path(tmp) / "out", builder)
        if build.exit_code != 0:
            print(f"{name}: builder build exited {build.exit_code}:\n{build.stderr[-2000:]}",
                  file=sys.stderr)
        if records_only:  # every system scored on the pages the build made records of
            gold = [page for page in gold if page.path in build.records]
        result = {"build": build, "ours": score_build(gold, build), "anchors": {}}
        if anchors:
            for anchor in ANCHORS:
                print(f"{name}: {anchor} ...", file=sys.stderr, flush=True)
                result["anchors"][anchor] = score_anchor(anchor, folder, gold)
        results[name] = result
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--no-anchors", action="store_true", help="only the builder's rows")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    parser.add_argument("--write-baseline", type=Path, metavar="FILE",
                        help="write the builder's shares as the baseline tests/test_realweb.py "
                        "holds the build to (benchmarks/realweb_baseline.json)")
    parser.add_argument("--misses", choices=("date", "authors", "with", "without"),
                        action="append", default=[],
                        help="list the builder's wrong answers for this field (with: the "
                        "snippets not found; without: the snippets kept in)")
    parser.add_argument("--records-only", action="store_true",
                        help="score every system only on the pages that became records "
                             "(the extraction's quality without the rejects)")
    args = parser.parse_args(argv)
    if not REALDATA.is_dir():
        print(f"no real pages at {REALDATA}: nothing to measure", file=sys.stderr)
        return 1
    results = run(args.sets, not args.no_anchors, records_only=args.records_only)
    text = table(results)
    print(text)
    for name, result in results.items():
        for field_name in args.misses:
            for miss in result["ours"].misses.get(field_name, []):
                print(f"{name} {field_name} miss: {miss}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.write_baseline:
        baseline = {name: r["ours"].shares() for name, r in results.items()}
        args.write_baseline.write_text(json.dumps(baseline, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    if args.json:
        scores = {name: {"ours": r["ours"].row(), "rejects": dict(r["build"].rejects),
                         "exit_code": r["build"].exit_code,
                         **{a: s.row() for a, s in r["anchors"].items()}}
                  for name, r in results.items()}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
