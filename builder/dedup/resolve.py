"""Clusters to survivors: which record stays, what it remembers, and why each other left.

Only clusters of two or more records come here (most records are alone and are written
as they are). A cluster's records are read back from the spool, the survivor is chosen
(survivor.py), the others become merged copies and report rows explained by the match
that links them to the survivor (explain.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Record
from .clusters import Edge
from .coverage import RULES, Measures
from .explain import explain
from .groups import KEY_METHODS, KeyGroups
from .survivor import fetched_later, merged_copies, rank_key


@dataclass
class Resolution:
    root: int  # position whose content survives
    replaced: int | None  # previous record it updates (same id), not written again
    copies: list[dict[str, Any]]  # the survivor's merged_copies (its content is the root's)
    rows: list[dict[str, Any]]  # report rows of the removed records
    removed: list[int]


class Resolver:
    def __init__(
        self,
        groups: dict[str, KeyGroups],
        near: list[Edge],
        previous: np.ndarray,
        digests: dict[int, bytes],
        similarity: Callable[[int, int], float],
        measures: Measures,
    ) -> None:
        self.groups, self.previous, self.digests = groups, previous, digests
        self.similarity = similarity  # exact Jaccard similarity of two positions' texts
        self.measures = measures  # of each near edge
        self.near: dict[int, list[tuple[int, str, float | None]]] = {}
        for _, negative, left, right in near:
            self.near.setdefault(left, []).append((right, "near", -negative))
            self.near.setdefault(right, []).append((left, "near", -negative))

    def neighbours(self, u: int) -> Iterator[tuple[int, str, float | None]]:
        for method in KEY_METHODS:
            for v in self.groups[method].members(u):
                if v != u:
                    yield v, method, (1.0 if method == "exact" else None)
        yield from self.near.get(u, ())

    def _survivor(
        self, members: list[int], records: dict[int, Record], rank: dict[int, tuple[Any, ...]]
    ) -> tuple[int, int | None]:
        """(document whose content survives, the previous document it replaces or None)."""
        anchor = next((i for i in members if self.previous[i]), None)
        if anchor is not None:
            same_id = [
                i
                for i in members
                if not self.previous[i] and records[i]["id"] == records[anchor]["id"]
            ]
            if not same_id:
                return anchor, None
            update = min(same_id, key=rank.__getitem__)
            if fetched_later(records[anchor], records[update]):
                return anchor, None  # the released version is the newer fetch: it stays
            return update, anchor
        return min(members, key=rank.__getitem__), None

    def resolve(self, members: list[int], records: dict[int, Record]) -> Resolution:
        rank = {i: rank_key(records[i], self.digests.get(i, b"")) for i in members}
        root, replaced = self._survivor(members, records, rank)
        record = records[root]
        removed = sorted((i for i in members if i not in (root, replaced)), key=rank.__getitem__)
        kept = list(record.get("merged_copies") or [])
        if replaced is not None:
            kept = list(records[replaced].get("merged_copies") or []) + kept
        copies = merged_copies(record["id"], kept, [records[i] for i in removed])
        links = explain(root, set(members), self.neighbours, self.similarity) if removed else {}
        rows = [
            report_row(
                records[i],
                record["id"],
                records[links[i].matched]["id"],
                links[i].method,
                links[i].similarity,
            )
            | self._decision(i, links[i].matched, links[i].method)
            for i in removed
        ]
        return Resolution(root, replaced, copies, rows, removed)

    def _decision(self, removed: int, matched: int, method: str) -> dict[str, Any]:
        """What a near match was decided on (coverage.py); None for the other methods."""
        if method != "near":
            return dict.fromkeys(DECISION_FIELDS)
        left, right = min(removed, matched), max(removed, matched)
        coverage, boilerplate, runs, in_order, number = self.measures[(left, right)]
        mine = 0 if removed == left else 1
        scattered = RULES[number - 1] == "scattered"
        return {
            "coverage_removed": round(coverage[mine], 4),
            "coverage_matched": round(coverage[1 - mine], 4),
            "boilerplate_paragraphs": [boilerplate[mine], boilerplate[1 - mine]],
            "rule": RULES[number - 1],
            "shared_passages": runs if scattered else None,
            "in_order": round(in_order, 4) if scattered else None,
        }


# Report fields of a near match: the share of the removed record's shingles found in the
# matched one and the reverse (boilerplate left out), the boilerplate paragraphs left out
# of each, the rule that merged them (coverage.RULES) and, for the scattered rule, the
# shared passages and the share of shared text in the same order.
DECISION_FIELDS = (
    "coverage_removed",
    "coverage_matched",
    "boilerplate_paragraphs",
    "rule",
    "shared_passages",
    "in_order",
)


def report_row(
    removed: Record, kept_id: str, matched_id: str, method: str, similarity: float
) -> dict[str, Any]:
    return {
        "removed_id": removed["id"],
        "kept_id": kept_id,
        "matched_id": matched_id,
        "method": method,
        "similarity": round(similarity, 4),
        "publication": removed.get("publication"),
        "source_url": removed.get("source_url"),
        "publish_date": removed.get("publish_date"),
        "raw_path": (removed.get("provenance") or {}).get("raw_path"),
    }
