"""deduplicate(): new records (and the previous release) in; survivors, report, stats out.

Every record gets an index in one canonical order (id, previous before new, record
bytes), so nothing downstream depends on input order; features are computed in fixed
batches of that order, so nothing depends on the number of worker processes either.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
import xxhash
from tqdm import tqdm

from ..errors import BuilderError
from ..model import Record
from ..write.jsonl import dumps_line
from .clusters import Edge, cluster, make_edge
from .explain import explain
from .features import BatchFeatures, batch_features
from .keys import url_key
from .lsh import candidate_pairs, jaccard, verify
from .params import DedupParams
from .records import check_record
from .survivor import merged_copies, rank_key

BATCH_DOCS = 256  # documents per feature batch; any size gives the same output
KEY_METHODS = ("id", "url", "exact")
DEFAULT_PARAMS = DedupParams()


@dataclass
class DedupResult:
    """Survivors sorted by id (each with `merged_copies`), one report row per removed
    record, and counts."""

    survivors: list[Record]
    report: list[dict[str, Any]]
    stats: dict[str, Any]


@dataclass
class _Doc:
    record: Record
    previous: bool
    # Digest of the record's canonical JSON, the last tie-break between records of one
    # id; left empty for an id seen once, where nothing needs breaking.
    digest: bytes = b""


def _load(records: Iterable[Record], previous: Iterable[Record]) -> list[_Doc]:
    docs: list[_Doc] = []
    seen: dict[str, int] = {}
    for origin, items in (("previous release", previous), ("input", records)):
        for number, record in enumerate(items, start=1):
            check_record(record, f"{origin} record {number}")
            if origin == "previous release":
                if record["id"] in seen:
                    raise BuilderError(
                        f"previous release: records {seen[record['id']]} and {number} "
                        f"have the same id {record['id']}; the release is corrupt"
                    )
                seen[record["id"]] = number
            docs.append(_Doc(record, origin == "previous release"))
    counts = Counter(d.record["id"] for d in docs)
    for doc in docs:
        if counts[doc.record["id"]] > 1:
            doc.digest = xxhash.xxh3_128_digest(dumps_line(doc.record))
    docs.sort(key=lambda d: (d.record["id"], not d.previous, d.digest))
    return docs


def _batches(docs: list[_Doc], params: DedupParams) -> Iterator[tuple[list[str], DedupParams]]:
    for start in range(0, len(docs), BATCH_DOCS):
        yield [d.record["text"] for d in docs[start : start + BATCH_DOCS]], params


def _features_task(task: tuple[list[str], DedupParams]) -> BatchFeatures:
    return batch_features(*task)


def _map_batches(docs: list[_Doc], params: DedupParams, workers: int) -> Iterator[BatchFeatures]:
    tasks = _batches(docs, params)
    if workers <= 1 or len(docs) <= BATCH_DOCS:
        yield from map(_features_task, tasks)
        return
    # spawn, never fork: rensa computes on a Rust (rayon) thread pool, and a child forked
    # from a process that already used it inherits its locks but not its threads and
    # hangs forever on the first signature.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(_features_task, tasks)  # ordered: same result for any worker count


def _features(docs: list[_Doc], params: DedupParams, workers: int, progress: bool) -> BatchFeatures:
    parts: list[BatchFeatures] = []
    with tqdm(
        total=len(docs), unit="doc", desc="dedup", disable=not progress, file=sys.stderr
    ) as bar:
        for part in _map_batches(docs, params, workers):
            parts.append(part)
            bar.update(len(part.exact_keys))
    if not parts:
        return BatchFeatures(
            [],
            np.zeros(0, np.int64),
            np.zeros(0, np.uint32),
            np.zeros(1, np.int64),
            np.zeros((0, params.num_perm), np.uint32),
            np.zeros(0, np.uint32),
            np.zeros(1, np.int64),
        )
    return BatchFeatures(
        exact_keys=[k for p in parts for k in p.exact_keys],
        word_counts=np.concatenate([p.word_counts for p in parts]),
        set_values=np.concatenate([p.set_values for p in parts]),
        set_offsets=_joined_offsets([p.set_offsets for p in parts]),
        signatures=np.concatenate([p.signatures for p in parts]),
        figure_values=np.concatenate([p.figure_values for p in parts]),
        figure_offsets=_joined_offsets([p.figure_offsets for p in parts]),
    )


def _joined_offsets(parts: list[np.ndarray]) -> np.ndarray:
    """Offsets into the concatenation of flat arrays, from each part's own offsets."""
    bases = np.concatenate(([0], np.cumsum([p[-1] for p in parts])[:-1]))
    shifted = [p[1:] + b for p, b in zip(parts, bases, strict=True)]
    return np.concatenate([np.zeros(1, np.int64), *shifted])


class _Groups:
    """Documents sharing an id, a URL key or a normalized text."""

    def __init__(self, docs: list[_Doc], features: BatchFeatures, params: DedupParams) -> None:
        self.eligible = features.word_counts >= max(params.min_words, 1)
        self.key_of: dict[str, list[Any]] = {
            "id": [d.record["id"] for d in docs],
            "url": [url_key(d.record.get("source_url")) for d in docs],
            "exact": [
                k if ok else None
                for k, ok in zip(features.exact_keys, self.eligible.tolist(), strict=True)
            ],
        }
        self.members: dict[str, dict[Any, list[int]]] = {}
        for method, keys in self.key_of.items():
            groups: dict[Any, list[int]] = {}
            for index, key in enumerate(keys):
                if key is not None:
                    groups.setdefault(key, []).append(index)
            self.members[method] = {k: v for k, v in groups.items() if len(v) > 1}

    def edges(self) -> list[Edge]:
        """A star per group (first member to each other): enough for union-find."""
        return [
            make_edge(method, group[0], other, 1.0)
            for method in KEY_METHODS
            for group in self.members[method].values()
            for other in group[1:]
        ]

    def text_representatives(self) -> np.ndarray:
        """Eligible documents that are the first of their exact-text group."""
        firsts = [i for i, ok in enumerate(self.eligible.tolist()) if ok]
        exact = self.key_of["exact"]
        groups = self.members["exact"]
        return np.array(
            [i for i in firsts if exact[i] not in groups or groups[exact[i]][0] == i],
            dtype=np.int64,
        )


def _near_edges(
    docs: list[_Doc], features: BatchFeatures, groups: _Groups, params: DedupParams
) -> tuple[list[Edge], int]:
    """Verified near-duplicate edges among distinct texts, and the number of candidates."""
    reps = groups.text_representatives()
    pairs = candidate_pairs(features.signatures[reps], reps, params)
    found = verify(pairs, _allowed(docs, pairs, params), features, params)
    return [make_edge("near", i, j, sim) for i, j, sim in found], len(pairs)


def _codes(values: list[Any]) -> np.ndarray:
    """Small integers standing for values (None is -1), equal where the values are."""
    known = sorted({v for v in values if v is not None})
    index = {v: n for n, v in enumerate(known)}
    return np.array([index[v] if v is not None else -1 for v in values], dtype=np.int64)


def _allowed(docs: list[_Doc], pairs: np.ndarray, params: DedupParams) -> np.ndarray:
    """Pairs that may be near duplicates at all: not two previous records (never merged),
    and, with same_publication_same_day, not one outlet's texts of two different days."""
    left, right = pairs[:, 0], pairs[:, 1]
    previous = np.array([d.previous for d in docs], dtype=bool)
    allowed = ~(previous[left] & previous[right])
    if params.same_publication_same_day:
        publication = _codes([d.record.get("publication") for d in docs])
        date = _codes([d.record.get("publish_date") for d in docs])
        same_outlet = publication[left] == publication[right]
        dated = (date[left] >= 0) & (date[right] >= 0)
        allowed &= ~(same_outlet & dated & (date[left] != date[right]))
    return allowed


def deduplicate(
    records: Iterable[Record],
    previous: Iterable[Record] = (),
    params: DedupParams = DEFAULT_PARAMS,
    workers: int = 1,
    progress: bool = False,
) -> DedupResult:
    """Deduplicate `records` against each other and against `previous` (the previous
    release): the result is the whole deduplicated dataset, previous records included.

    A new record with the id of a previous record updates it (new content, same id);
    a new record duplicating a previous record under another id is merged into it.
    """
    docs = _load(records, previous)
    features = _features(docs, params, workers, progress)
    groups = _Groups(docs, features, params)
    near, candidates = _near_edges(docs, features, groups, params)
    anchors = {i: d.record["id"] for i, d in enumerate(docs) if d.previous}
    clusters, refused = cluster(len(docs), groups.edges() + near, anchors)
    merger = _Merger(docs, features, groups, near)
    survivors, report, updated = merger.resolve_all(clusters)
    stats = _stats(docs, survivors, report, updated, refused, candidates, len(near), params)
    return DedupResult(survivors, report, stats)


class _Merger:
    """Turns clusters into survivors (with merged copies) and report rows."""

    def __init__(
        self, docs: list[_Doc], features: BatchFeatures, groups: _Groups, near: list[Edge]
    ) -> None:
        self.docs, self.features, self.groups = docs, features, groups
        self.ranks: dict[int, tuple[Any, ...]] = {}
        self.near: dict[int, list[tuple[int, str, float | None]]] = {}
        for _, negative, left, right in near:
            self.near.setdefault(left, []).append((right, "near", -negative))
            self.near.setdefault(right, []).append((left, "near", -negative))

    def neighbours(self, u: int) -> Iterator[tuple[int, str, float | None]]:
        for method in KEY_METHODS:
            key = self.groups.key_of[method][u]
            for v in self.groups.members[method].get(key, ()) if key is not None else ():
                if v != u:
                    yield v, method, (1.0 if method == "exact" else None)
        yield from self.near.get(u, ())

    def similarity(self, u: int, v: int) -> float:
        return jaccard(self.features.set_values, self.features.set_offsets, u, v)

    def survivor(self, members: list[int]) -> tuple[int, int | None]:
        """(document whose content survives, the previous document it replaces or None)."""
        anchor = next((i for i in members if self.docs[i].previous), None)
        if anchor is not None:
            same_id = [
                i
                for i in members
                if not self.docs[i].previous
                and self.docs[i].record["id"] == self.docs[anchor].record["id"]
            ]
            if not same_id:
                return anchor, None
            return min(same_id, key=self._rank), anchor
        return min(members, key=self._rank), None

    def _rank(self, index: int) -> tuple[Any, ...]:
        if index not in self.ranks:
            self.ranks[index] = rank_key(self.docs[index].record, self.docs[index].digest)
        return self.ranks[index]

    def resolve(self, members: list[int]) -> tuple[Record, list[dict[str, Any]], bool]:
        if len(members) == 1:  # most records: nothing merged, nothing to choose
            record = self.docs[members[0]].record
            return {**record, "merged_copies": list(record.get("merged_copies") or [])}, [], False
        root, replaced = self.survivor(members)
        record = self.docs[root].record
        removed = sorted((i for i in members if i not in (root, replaced)), key=self._rank)
        kept = list(record.get("merged_copies") or [])
        if replaced is not None:
            kept = list(self.docs[replaced].record.get("merged_copies") or []) + kept
        copies = merged_copies(record["id"], kept, [self.docs[i].record for i in removed])
        links = explain(root, set(members), self.neighbours, self.similarity) if removed else {}
        rows = [
            self._row(
                self.docs[i].record,
                record["id"],
                self.docs[links[i].matched].record["id"],
                links[i].method,
                links[i].similarity,
            )
            for i in removed
        ]
        return {**record, "merged_copies": copies}, rows, replaced is not None

    @staticmethod
    def _row(
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

    def resolve_all(
        self, clusters: list[list[int]]
    ) -> tuple[list[Record], list[dict[str, Any]], int]:
        survivors, report, updated = [], [], 0
        for members in clusters:
            record, rows, was_update = self.resolve(members)
            survivors.append(record)
            report.extend(rows)
            updated += was_update
        survivors.sort(key=lambda r: r["id"])
        report.sort(
            key=lambda r: (r["kept_id"], r["removed_id"], r["raw_path"] or "", r["matched_id"])
        )
        return survivors, report, updated


def _stats(
    docs: list[_Doc],
    survivors: list[Record],
    report: list[dict[str, Any]],
    updated: int,
    refused: int,
    candidates: int,
    near_pairs: int,
    params: DedupParams,
) -> dict[str, Any]:
    by_method = {m: 0 for m in ("url", "exact", "id", "near")}
    for row in report:
        by_method[row["method"]] += 1
    previous = sum(1 for d in docs if d.previous)
    previous_ids = {d.record["id"] for d in docs if d.previous}
    return {
        "input_records": len(docs) - previous,
        "previous_records": previous,
        "output_records": len(survivors),
        "added_records": sum(1 for r in survivors if r["id"] not in previous_ids),
        "updated_records": updated,
        "removed_records": len(report),
        "removed_by_method": by_method,
        "merged_clusters": len({row["kept_id"] for row in report}),
        "candidate_pairs": candidates,
        "near_duplicate_pairs": near_pairs,
        "refused_links": refused,
        "params": params.to_json(),
        "minhash": {"library": "rensa", "version": version("rensa")},
    }
