"""Contribution check speed: a synthetic contribution checked against a synthetic release.

    python -m benchmarks.bench_contrib [--pages 200] [--release 5000] [--work out/bench/contrib]

The release is `--release` English articles as records (dist/1.0.0/data/*.jsonl); the
contribution is `--pages` new aggregator pages plus one page in twenty that re-publishes
a released article lightly edited, so the duplicate check has real work to report.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

from builder.contrib import CheckOptions, check_contribution
from builder.pipeline.runner import process_page
from builder.read.files import InputFile, read_file
from builder.read.manifest import ManifestEntry
from builder.write.jsonl import write_jsonl

from .articles import Article, article, near_copy
from .render import aggregator_dump, fetch_time, ticker

SEED = 7
COPY_EVERY = 20  # one contributed page in this many re-publishes a released article


def _page(item: Article, rng: random.Random) -> str:
    return aggregator_dump(item, ticker(rng, "en"), rng)


def _release(dist: Path, count: int) -> None:
    records = []
    dist.parent.mkdir(parents=True, exist_ok=True)
    scratch = dist.parent / "scratch.txt"
    for index in range(count):
        item = article(SEED, index, "en")
        rng = random.Random(index)
        scratch.write_text(_page(item, rng), encoding="utf-8")
        entry = {"scratch.txt": ManifestEntry(item.url, fetch_time(item, rng))}
        for page in read_file(InputFile(scratch, "scratch.txt"), entry, 10**7):
            result = process_page(page)
            if isinstance(result, dict):
                records.append(result)
    scratch.unlink()
    write_jsonl(dist / "1.0.0" / "data" / "train-00000-of-00001.jsonl", records)


def _contribution(root: Path, pages: int, released: int) -> None:
    folder = root / "synthetic-wire" / "pages"
    folder.mkdir(parents=True)
    rows = ["path,url,fetched_at"]
    for number in range(pages):
        rng = random.Random(10**6 + number)
        if number % COPY_EVERY == 0 and released:
            item = near_copy(article(SEED, rng.randrange(released), "en"), 10**6 + number, SEED)
        else:
            item = article(SEED, released + number, "en")
        name = f"page-{number:05d}.txt"
        (folder / name).write_text(_page(item, rng), encoding="utf-8")
        url = f"https://contrib.example.org/{item.slug}-{number}"
        rows.append(f"{name},{url},{fetch_time(item, rng)}")
    (root / "synthetic-wire" / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--release", type=int, default=5000)
    parser.add_argument("--work", type=Path, default=Path("out/bench/contrib"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    started = time.perf_counter()
    _release(args.work / "dist", args.release)
    _contribution(args.work / "contrib", args.pages, args.release)
    print(f"generated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    started = time.perf_counter()
    result = check_contribution(CheckOptions(args.work / "contrib"))
    seconds = time.perf_counter() - started
    duplicates = sum(1 for f in result.findings if f.code == "duplicate")
    print("| pages | release records | seconds | pages/s | duplicates found | other findings |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {args.pages} | {args.release} | {seconds:.2f} | {args.pages / seconds:.0f} | "
          f"{duplicates} | {len(result.findings) - duplicates} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
