"""Clusters of duplicates: union-find over match edges, with previous-release anchors.

Edges are applied strongest first (same id, same URL, same text, then near matches by
decreasing similarity), so when a new record matches two records of the previous
release it joins the one it matches best. Two previous records are never joined: their
ids were released, and a released id never disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

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

    def __init__(self, size: int, anchors: dict[int, str]) -> None:
        self.parent = list(range(size))
        self.anchor: dict[int, str] = dict(anchors)  # root -> previous id in its set

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
        anchor_a, anchor_b = self.anchor.get(root_a), self.anchor.get(root_b)
        if anchor_a is not None and anchor_b is not None and anchor_a != anchor_b:
            return False
        keep, gone = min(root_a, root_b), max(root_a, root_b)
        self.parent[gone] = keep
        anchor = anchor_a if anchor_a is not None else anchor_b
        self.anchor.pop(gone, None)
        if anchor is not None:
            self.anchor[keep] = anchor
        return True


def cluster(
    size: int, edges: Iterable[Edge], anchors: dict[int, str]
) -> tuple[list[list[int]], int]:
    """Clusters (sorted member lists, sorted by first member) and the number of edges
    refused because they would have joined two previous records."""
    sets = UnionFind(size, anchors)
    refused = 0
    for edge in sorted(edges):
        if not sets.union(edge.left, edge.right):
            refused += 1
    groups: dict[int, list[int]] = {}
    for item in range(size):
        groups.setdefault(sets.find(item), []).append(item)
    return sorted(groups.values()), refused
