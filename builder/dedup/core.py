"""Dedup in passes over record files, so memory holds an index, never the records.

1. Index: every line is read once, in order, and turned (in worker processes) into a
   few hundred bytes: id, URL key, text key, LSH band keys, a MinHash sketch, and the
   line's location (index.py, spool.py).
2. Canonical order: documents are numbered by (id, previous release first, record
   bytes), so nothing downstream depends on input order; features are pure functions
   of one record, so nothing depends on batches or worker counts either.
3. Matches: equal ids, URL keys and texts by sorting (groups.py); near duplicates by
   LSH and the sketch estimate, verified exactly on sets computed for just the likely
   pairs (lsh.py); clusters by union-find, strongest match first (clusters.py).
4. Resolve: each cluster of 2+ records is read back, its survivor chosen and its
   merges explained (resolve.py).
5. Write: survivors in id order, each read back by location, atomically.

`deduplicate()` keeps the in-memory interface (lists in, lists out) on top of this.
"""

from __future__ import annotations

import tempfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import xxhash

from ..errors import BuilderError
from ..model import Record
from ..progress import progress_bar
from ..write.jsonl import atomic_output, dumps_line, read_jsonl, write_jsonl
from .clusters import Edge, cluster, make_edge
from .coverage import (
    Measures,
    Regions,
    contents,
    decide_passages,
    grey,
    passages_many,
    rule,
    split_regions,
)
from .executor import Executor, LocalExecutor
from .features import figure_sets, ordered_shingles
from .groups import KeyGroups, key_edges
from .index import BatchTask, DocIndex, IndexBuilder, batches, checked, index_batch
from .lsh import common_counts, figures_agree, jaccard, likely_pairs
from .params import DedupParams, DedupSizes
from .records import record_files
from .resolve import Resolution, Resolver
from .spool import SetSpill, Spool
from .stats import Counts, dedup_stats

DEFAULT_PARAMS = DedupParams()
DEFAULT_SIZES = DedupSizes()
WORK_PREFIX = ".dedup-"  # the work folder (spill files), beside the records written
VERIFY_PAIRS = 8192  # likely pairs verified at once (their sets and texts read back)
RESOLVE_DOCS = 4096  # records of clusters read back and resolved at once
WRITE_DOCS = 1024  # survivors read back and written at once


@dataclass
class DedupResult:
    """Survivors sorted by id (each with `merged_copies`), one report row per removed
    record, and counts."""

    survivors: list[Record]
    report: list[dict[str, Any]]
    stats: dict[str, Any]


@dataclass(frozen=True)
class Source:
    """Record files to read, and how a record of them is named in an error message."""

    path: Path  # a JSONL(.gz) file, or a folder / release (records.record_files)
    previous: bool = False
    label: str | None = None  # "input record": records named "input record N"


class _Run:
    """One dedup run: its spool, executor, parameters, sizes and the index as it is built."""

    def __init__(self, spool: Spool, executor: Executor, params: DedupParams, progress: bool,
                 sizes: DedupSizes = DEFAULT_SIZES):
        self.spool, self.executor, self.params, self.progress = spool, executor, params, progress
        self.sizes = sizes
        self.spill = SetSpill(spool.work / "sets.u32")

    # --- 1. index ------------------------------------------------------------------------

    def _tasks(self, sources: list[Source]) -> Iterator[tuple[BatchTask, list, bool]]:
        for source in sources:
            for file in record_files(source.path):
                label, separator = (source.label, " ") if source.label else (str(file), ":")
                lines = self.spool.lines(file)
                for task, where in batches(lines, label, separator, self.params,
                                           self.sizes.batch_docs):
                    yield task, where, source.previous

    def index(self, sources: list[Source]) -> DocIndex:
        builder = IndexBuilder(self.params, self.spill)
        pending: deque[tuple[list, bool]] = deque()  # locations of the batches in flight

        def tasks() -> Iterator[BatchTask]:
            for task, where, previous in self._tasks(sources):
                pending.append((where, previous))
                yield task

        with progress_bar(self.progress, unit="rec", desc="dedup: index") as bar:
            for result in self.executor.map(index_batch, tasks()):
                where, previous = pending.popleft()
                batch = checked(result)
                builder.add(batch, previous, where)
                bar.update(len(batch.ids))
        return builder.finish()

    # --- reading records back ----------------------------------------------------------

    def line(self, index: DocIndex, doc: int) -> bytes:
        return self.spool.read(*index.location(doc))

    def record(self, index: DocIndex, doc: int) -> Record:
        """A record read back (checked already by the first pass)."""
        return orjson.loads(self.line(index, doc))

    def shingle_set(self, index: DocIndex, doc: int) -> np.ndarray:
        return self.spill.get(int(index.set_start[doc]), int(index.set_size[doc]))

    def regions(self, index: DocIndex, docs: np.ndarray) -> Regions:
        """The spill regions of documents (paragraph keys, sets)."""
        keys = index.paragraphs[docs].astype(np.int64)
        sets = index.set_size[docs].astype(np.int64)
        raw, offsets = self.spill.gather(index.set_start[docs] - 2 * keys, 2 * keys + sets)
        return split_regions(raw, offsets, keys, sets)

    def similarity(self, index: DocIndex, u: int, v: int) -> float:
        """Exact Jaccard similarity of the shingle sets of two documents."""
        a, b = self.shingle_set(index, u), self.shingle_set(index, v)
        return jaccard(a, b)

    def texts(self, index: DocIndex, docs: list[int], read: dict[int, str]) -> list[str]:
        """The texts of documents, each read back once per `read` (one verify chunk: its
        passages, boilerplate and figures often need the same documents)."""
        for doc in docs:
            if doc not in read:
                read[doc] = self.record(index, doc)["text"]
        return [read[doc] for doc in docs]

    def passages(
        self, index: DocIndex, pairs: np.ndarray, read: dict[int, str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """coverage.passages_many of pairs of documents, their texts read back (only the
        grey zone's pairs come here)."""
        docs = np.unique(pairs)
        texts = self.texts(index, docs.tolist(), read)
        ordered, offsets = ordered_shingles(texts, self.params.shingle_size)
        return passages_many(
            ordered, offsets, np.searchsorted(docs, pairs), self.params.shingle_size
        )

    def figures(
        self, index: DocIndex, docs: np.ndarray, read: dict[int, str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Figure sets of documents, from their texts read back."""
        texts = self.texts(index, docs.tolist(), read)
        step = self.sizes.batch_docs
        parts = [figure_sets(texts[i : i + step]) for i in range(0, len(texts), step)]
        if not parts:
            return np.zeros(0, np.uint32), np.zeros(1, np.int64)
        values = np.concatenate([v for v, _ in parts])
        return values, _joined_offsets([o for _, o in parts])

    # --- 2. canonical order --------------------------------------------------------------

    def canonical_order(self, index: DocIndex) -> tuple[np.ndarray, dict[int, bytes]]:
        """(input number of the document at each position; digest of the record bytes at
        positions whose id is shared, the last tie-break between them)."""
        counts = Counter(index.ids)
        shared = [k for k, ident in enumerate(index.ids) if counts[ident] > 1]
        _check_previous_ids(index, shared)
        digest = {k: xxhash.xxh3_128_digest(dumps_line(self.record(index, k))) for k in shared}
        previous = index.previous.tolist()
        order = sorted(
            range(len(index)), key=lambda k: (index.ids[k], not previous[k], digest.get(k, b""))
        )
        order_array = np.array(order, dtype=np.int64)
        position = np.empty(len(order), dtype=np.int64)
        position[order_array] = np.arange(len(order))
        return order_array, {int(position[k]): d for k, d in digest.items()}

    # --- 3. matches ------------------------------------------------------------------------

    def key_groups(self, index: DocIndex, order: np.ndarray) -> dict[str, KeyGroups]:
        ids = [index.ids[k] for k in order.tolist()]
        changes = [a != b for a, b in zip(ids, ids[1:], strict=False)]  # sorted: equal ids adjacent
        id_codes = np.cumsum([False, *changes], dtype=np.int64)
        urls = index.urls[order]
        eligible = index.words[order] >= max(self.params.min_words, 1)
        everyone = np.ones(len(order), dtype=bool)
        return {
            "id": KeyGroups(id_codes, everyone),
            "url": KeyGroups(urls, urls != 0),
            "exact": KeyGroups(index.exact[order], eligible),
        }

    def _allowed(self, index: DocIndex) -> Any:
        """The rule on which pairs may be near duplicates at all: not two previous
        records (never merged), and, with same_publication_same_day, not one outlet's
        texts of two different days."""
        previous, publication, date = index.previous, index.publication, index.date
        same_day_rule = self.params.same_publication_same_day

        def allowed(pairs: np.ndarray) -> np.ndarray:
            left, right = pairs[:, 0], pairs[:, 1]
            ok = ~(previous[left] & previous[right])
            if same_day_rule:
                same_outlet = (publication[left] == publication[right]) & (publication[left] >= 0)
                dated = (date[left] >= 0) & (date[right] >= 0)
                ok &= ~(same_outlet & dated & (date[left] != date[right]))
            return ok

        return allowed

    def near_edges(
        self, index: DocIndex, order: np.ndarray, groups: dict[str, KeyGroups]
    ) -> tuple[list[Edge], dict[str, int], int, Measures]:
        """(verified near-duplicate edges between positions, LSH counts (likely_pairs),
        pairs verified exactly, the measures of each edge by (left, right) position).
        Only the first document of each exact-text group takes part: its copies join
        through the exact edge."""
        eligible = index.words[order] >= max(self.params.min_words, 1)
        representatives = eligible & groups["exact"].firsts_mask(len(order))
        docs = np.sort(order[representatives])
        bands = (index.band(b)[docs] for b in range(self.params.banding[0]))
        pairs, counts = likely_pairs(
            bands, docs, index.sketch, self._allowed(index), self.params, self.executor.map
        )
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        found, measures = self.verify(index, pairs)
        edges, by_edge = [], {}
        for (i, j), row in zip(found.tolist(), measures.tolist(), strict=True):
            edge = make_edge("near", int(position[i]), int(position[j]), row[0])
            edges.append(edge)
            # each side's coverage and boilerplate paragraphs, edge.left's first
            flip = edge.left != int(position[i])
            coverage = (row[2], row[1]) if flip else (row[1], row[2])
            boiler = (int(row[4]), int(row[3])) if flip else (int(row[3]), int(row[4]))
            by_edge[(edge.left, edge.right)] = (coverage, boiler, int(row[5]), row[6], int(row[7]))
        return edges, counts, len(pairs), by_edge

    def verify(self, index: DocIndex, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The likely pairs that are one story (coverage.py) and whose figures agree,
        with their measures (rows: Jaccard similarity, coverage of each side, boilerplate
        paragraphs left out of each side, shared passages and share in order (rule 3
        only), the rule number (coverage.rule)); VERIFY_PAIRS
        pairs at a time, so only their documents' sets and texts are in memory."""
        found, measures = [pairs[:0]], [np.zeros((0, 8))]
        for start in range(0, len(pairs), VERIFY_PAIRS):
            chunk = pairs[start : start + VERIFY_PAIRS]
            kept, kept_measures = self._verify_chunk(index, chunk)
            found.append(kept)
            measures.append(kept_measures)
        return np.concatenate(found), np.concatenate(measures)

    def _verify_chunk(self, index: DocIndex, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        involved = np.unique(pairs)
        read: dict[int, str] = {}  # texts read back for this chunk
        regions = self.regions(index, involved)
        local = np.searchsorted(involved, pairs)
        common, left, right = common_counts(regions.values, regions.offsets, local)
        union = left + right - common
        measures = np.zeros((len(pairs), 8))
        measures[:, 0] = np.where(union == 0, 1.0, common / np.maximum(union, 1))
        measures[:, 1] = np.where(left == 0, 0.0, common / np.maximum(left, 1))
        measures[:, 2] = np.where(right == 0, 0.0, common / np.maximum(right, 1))
        frequent = index.paragraph_counts.frequent(regions.keys, self.params.boilerplate_docs)
        owner = np.repeat(np.arange(len(involved)), np.diff(regions.key_offsets))
        boiler = np.bincount(owner[frequent], minlength=len(involved)) > 0
        # Boilerplate can only keep a pair apart, when both records hold it: pairs that
        # are one story (or grey) on their whole texts and share a boilerplate paragraph
        # are measured again without their boilerplate.
        likely = (rule(measures[:, 1], measures[:, 2], self.params) > 0) | grey(
            measures[:, 1], measures[:, 2], self.params
        )
        # The figures check first: a pair whose figures disagree is never one story, so
        # its boilerplate and passages, which read and shingle texts again, are not
        # measured (at 100,000 benchmark documents, 9 grey pairs in 10 and 6 boilerplate
        # pairs in 10 are bulletins whose figures disagree). Every measure is a function
        # of its pair alone, so the order changes no decision and no measure.
        if self.params.figure_overlap > 0 and likely.any():
            rows = np.flatnonzero(likely)
            likely[rows] = self._figures_agree(index, pairs[rows], read)
        candidates = np.flatnonzero(likely & boiler[local[:, 0]] & boiler[local[:, 1]])
        boiler_rows = candidates[_share_a_key(regions.keys[frequent], owner[frequent],
                                              len(involved), local[candidates])]
        if len(boiler_rows):
            self._without_boilerplate(
                index, involved, regions, local, boiler, boiler_rows, measures, read
            )
        measures[:, 7] = rule(measures[:, 1], measures[:, 2], self.params)
        unsure = np.flatnonzero(likely & grey(measures[:, 1], measures[:, 2], self.params))
        runs, in_order = self.passages(index, pairs[unsure], read)
        measures[unsure, 5], measures[unsure, 6] = runs, in_order
        measures[unsure, 7] = np.where(decide_passages(runs, in_order, self.params), 3, 0)
        passed = likely & (measures[:, 7] > 0)
        return pairs[passed], measures[passed]

    def _figures_agree(
        self, index: DocIndex, pairs: np.ndarray, read: dict[int, str]
    ) -> np.ndarray:
        """lsh.figures_agree of pairs of documents, their texts read back."""
        stating = np.unique(pairs)
        figure_values, figure_offsets = self.figures(index, stating, read)
        return figures_agree(
            figure_values, figure_offsets, np.searchsorted(stating, pairs), self.params
        )

    def _without_boilerplate(
        self,
        index: DocIndex,
        involved: np.ndarray,
        regions: Regions,
        local: np.ndarray,
        boiler: np.ndarray,
        rows: np.ndarray,
        measures: np.ndarray,
        read: dict[int, str],
    ) -> None:
        """Coverages of the pairs at `rows` (a side holding boilerplate paragraphs),
        measured on each such side's content (coverage.contents); texts are read back
        only for those."""
        values, offsets = regions.values, regions.offsets
        holders = np.unique(local[rows])
        holders = holders[boiler[holders]]
        texts = self.texts(index, involved[holders].tolist(), read)
        fulls = [values[offsets[k] : offsets[k + 1]] for k in holders.tolist()]
        kept, kept_offsets, ignored = contents(texts, fulls, index.paragraph_counts, self.params)
        # The contents join the full sets as sets number len(involved) + k.
        joined = np.concatenate((values, kept))
        joined_offsets = np.concatenate((offsets, offsets[-1] + kept_offsets[1:]))
        content_of = np.arange(len(involved))
        content_of[holders] = len(involved) + np.arange(len(holders))
        a, b = local[rows, 0], local[rows, 1]
        for side, mine, other in ((1, a, b), (2, b, a)):
            common, sizes, _ = common_counts(
                joined, joined_offsets, np.stack((content_of[mine], other), axis=1)
            )
            has = boiler[mine]
            measures[rows[has], side] = np.where(
                sizes[has] == 0, 0.0, common[has] / np.maximum(sizes[has], 1)
            )
            position = np.searchsorted(holders, mine[has])
            measures[rows[has], side + 2] = ignored[position]

    # --- 4. resolve --------------------------------------------------------------------

    def resolve(
        self, index: DocIndex, order: np.ndarray, clusters: list[list[int]], resolver: Resolver
    ) -> Iterator[Resolution]:
        """The resolution of every cluster (positions), reading records a chunk at a time."""
        chunk: list[list[int]] = []
        for members in [*clusters, None]:
            if members is not None:
                chunk.append(members)
            if members is None or sum(map(len, chunk)) >= RESOLVE_DOCS:
                positions = [p for group in chunk for p in group]
                records = {p: self.record(index, int(order[p])) for p in positions}
                yield from (resolver.resolve(group, records) for group in chunk)
                chunk = []

    # --- 5. write --------------------------------------------------------------------------

    def write(
        self,
        index: DocIndex,
        order: np.ndarray,
        kept: np.ndarray,
        copies: dict[int, list[dict[str, Any]]],
        handle: IO[bytes],
    ) -> int:
        """Write the records at the `kept` positions (ascending: id order); a resolved
        survivor as resolved, any other record with its merged copies as they were."""
        with progress_bar(self.progress, total=len(kept), unit="rec", desc="dedup: write") as bar:
            for start in range(0, len(kept), WRITE_DOCS):
                positions = kept[start : start + WRITE_DOCS]
                docs = order[positions]  # one gather per chunk, not numpy scalars per record
                columns = (
                    positions,
                    index.canonical[docs],
                    index.file[docs],
                    index.offset[docs],
                    index.length[docs],
                )
                rows = zip(*(column.tolist() for column in columns), strict=True)
                out = [
                    self._output_line(
                        self.spool.read(file, offset, length), canonical, copies.get(position)
                    )
                    for position, canonical, file, offset, length in rows
                ]
                handle.write(b"".join(out))
                bar.update(len(out))
        return len(kept)

    @staticmethod
    def _output_line(line: bytes, canonical: bool, copies: list[dict[str, Any]] | None) -> bytes:
        """A survivor's line: a merged survivor with its merged copies, any other record
        with the copies it had (its line as it is when already in that form)."""
        if copies is None and canonical:
            return line
        record = orjson.loads(line)
        if copies is None:
            copies = list(record.get("merged_copies") or [])
        return dumps_line({**record, "merged_copies": copies})


def _check_previous_ids(index: DocIndex, shared: list[int]) -> None:
    """A previous release never holds one id twice: its records are numbered in reading
    order, and the first two with one id are named."""
    seen: dict[str, int] = {}
    for k in shared:
        if index.previous[k]:
            ident = index.ids[k]
            if ident in seen:
                raise BuilderError(
                    f"previous release: records {seen[ident] + 1} and {k + 1} have the same "
                    f"id {ident}; the release is corrupt"
                )
            seen[ident] = k


def _share_a_key(keys: np.ndarray, owner: np.ndarray, docs: int, pairs: np.ndarray) -> np.ndarray:
    """Whether the two documents of each pair have a key in common (keys of document
    `owner`; compared on their low 32 bits: a chance match only costs a measure)."""
    tagged = np.sort((owner.astype(np.uint64) << np.uint64(32)) | (keys & np.uint64(0xFFFFFFFF)))
    values = (tagged & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    offsets = np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=docs))))
    common, _, _ = common_counts(values, offsets.astype(np.int64), pairs)
    return common > 0


def _joined_offsets(parts: list[np.ndarray]) -> np.ndarray:
    """Offsets into the concatenation of flat arrays, from each part's own offsets."""
    bases = np.concatenate(([0], np.cumsum([p[-1] for p in parts])[:-1]))
    shifted = [p[1:] + b for p, b in zip(parts, bases, strict=True)]
    return np.concatenate([np.zeros(1, np.int64), *shifted])


def dedup_files(
    sources: list[Source],
    records_out: Path,
    report_out: Path,
    params: DedupParams = DEFAULT_PARAMS,
    workers: int = 1,
    progress: bool = False,
    executor: Executor | None = None,
    sizes: DedupSizes = DEFAULT_SIZES,
) -> dict[str, Any]:
    """Deduplicate the records of `sources` (previous release first, whatever the order
    given) into records_out (survivors sorted by id) and report_out (one row per removed
    record, sorted), both written atomically; returns the counts. `executor` runs the
    parallel steps (default: `workers` local processes); neither it nor `sizes` ever
    changes the output."""
    sources = sorted(sources, key=lambda s: not s.previous)  # stable: previous first
    records_out.parent.mkdir(parents=True, exist_ok=True)
    if _input_bytes(sources) < sizes.pool_min_bytes:  # a pool would cost more than it saves
        workers = 1
    with (
        tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=records_out.parent) as work,
        LocalExecutor(workers) as local,
    ):
        spool = Spool(Path(work))
        try:
            run = _Run(spool, executor or local, params, progress, sizes)
            return _dedup(run, sources, records_out, report_out)
        finally:
            spool.close()
            run.spill.close()


def _input_bytes(sources: list[Source]) -> int:
    return sum(f.stat().st_size for source in sources for f in record_files(source.path))


def _dedup(run: _Run, sources: list[Source], records_out: Path, report_out: Path) -> dict[str, Any]:
    return after_index(run, run.index(sources), records_out, report_out)


def after_index(run: _Run, index: DocIndex, records_out: Path, report_out: Path) -> dict[str, Any]:
    """Steps 2-5 over the index of the first pass: survivors to records_out, the report
    to report_out (both atomically); returns the stats."""
    order, digests = run.canonical_order(index)
    groups = run.key_groups(index, order)
    previous = index.previous[order]
    near, lsh_counts, verified, measures = run.near_edges(index, order, groups)
    clusters, refused = cluster(len(order), [*key_edges(groups), *near], previous)
    resolver = Resolver(
        groups,
        near,
        previous,
        digests,
        lambda u, v: run.similarity(index, int(order[u]), int(order[v])),
        measures,
    )
    kept = np.ones(len(order), dtype=bool)
    copies: dict[int, list[dict[str, Any]]] = {}  # small: ids, outlets, URLs, dates
    report: list[dict[str, Any]] = []
    updated = 0
    for resolution in run.resolve(index, order, clusters, resolver):
        copies[resolution.root] = resolution.copies
        kept[resolution.removed] = False
        if resolution.replaced is not None:
            kept[resolution.replaced] = False
            updated += 1
        report.extend(resolution.rows)
    report.sort(key=lambda r: (r["kept_id"], r["removed_id"], r["raw_path"] or "", r["matched_id"]))
    with atomic_output(records_out) as handle:
        written = run.write(index, order, np.flatnonzero(kept), copies, handle)
    write_jsonl(report_out, report)
    counts = Counts(
        len(order),
        int(previous.sum()),
        written,
        updated,
        refused,
        lsh_counts["bucket_pairs"],
        lsh_counts["oversized_buckets"],
        verified,
        len(near),
    )
    return dedup_stats(counts, report, run.params)


def deduplicate(
    records: Iterable[Record],
    previous: Iterable[Record] = (),
    params: DedupParams = DEFAULT_PARAMS,
    workers: int = 1,
    progress: bool = False,
    executor: Executor | None = None,
    sizes: DedupSizes = DEFAULT_SIZES,
) -> DedupResult:
    """Deduplicate `records` against each other and against `previous` (the previous
    release): the result is the whole deduplicated dataset, previous records included.

    A new record with the id of a previous record updates it (new content, same id);
    a new record duplicating a previous record under another id is merged into it.
    The records pass through temporary files: dedup_files streams them.
    """
    with tempfile.TemporaryDirectory(prefix="builder-dedup-") as tmp:
        work = Path(tmp)
        _dump_records(work / "previous.jsonl", previous, "previous release record")
        _dump_records(work / "input.jsonl", records, "input record")
        sources = [
            Source(work / "previous.jsonl", True, "previous release record"),
            Source(work / "input.jsonl", False, "input record"),
        ]
        stats = dedup_files(
            sources, work / "out.jsonl", work / "report.jsonl", params, workers, progress, executor,
            sizes,
        )
        survivors = [value for _, value in read_jsonl(work / "out.jsonl")]
        report = [value for _, value in read_jsonl(work / "report.jsonl")]
    return DedupResult(survivors, report, stats)


def _dump_records(path: Path, records: Iterable[Record], label: str) -> None:
    with path.open("wb") as handle:
        for number, record in enumerate(records, start=1):
            try:
                handle.write(dumps_line(record))
            except TypeError as exc:
                raise BuilderError(f"{label} {number}: cannot be written as JSON: {exc}") from None
