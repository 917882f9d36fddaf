"""Shortcuts taken for dedup's speed give exactly what the plain computation gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.dedup.generate import generate
from builder.dedup import DedupParams
from builder.dedup.core import Source, _Run
from builder.dedup.executor import LocalExecutor
from builder.dedup.features import _POWERS, _fmix, _span_hashes, figure_sets
from builder.dedup.lsh import figures_agree, merge_sorted
from builder.dedup.spool import Spool
from builder.write.jsonl import write_jsonl

codes = st.lists(st.integers(0, 2_000), max_size=300)


@settings(deadline=None)
@given(codes, codes)
def test_merge_sorted_is_union1d(known: list[int], new: list[int]) -> None:
    known_array = np.unique(np.array(known, dtype=np.int64))
    new_array = np.array(new, dtype=np.int64)
    merged = merge_sorted(known_array, new_array)
    expected = np.union1d(known_array, new_array)
    assert merged.dtype == expected.dtype
    assert np.array_equal(merged, expected)


def _verify_both_ways(folder: Path, params: DedupParams) -> tuple[Any, Any, dict[str, int]]:
    """(core's verify of every pair of the corpus; the plain order: verify without the
    figures check, then the figures check on what passed; counts of the pairs the plain
    order measured)."""
    records = folder / "records.jsonl"
    with LocalExecutor(1) as executor:
        (folder / "work").mkdir()
        spool = Spool(folder / "work")
        run = _Run(spool, executor, params, False)
        try:
            index = run.index([Source(records)])
            docs = np.arange(len(index))
            left, right = np.triu_indices(len(docs), k=1)
            pairs = np.stack((docs[left], docs[right]), axis=1).astype(np.int64)
            found, measures = run.verify(index, pairs)
            run.params = dataclasses.replace(params, figure_overlap=0.0)
            plain, plain_measures = run.verify(index, pairs)
            run.params = params
            texts = [orjson.loads(line)["text"] for line in records.read_bytes().splitlines()]
            values, offsets = figure_sets(texts)
            agree = figures_agree(values, offsets, plain, params)
        finally:
            spool.close()
            run.spill.close()
    counts = {
        "disagree": int((~agree).sum()),
        "disagree_grey": int((~agree & (plain_measures[:, 7] == 3)).sum()),
        "disagree_boilerplate": int((~agree & (plain_measures[:, 3:5].sum(axis=1) > 0)).sum()),
    }
    return (found, measures), (plain[agree], plain_measures[agree]), counts


def test_figures_checked_first_give_the_plain_order_s_pairs_and_measures(tmp_path: Path) -> None:
    # The benchmark's generator: bulletins (figures disagree), edited copies (grey
    # pairs), re-scrapes with ticker lines (boilerplate at this size from 3 records).
    records, _ = generate(300, 3)
    write_jsonl(tmp_path / "records.jsonl", records)
    params = DedupParams(boilerplate_docs=3)
    (found, measures), (plain, plain_measures), counts = _verify_both_ways(tmp_path, params)
    assert counts["disagree"] > 0 and counts["disagree_grey"] > 0
    assert counts["disagree_boilerplate"] > 0
    assert len(found) > 100
    assert np.array_equal(found, plain)
    assert np.array_equal(measures, plain_measures)


@settings(deadline=None)
@given(st.binary(min_size=1, max_size=3000), st.data())
def test_span_hashes_are_the_plain_prefix_formula(raw: bytes, data: st.DataObject) -> None:
    array = np.frombuffer(raw, dtype=np.uint8)
    # spans [start, end) of the bytes, as token_hashes and figure_sets take them
    bounds = data.draw(
        st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(1, len(raw))), max_size=20)
    )
    starts = np.array([min(a, b - 1) for a, b in bounds], dtype=np.int64)
    ends = np.array([max(a + 1, b) for a, b in bounds], dtype=np.int64)
    forward, backward = _POWERS.upto(len(array))
    with np.errstate(over="ignore"):
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(array.astype(np.uint64) * forward)))
        plain = _fmix((prefix[ends] - prefix[starts]) * backward[starts])
    assert np.array_equal(_span_hashes(array, starts, ends), plain)
