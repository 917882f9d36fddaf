"""Clusters of duplicates: union-find over match edges, with previous-release anchors.

Edges are applied strongest first (same id, same URL, same text, then near matches by
decreasing similarity), so when a new record matches two records of the previous
release it joins the one it matches best. Two previous records are never joined: their
ids were released, and a released id never disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

# Methods from strongest to weakest; the order edges are applied and explanations chosen.
METHODS = ("id", "url", "exact", "near")
METHOD_RANK = {m: r for r, m in enumerate(METHODS)}


class Edge(NamedTuple):
    """A match between two documents; tuples sort in C, strongest edge first."""

    rank: int  # METHOD_RANK of the method
    negative_similarity: float  # so that sorting puts the most similar first
    left: int
    right: int

    @property
    def method(self) -> str:
        return METHODS[self.rank]

    @property
    def similarity(self) -> float:
        return -self.negative_similarity


def make_edge(method: str, left: int, right: int, similarity: float) -> Edge:
    return Edge(METHOD_RANK[method], -similarity, min(left, right), max(left, right))


class UnionFind:
    """Disjoint sets of document indices; each set holds at most one anchor."""

    def __init__(self, size: int, anchors: np.ndarray) -> None:
        self.parent = list(range(size))
        self.anchored: list[bool] = anchors.tolist()  # by root: the set holds an anchor

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the sets of a and b; False (and no change) if that would join two anchors."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if self.anchored[root_a] and self.anchored[root_b]:
            return False
        keep, gone = min(root_a, root_b), max(root_a, root_b)
        self.parent[gone] = keep
        self.anchored[keep] = self.anchored[keep] or self.anchored[gone]
        return True


def cluster(size: int, edges: Iterable[Edge], anchors: np.ndarray) -> tuple[list[list[int]], int]:
    """Clusters of two or more documents (sorted member lists, sorted by first member)
    and the number of edges refused because they would have joined two anchors (records
    of the previous release: distinct records, distinct released ids)."""
    sets = UnionFind(size, anchors)
    refused = 0
    touched: set[int] = set()
    for edge in sorted(edges):
        touched.update((edge.left, edge.right))
        if not sets.union(edge.left, edge.right):
            refused += 1
    groups: dict[int, list[int]] = {}
    for item in sorted(touched):
        groups.setdefault(sets.find(item), []).append(item)
    return sorted(g for g in groups.values() if len(g) > 1), refused
