"""Parameter sweep behind the dedup defaults: quality by shingle size and threshold, and
with each verification rule turned off, on the tuning corpus (seed 1; the benchmark
reports on seed 2).

    python -m benchmarks.dedup.sweep --docs 10000
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from benchmarks.dedup.generate import generate
from benchmarks.dedup.metrics import cluster_scores, pair_scores, predicted_clusters, recall_by
from builder.dedup import DedupParams, deduplicate

GRID = [(size, threshold) for size in (4, 5) for threshold in (0.4, 0.45, 0.5, 0.6)]
ABLATIONS = {
    "no figures check": {"figure_overlap": 0.0},
    "no same-day rule": {"same_publication_same_day": False},
}


def _row(
    label: str, params: DedupParams, records: list[dict[str, Any]], truth: list[dict[str, Any]]
) -> str:
    started = time.perf_counter()
    result = deduplicate(records, params=params)
    seconds = time.perf_counter() - started
    assignment = predicted_clusters(result.survivors, result.report)
    stories = {t["raw_path"]: t["story"] for t in truth}
    pairs, clusters = pair_scores(assignment, stories), cluster_scores(assignment, stories)
    by_rate = recall_by(assignment, truth, "edit_rate")
    return (
        f"| {label} | {pairs['precision']:.4f} | {pairs['recall']:.4f} | {pairs['f1']:.4f} | "
        f"{clusters['precision']:.3f} | {clusters['recall']:.3f} | "
        + " | ".join(f"{by_rate[r]:.3f}" for r in sorted(by_rate, key=float) if float(r) > 0)
        + f" | {result.stats['candidate_pairs']:,} | {seconds:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    records, truth = generate(args.docs, args.seed)
    print(f"{len(records):,} documents, seed {args.seed}\n")
    print(
        "| shingle size, threshold | pair P | pair R | pair F1 | cluster P | cluster R | "
        "recall 2% | 5% | 10% | 20% | 30% | candidates | seconds |"
    )
    print("|---|" + "---:|" * 12)
    for size, threshold in GRID:
        print(
            _row(
                f"{size}, {threshold}",
                DedupParams(shingle_size=size, threshold=threshold),
                records,
                truth,
            ),
            flush=True,
        )
    for label, change in ABLATIONS.items():
        print(_row(f"defaults, {label}", DedupParams(**change), records, truth), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
