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
- Many texts are classified at once (`classify_many`), laid end to end: numpy's fixed
  cost per call, most of the time of a short text, is then paid once per batch.
- The scores use py3langid's own expression (`log1p(counts) @ table[features] + prior`)
  with the features in first-occurrence order, as its Counter has them, so the
  floating-point sums are the very same ones.

`tests/test_langid_fast.py` checks that labels and scores equal py3langid's.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from py3langid import langid

from . import langid_model
from .langid_model import ModelArrays

# py3langid's own text to bytes (upper case folded, NFC, UTF-8), so the features match.
_encode = langid.LanguageIdentifier._encode


# A sort key is (text, feature, position) in the bits of an int64: positions in a batch
# of texts below 2**32 bytes, feature ids below 2**17 (the model has 100,053), and the
# text's number in the 14 bits left.
_POSITION_BITS = 32
_POSITION_MASK = (1 << _POSITION_BITS) - 1
_FEATURE_BITS = 17
_FEATURE_MASK = (1 << _FEATURE_BITS) - 1
_MAX_GROUP_TEXTS = 1 << 12
_MAX_GROUP_BYTES = 1 << 30


def _groups(data: list[bytes]) -> list[list[bytes]]:
    """Consecutive texts in groups whose sort keys fit (see _POSITION_BITS)."""
    groups: list[list[bytes]] = []
    size = _MAX_GROUP_BYTES + 1
    for item in data:
        if size + len(item) > _MAX_GROUP_BYTES or len(groups[-1]) >= _MAX_GROUP_TEXTS:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item)
    return groups


class FastIdentifier:
    """Classifies like `py3langid.classify` (default model, raw scores)."""

    def __init__(self, model: ModelArrays) -> None:
        self.next_move, self.row_base, self.output = model.next_move, model.row_base, model.output
        self.table, self.prior, self.classes = model.table, model.prior, model.classes
        self.alias_pairs, self.depth = model.alias_pairs, model.depth

    def _states(
        self, text: np.ndarray, starts: np.ndarray | None = None, lengths: np.ndarray | None = None
    ) -> np.ndarray:
        """The automaton's state after each byte of texts laid end to end (module docstring).

        D vectorized steps over all the bytes at once; a state then depends on the last D
        bytes, so the first D-1 of each text but the first saw bytes of the text before it,
        and those few positions are stepped again with the window cut at their text's start.
        """
        size = len(text)
        states = np.zeros(size, dtype=np.int32)
        for back in range(min(self.depth, size) - 1, -1, -1):
            tail = states[back:]
            tail[:] = self.next_move[self.row_base[tail] + text[: size - back]]
        if starts is None or lengths is None or len(lengths) < 2:
            return states  # one text: the first has no text before it
        near = np.minimum(lengths[1:], self.depth - 1)
        offset = np.arange(near.sum()) - np.repeat(np.cumsum(near) - near, near)
        at = np.repeat(starts[1:], near) + offset
        fixed = np.zeros(len(at), dtype=np.int32)
        for back in range(self.depth - 2, -1, -1):
            stepped = self.next_move[self.row_base[fixed] + text[np.maximum(at - back, 0)]]
            fixed = np.where(offset >= back, stepped, fixed)
        states[at] = fixed
        return states

    def _counts(self, data: list[bytes]) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """Feature ids and counts of each text in order of first occurrence, as py3langid's
        Counter has them: the features of text t are the slice bounds[t]:bounds[t + 1].

        One sort of (text, feature, position) keys groups each feature's occurrences in a
        text with its first one in front; the keys are distinct, so any sort order is the
        same. (`np.unique` per text gave the same arrays at several times the cost.)
        """
        lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
        starts = np.cumsum(lengths) - lengths
        text = np.frombuffer(b"".join(data), dtype=np.uint8).astype(np.int32)
        features = self.output[self._states(text, starts, lengths)]
        at = np.flatnonzero(features >= 0)
        owner = np.repeat(np.arange(len(data), dtype=np.int64), lengths)[at]
        keys = (((owner << _FEATURE_BITS) | features[at]) << _POSITION_BITS) | at
        keys.sort()
        grouped = keys >> _POSITION_BITS
        new = np.empty(len(keys), dtype=bool)
        new[:1] = True
        np.not_equal(grouped[1:], grouped[:-1], out=new[1:])
        first = np.flatnonzero(new)
        # In order of first position (positions grow with the text): each group's count
        # and key put at its first position, then read back in position order (cheaper
        # than an argsort of the positions).
        slot_count = np.zeros(len(text), dtype=np.int64)
        slot_key = np.zeros(len(text), dtype=np.int64)
        position = keys[first] & _POSITION_MASK
        slot_count[position] = np.diff(first, append=len(keys))
        slot_key[position] = grouped[first]
        taken = np.flatnonzero(slot_count)
        grouped, counts = slot_key[taken], slot_count[taken]
        bounds = np.searchsorted(grouped >> _FEATURE_BITS, np.arange(len(data) + 1))
        return grouped & _FEATURE_MASK, counts, bounds.tolist()

    def _scores(self, data: list[bytes]) -> np.ndarray:
        """One row of raw scores per text, each summed as py3langid sums it."""
        ids, counts, bounds = self._counts(data)
        weights = np.log1p(counts.astype(np.float32))
        scores = np.full((len(data), len(self.classes)), langid.RAW_FLOOR, dtype=np.float32)
        for row, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
            if low < high:  # the same operands per text as py3langid's product: the same sums
                np.add(weights[low:high] @ self.table[ids[low:high]], self.prior, out=scores[row])
        for first, dupe in self.alias_pairs:  # py3langid folds aliased labels the same way
            scores[:, first] = np.maximum(scores[:, first], scores[:, dupe])
            scores[:, dupe] = langid.RAW_FLOOR
        return scores

    def _scores_one(self, data: bytes) -> np.ndarray:
        """The scores of one text, with fewer numpy calls than a batch of one needs."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
        features = self.output[self._states(text)]
        features = features[features >= 0]
        if not len(features):
            return np.full(len(self.classes), langid.RAW_FLOOR, dtype=np.float32)
        keys = (features.astype(np.int64) << _POSITION_BITS) | np.arange(len(features))
        keys.sort()
        grouped = keys >> _POSITION_BITS
        new = np.empty(len(keys), dtype=bool)
        new[0] = True
        np.not_equal(grouped[1:], grouped[:-1], out=new[1:])
        first = np.flatnonzero(new)
        counts = np.diff(first, append=len(keys))
        order = np.argsort(keys[first] & _POSITION_MASK)
        ids, counts = grouped[first][order], counts[order]
        scores = np.log1p(counts.astype(np.float32)) @ self.table[ids] + self.prior
        for first_label, dupe in self.alias_pairs:
            scores[first_label] = max(scores[first_label], scores[dupe])
            scores[dupe] = langid.RAW_FLOOR
        return scores

    def classify_many(self, texts: list[str]) -> list[tuple[str, float]]:
        """`classify` of each text, computed together: the fixed cost of numpy's calls is
        paid once per batch rather than once per text (it was most of a short text's time).
        """
        if len(texts) == 1:
            return [self.classify(texts[0])]
        found: list[tuple[str, float]] = []
        for group in _groups([_encode(text) for text in texts]):
            scores = self._scores(group)
            best = scores.argmax(axis=1)
            top = scores[np.arange(len(group)), best].tolist()
            labels = [self.classes[b] for b in best.tolist()]
            found.extend(zip(labels, top, strict=True))
        return found

    def classify(self, text: str) -> tuple[str, float]:
        """(language code, raw score), equal to `py3langid.classify(text)`."""
        scores = self._scores_one(_encode(text))
        best = int(scores.argmax())
        return self.classes[best], float(scores[best])


@lru_cache(maxsize=1)
def identifier() -> FastIdentifier:
    """The shared identifier over py3langid's bundled model (loaded once per process)."""
    return FastIdentifier(langid_model.load())
