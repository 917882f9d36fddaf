"""Shortcuts taken for dedup's speed give exactly what the plain computation gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.dedup.lsh import merge_sorted

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
