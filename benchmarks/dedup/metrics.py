"""Pair and cluster precision/recall of a dedup run against the generator's truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def predicted_clusters(
    survivors: list[dict[str, Any]], report: list[dict[str, Any]]
) -> dict[str, str]:
    """raw_path -> raw_path of the survivor it ended in (itself for survivors)."""
    by_id = {r["id"]: r["provenance"]["raw_path"] for r in survivors}
    assignment = {path: path for path in by_id.values()}
    for row in report:
        assignment[row["raw_path"]] = by_id[row["kept_id"]]
    return assignment


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pair_scores(assignment: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Over all pairs of documents: a pair is predicted duplicate when both end in one
    cluster, and is a true duplicate when both come from one story."""
    joint = Counter((assignment[p], truth[p]) for p in truth)
    tp = _pairs(joint.values())
    return _prf(
        tp,
        _pairs(Counter(assignment[p] for p in truth).values()),
        _pairs(Counter(truth.values()).values()),
    )


def cluster_scores(assignment: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Exact cluster match over clusters of two or more documents: a predicted cluster
    is right when it holds exactly the documents of one story."""
    predicted: dict[str, set[str]] = {}
    actual: dict[str, set[str]] = {}
    for path in truth:
        predicted.setdefault(assignment[path], set()).add(path)
        actual.setdefault(truth[path], set()).add(path)
    pred = {frozenset(s) for s in predicted.values() if len(s) > 1}
    real = {frozenset(s) for s in actual.values() if len(s) > 1}
    return _prf(len(pred & real), len(pred), len(real))


def recall_by(
    assignment: dict[str, str], truth_rows: list[dict[str, Any]], field: str
) -> dict[str, float]:
    """Share of copies that ended in the cluster of their story's original, by `field`."""
    original = {t["story"]: t["raw_path"] for t in truth_rows if t["kind"] == "original"}
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for row in truth_rows:
        if row["kind"] == "original" or row["story"] not in original:
            continue
        key = str(row[field])
        totals[key] += 1
        hits[key] += assignment[row["raw_path"]] == assignment[original[row["story"]]]
    return {k: hits[k] / totals[k] for k in sorted(totals)}
