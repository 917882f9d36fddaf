"""Why each removed record was merged: the match that links it to its survivor.

Inside a cluster, a breadth-first walk from the survivor gives every other record a
parent: the record it matches on the shortest path to the survivor, choosing the
strongest evidence first (same URL, same text, same id, then the most similar near
match). A record that matches the survivor directly is explained by that match; one
merged through a chain (A~B~C) names the record it matched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Order in which evidence explains a merge: a shared URL or text says more to a reader
# than a shared id (which, without a URL, is publication + date + title).
EXPLAIN_ORDER = ("url", "exact", "id", "near")
_EXPLAIN_RANK = {m: r for r, m in enumerate(EXPLAIN_ORDER)}

Neighbours = Callable[[int], Iterable[tuple[int, str, float | None]]]
Similarity = Callable[[int, int], float]


@dataclass(frozen=True)
class Link:
    matched: int  # the document this one was merged through
    method: str
    similarity: float


def explain(
    root: int, members: set[int], neighbours: Neighbours, similarity: Similarity
) -> dict[int, Link]:
    """A Link for every member but the root, from a breadth-first walk out of the root.

    `neighbours(u)` gives (v, method, similarity or None); None means "compute it if
    this link is chosen" (equal URL, text or id is certain evidence: among such links
    the first in order wins, and only its similarity is computed for the report).
    """
    links: dict[int, Link] = {}
    seen = {root}
    frontier = [root]
    while frontier:
        best: dict[int, tuple[int, float, int, str, float | None]] = {}
        for u in frontier:
            for v, method, sim in neighbours(u):
                if v not in members or v in seen:
                    continue
                choice = (_EXPLAIN_RANK[method], -(sim or 0.0), u, method, sim)
                if v not in best or choice < best[v]:
                    best[v] = choice
        frontier = sorted(best)
        for v in frontier:
            _, _, u, method, sim = best[v]
            links[v] = Link(u, method, similarity(u, v) if sim is None else sim)
            seen.add(v)
    return links
