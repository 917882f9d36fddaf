"""The real-text dedup benchmark (benchmarks/dedup/realtext.py, realbench.py) on a small
corpus: it reads ../shared/realdata and skips where that folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.dedup import realbench
from benchmarks.dedup.metrics import predicted_clusters
from benchmarks.dedup.realtext import (
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    REALDATA,
    available,
    build_docs,
    real_bodies,
    records_and_truth,
)
from builder.dedup import deduplicate

needs_realdata = pytest.mark.skipif(not available(REALDATA), reason="no ../shared/realdata")


@pytest.fixture(scope="module")
def bodies() -> list[list[str]]:
    return real_bodies(REALDATA, limit=150)


@needs_realdata
def test_the_corpus_is_labelled_and_deterministic(bodies: list[list[str]]) -> None:
    first = records_and_truth(build_docs(bodies, 1500, seed=5))
    assert first == records_and_truth(build_docs(bodies, 1500, seed=5))
    records, truth = first
    kinds = {t["kind"] for t in truth}
    assert kinds == {"original", *POSITIVE_KINDS, *NEGATIVE_KINDS}
    paths = {t["raw_path"] for t in truth}
    assert all(t["related"] in paths for t in truth if t["kind"] != "original")
    assert len({r["id"] for r in records}) == len(records)


@needs_realdata
def test_no_wrong_merge_on_hard_negatives_and_copies_found(bodies: list[list[str]]) -> None:
    records, truth = records_and_truth(build_docs(bodies, 1500, seed=5))
    result = deduplicate(records)
    scores = realbench.kind_scores(predicted_clusters(result.survivors, result.report), truth)
    for kind in NEGATIVE_KINDS:
        assert scores[kind]["wrong_merges"] == 0, kind
    for kind in POSITIVE_KINDS:
        assert scores[kind]["recall"] >= 0.9, kind


def test_the_benchmark_skips_cleanly_without_real_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert realbench.main(["--realdata", str(tmp_path), "--docs", "100"]) == 0
    assert "skipped: no real pages" in capsys.readouterr().err


def test_kind_scores_count_wrong_merges_and_recall() -> None:
    truth = [
        {"raw_path": "a", "story": "s1", "kind": "original", "related": None},
        {"raw_path": "b", "story": "s1", "kind": "teaser", "related": "a"},
        {"raw_path": "c", "story": "s2", "kind": "followup", "related": "a"},
        {"raw_path": "d", "story": "s3", "kind": "original", "related": None},
        {"raw_path": "e", "story": "s3", "kind": "rescrape", "related": "d"},
    ]
    scores = realbench.kind_scores({"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}, truth)
    assert scores["teaser"]["recall"] == 1.0 and scores["rescrape"]["recall"] == 0.0
    assert scores["followup"]["wrong_merges"] == 1
    assert scores["followup"]["pair_precision"] == 0.0
    assert scores["teaser"]["pair_precision"] == 0.5  # b~a right, b~c wrong
