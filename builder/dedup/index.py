"""The first pass: every record line to a few hundred bytes of index, in worker processes.

Lines go to the workers in batches of at most DedupSizes.batch_docs; a worker parses them, checks
the fields dedup relies on and returns what later steps need of each record (id, URL
key, publication, date, index features) and whether its line is already the record's
canonical output form (then the survivor is written by copying the line). The index
holds no text: records are read back by location (spool.py) when they are needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import xxhash

from ..errors import BuilderError
from ..write.jsonl import dumps_line
from .boilerplate import ParagraphCounts, paragraph_keys
from .features import IndexFeatures, index_features
from .keys import url_key
from .params import DedupParams
from .records import check_record
from .spool import SetSpill


@dataclass
class BatchTask:
    """Lines of one input file sent to a worker, with where they come from."""

    label: str  # the file, for error messages: "{label}{separator}{line number}"
    separator: str
    line_numbers: list[int]
    lines: list[bytes]
    params: DedupParams


@dataclass
class BatchIndex:
    ids: list[str]
    urls: np.ndarray  # uint64 hash of keys.url_key (0: no URL)
    publications: list[str | None]
    dates: list[str | None]
    canonical: np.ndarray  # bool: the line is dumps_line(record), merged_copies included
    features: IndexFeatures
    paragraph_keys: np.ndarray  # uint64: each record's distinct paragraph keys, joined
    paragraph_offsets: np.ndarray  # int64, len = records + 1


def url_hash(source_url: str | None) -> int:
    """64-bit hash of the URL key, never 0 (0 stands for "no URL"). Two different URLs
    share a hash with probability about 2**-64 per pair: never in practice."""
    key = url_key(source_url)
    if key is None:
        return 0
    return xxhash.xxh3_64_intdigest(key.encode("utf-8")) or 1


def parse_line(line: bytes, where: str) -> dict[str, Any]:
    """The record of a line, or a BuilderError naming `where` and what is wrong."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise BuilderError(f"{where}: not valid JSON: {exc}") from None
    check_record(record, where)
    return record


@dataclass(frozen=True)
class BadRecord:
    """What index_batch returns for a batch with a bad record: the message naming its
    file and line. Returned, not raised: a worker's exception reaches the parent wrapped,
    with the worker's traceback (executors/local.py TaskFailed, Ray's RayTaskError), and
    a user's bad line deserves the one line that names it."""

    message: str


def checked(result: BatchIndex | BadRecord) -> BatchIndex:
    """The index of a batch, or the BuilderError of its bad record, raised here (the parent)."""
    if isinstance(result, BadRecord):
        raise BuilderError(result.message)
    return result


def index_batch(task: BatchTask) -> BatchIndex | BadRecord:
    """A batch's index, or its first bad record (see BadRecord)."""
    records, canonical = [], []
    try:
        for number, line in zip(task.line_numbers, task.lines, strict=True):
            record = parse_line(line, f"{task.label}{task.separator}{number}")
            records.append(record)
            canonical.append("merged_copies" in record and dumps_line(record) == line)
    except BuilderError as error:
        return BadRecord(str(error))
    texts = [r["text"] for r in records]
    keys, key_offsets = paragraph_keys(texts)
    return BatchIndex(
        ids=[r["id"] for r in records],
        urls=np.array([url_hash(r.get("source_url")) for r in records], dtype=np.uint64),
        publications=[r.get("publication") for r in records],
        dates=[r.get("publish_date") for r in records],
        canonical=np.array(canonical, dtype=bool),
        features=index_features(texts, task.params),
        paragraph_keys=keys,
        paragraph_offsets=key_offsets,
    )


class _Codes:
    """Small integers for the distinct values of a column (None is -1)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def of(self, values: list[str | None]) -> np.ndarray:
        return np.array(
            [-1 if v is None else self.index.setdefault(v, len(self.index)) for v in values],
            dtype=np.int32,
        )


COLUMNS = (
    "previous",
    "file",
    "offset",
    "length",
    "canonical",
    "urls",
    "publication",
    "date",
    "exact",
    "words",
    "sketch",
    "set_start",
    "set_size",
    "paragraphs",
)


@dataclass
class DocIndex:
    """Everything the first pass keeps, one row per record in reading order (the
    previous release first)."""

    ids: list[str]
    previous: np.ndarray  # bool
    file: np.ndarray  # int32, spool file number
    offset: np.ndarray  # int64, byte offset of the line
    length: np.ndarray  # int32, bytes of the line
    canonical: np.ndarray  # bool, see BatchIndex
    urls: np.ndarray  # uint64, see url_hash
    publication: np.ndarray  # int32 code (-1: none)
    date: np.ndarray  # int32 code (-1: none)
    exact: np.ndarray  # uint64 (docs, 2)
    words: np.ndarray  # int32
    sketch: np.ndarray  # uint8 (docs, num_perm)
    set_start: np.ndarray  # int64, where the shingle set starts in the SetSpill
    set_size: np.ndarray  # int32, its number of values
    paragraphs: np.ndarray  # uint8, paragraph keys stored before the set (2 values each)
    band_parts: list[np.ndarray]  # uint32 (batch docs, bands) per batch: see band()
    paragraph_counts: ParagraphCounts  # records each paragraph key occurs in

    def __len__(self) -> int:
        return len(self.ids)

    def band(self, band: int) -> np.ndarray:
        """The keys of one LSH band, every document (uint32); the band keys stay in
        their batch pieces, so only one band's column is ever copied."""
        return np.concatenate([part[:, band] for part in self.band_parts])

    def location(self, doc: int) -> tuple[int, int, int]:
        return int(self.file[doc]), int(self.offset[doc]), int(self.length[doc])


class IndexBuilder:
    """Collects the batches of the first pass, in order, into a DocIndex."""

    def __init__(self, params: DedupParams, spill: SetSpill) -> None:
        self.params, self.spill = params, spill
        self.ids: list[str] = []
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in COLUMNS}
        self.band_parts: list[np.ndarray] = []
        self._publications, self._dates = _Codes(), _Codes()
        self.paragraph_counts = ParagraphCounts()

    def add(self, batch: BatchIndex, previous: bool, locations: list[tuple[int, int, int]]) -> None:
        size = len(batch.ids)
        self.ids.extend(batch.ids)
        self.paragraph_counts.add(batch.paragraph_keys)
        start, paragraphs = self._spill(batch)
        where = np.array(locations, dtype=np.int64).reshape(size, 3)
        pieces = {
            "previous": np.full(size, previous, dtype=bool),
            "file": where[:, 0].astype(np.int32),
            "offset": where[:, 1],
            "length": where[:, 2].astype(np.int32),
            "canonical": batch.canonical,
            "urls": batch.urls,
            "publication": self._publications.of(batch.publications),
            "date": self._dates.of(batch.dates),
            "exact": batch.features.exact,
            "words": batch.features.word_counts,
            "sketch": batch.features.sketch,
            "set_start": start,
            "set_size": np.diff(batch.features.set_offsets).astype(np.int32),
            "paragraphs": paragraphs,
        }
        for name, piece in pieces.items():
            self.parts[name].append(piece)
        self.band_parts.append(batch.features.bands)

    def _spill(self, batch: BatchIndex) -> tuple[np.ndarray, np.ndarray]:
        """Write each record's paragraph keys (two uint32 values each) then its shingle
        set to the spill; (where each set starts, number of keys before it)."""
        keys, key_offsets = batch.paragraph_keys, batch.paragraph_offsets
        features = batch.features
        key_words = 2 * np.diff(key_offsets)
        set_sizes = np.diff(features.set_offsets)
        parts = np.stack((key_words, set_sizes), axis=1)
        region_starts = np.concatenate(([0], np.cumsum(parts.sum(axis=1))[:-1])).astype(np.int64)
        is_key = np.repeat(np.tile(np.array([True, False]), len(parts)), parts.ravel())
        joined = np.empty(len(is_key), dtype=np.uint32)
        joined[is_key] = keys.view(np.uint32)
        joined[~is_key] = features.set_values
        base = self.spill.append(joined)
        return base + region_starts + key_words, (key_words // 2).astype(np.uint8)

    def finish(self) -> DocIndex:
        bands, _ = self.params.banding
        empty = {
            "previous": np.zeros(0, bool),
            "file": np.zeros(0, np.int32),
            "offset": np.zeros(0, np.int64),
            "length": np.zeros(0, np.int32),
            "canonical": np.zeros(0, bool),
            "urls": np.zeros(0, np.uint64),
            "publication": np.zeros(0, np.int32),
            "date": np.zeros(0, np.int32),
            "exact": np.zeros((0, 2), np.uint64),
            "words": np.zeros(0, np.int32),
            "sketch": np.zeros((0, self.params.num_perm), np.uint8),
            "set_start": np.zeros(0, np.int64),
            "set_size": np.zeros(0, np.int32),
            "paragraphs": np.zeros(0, np.uint8),
        }
        columns = {}
        for name in COLUMNS:
            parts = self.parts.pop(name)
            columns[name] = np.concatenate(parts) if parts else empty[name]
            del parts  # one column's pieces and its joined copy at a time
        self.spill.finish()
        band_parts = self.band_parts or [np.zeros((0, bands), np.uint32)]
        return DocIndex(
            ids=self.ids,
            band_parts=band_parts,
            paragraph_counts=self.paragraph_counts,
            **columns,
        )


def batches(
    lines: Iterator[tuple[int, int, int, bytes]], label: str, separator: str, params: DedupParams,
    batch_docs: int,
) -> Iterator[tuple[BatchTask, list[tuple[int, int, int]]]]:
    """Batches of at most `batch_docs` of the non-blank lines of one file, with each
    line's location."""
    task, where = BatchTask(label, separator, [], [], params), []
    for file, number, offset, line in lines:
        if not line.strip():
            continue
        task.line_numbers.append(number)
        task.lines.append(line)
        where.append((file, offset, len(line)))
        if len(task.lines) == batch_docs:
            yield task, where
            task, where = BatchTask(label, separator, [], [], params), []
    if task.lines:
        yield task, where
