"""Documents sharing a key (id, URL key or normalized-text key), found with sorts.

Documents are numbered by their position in the canonical order (core.py), so "the
first member of a group" and every edge drawn from it never depend on input order.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .clusters import Edge, make_edge

KEY_METHODS = ("id", "url", "exact")


class KeyGroups:
    """Groups of 2+ documents with equal keys: `group_of[doc]` (-1: alone) and the
    sorted members of each group."""

    def __init__(self, keys: np.ndarray, valid: np.ndarray) -> None:
        """`keys`: (docs,) or (docs, k) integers, by position; `valid`: which documents
        have a key at all."""
        if keys.ndim == 1:
            keys = keys[:, None]
        docs = np.flatnonzero(valid)
        columns = keys[docs]
        # Sort by key, then by position: each group's members come out ascending.
        order = np.lexsort((docs, *columns.T[::-1]))
        docs, columns = docs[order], columns[order]
        new = np.ones(len(docs), dtype=bool)
        if len(docs):
            new[1:] = (columns[1:] != columns[:-1]).any(axis=1)
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, len(docs)))
        shared = np.repeat(sizes > 1, sizes)
        self.members_flat = docs[shared]
        kept_sizes = sizes[sizes > 1]
        self.starts = np.concatenate(([0], np.cumsum(kept_sizes))).astype(np.int64)
        self.group_of = np.full(len(keys), -1, dtype=np.int64)
        self.group_of[self.members_flat] = np.repeat(np.arange(len(kept_sizes)), kept_sizes)
        self._lists: tuple[list[int], list[int], list[int]] | None = None

    def members(self, doc: int) -> list[int]:
        """The members of `doc`'s group (empty if it is alone); Python lists, built on
        first use, since resolving clusters asks this for one document at a time."""
        if self._lists is None:
            self._lists = (self.group_of.tolist(), self.members_flat.tolist(), self.starts.tolist())
        group_of, flat, starts = self._lists
        group = group_of[doc]
        return [] if group < 0 else flat[starts[group] : starts[group + 1]]

    def _later(self) -> np.ndarray:
        """The members of every group but its first, concatenated."""
        later = np.ones(len(self.members_flat), dtype=bool)
        later[self.starts[:-1]] = False
        return self.members_flat[later]

    def star(self) -> tuple[np.ndarray, np.ndarray]:
        """(first member, other member) of every group: enough edges for union-find."""
        firsts = self.members_flat[self.starts[:-1]]
        return np.repeat(firsts, np.diff(self.starts) - 1), self._later()

    def firsts_mask(self, size: int) -> np.ndarray:
        """True for every document that is not a later member of a group."""
        mask = np.ones(size, dtype=bool)
        mask[self._later()] = False
        return mask


def key_edges(groups: dict[str, KeyGroups]) -> Iterator[Edge]:
    for method in KEY_METHODS:
        left, right = groups[method].star()
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            yield make_edge(method, a, b, 1.0)
