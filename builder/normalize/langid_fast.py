"""py3langid's classifier, computed with numpy instead of a Python loop: same model, same answer.

Language identification was 70% of the time of an aggregator page (profiled on the
benchmark crawl): py3langid walks its byte n-gram automaton one byte at a time in
Python (about 0.7 us per byte). This module reads the same model and computes the
same feature counts and the same scores, vectorized:

- The automaton is an Aho-Corasick machine whose states stand for byte strings of at
  most D bytes (D = its depth, found by a breadth-first walk at load time). The state
  after any text is therefore the state reached by feeding just its last D bytes from
  the start state, so the state at every position comes from D vectorized steps
  instead of one Python step per byte.
- The scores use py3langid's own expression (`log1p(counts) @ table[features] + prior`)
  with the features in first-occurrence order, as its Counter has them, so the
  floating-point sums are the very same ones.

`tests/test_langid_fast.py` checks that labels and scores equal py3langid's.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from py3langid import langid


def _depth(next_move: np.ndarray, row_base: np.ndarray) -> int:
    """The longest shortest path from the start state: the automaton's string length bound.

    Breadth-first, one vectorized step per level (a state-by-state walk took 4 s).
    """
    depth = np.full(len(row_base), -1, dtype=np.int64)
    depth[0] = 0
    frontier, level = np.zeros(1, dtype=np.int64), 0
    while len(frontier):
        reached = np.zeros(len(row_base), dtype=bool)
        reached[
            next_move[(row_base[frontier].astype(np.int64)[:, None] + np.arange(256)).ravel()]
        ] = True
        frontier = np.flatnonzero(reached & (depth < 0))
        level += 1
        depth[frontier] = level
    return int(depth.max())


# A feature's position in the text fills the low bits of its sort key (texts are far
# shorter than 2**32 bytes; the feature id, under 2**17, fills the high bits).
_POSITION_BITS = 32
_POSITION_MASK = (1 << _POSITION_BITS) - 1


class FastIdentifier:
    """Classifies like `py3langid.classify` (default model, raw scores)."""

    def __init__(self, model: langid.LanguageIdentifier) -> None:
        if model._norm_probs:
            raise ValueError(
                "FastIdentifier computes raw scores; the model normalizes probabilities"
            )
        self.model = model
        # Views, not copies: the transition table alone is 39 MB.
        self.next_move = np.frombuffer(model.tk_nextmove, dtype=np.uint32)
        # int32 is enough (row offsets < 2**25, features < 2**17) and halves the gathers.
        self.row_base = np.asarray(model._rowbase, dtype=np.int32)
        self.output = np.asarray(model.tk_output, dtype=np.int32)
        self.depth = _depth(self.next_move, self.row_base)
        self._wide: np.ndarray | None = None
        self._wide_source: np.ndarray | None = None

    def _states(self, data: bytes) -> np.ndarray:
        """The automaton's state after each byte, D vectorized steps (see module docstring)."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
        size = len(text)
        states = np.zeros(size, dtype=np.int32)
        for back in range(min(self.depth, size) - 1, -1, -1):
            tail = states[back:]
            tail[:] = self.next_move[self.row_base[tail] + text[: size - back]]
        return states

    def _counts(self, data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """Feature ids and counts in order of first occurrence, as py3langid's Counter has them.

        One sort of (feature, position) keys groups each feature's occurrences with its
        first one in front; the keys are distinct, so any sort order is the same.
        `np.unique(..., return_index=True, return_counts=True)` gave the same arrays at
        twice the cost (two stable sorts and its own bookkeeping).
        """
        features = self.output[self._states(data)]
        features = features[features >= 0]
        size = len(features)
        if not size:
            return None
        keys = (features.astype(np.int64) << _POSITION_BITS) | np.arange(size, dtype=np.int64)
        keys.sort()
        grouped = keys >> _POSITION_BITS
        new = np.empty(size, dtype=bool)
        new[0] = True
        np.not_equal(grouped[1:], grouped[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        counts = np.diff(starts, append=size)
        order = np.argsort(keys[starts] & _POSITION_MASK)
        return grouped[starts][order], counts[order]

    def _table(self) -> np.ndarray:
        """The model's float16 feature table widened to float32, once (57 MB).

        Mixed float16 @ float32 products take numpy's slow generic loop, and widening the
        gathered rows on every call costs more than the scoring; with a float32 table
        the product goes to BLAS. The values are the same, so the sums are too.
        """
        if self._wide is None or self._wide_source is not self.model.nb_ptc:
            self._wide, self._wide_source = self.model.nb_ptc.astype(np.float32), self.model.nb_ptc
        return self._wide

    def warm(self) -> None:
        """Build the float32 table now (before worker processes fork, so they share it)."""
        self._table()

    def _scores(self, data: bytes) -> np.ndarray:
        model = self.model
        found = self._counts(data)
        if found is None:
            return np.full(len(model.nb_classes), langid.RAW_FLOOR, dtype=np.float32)
        ids, counts = found
        scores = np.log1p(counts.astype(np.float32)) @ self._table()[ids] + model.nb_pc
        for first, dupe in model._alias_pairs:  # py3langid folds aliased labels the same way
            scores[first] = max(scores[first], scores[dupe])
            scores[dupe] = langid.RAW_FLOOR
        return scores

    def classify(self, text: str) -> tuple[str, float]:
        """(language code, raw score), equal to `py3langid.classify(text)`."""
        scores = self._scores(self.model._encode(text))
        best = int(scores.argmax())
        return self.model.nb_classes[best], float(scores[best])


@lru_cache(maxsize=1)
def identifier() -> FastIdentifier:
    """The shared identifier over py3langid's bundled model (loaded once per process)."""
    return FastIdentifier(langid._get_identifier())
