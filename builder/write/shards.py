"""Resumable output of the per-page stages: numbered shards, each committed with a marker.

The input files, in their sorted order, are cut into shards of `WorkSizes.shard_files`
files (or `shard_bytes` bytes). Each shard's records and rejects go to `OUT/.parts/`, written
atomically, and only then its marker `NNNNN.json`, which lists the shard's inputs with
their SHA-256, the settings fingerprint, the counts and the hashes of the two files.
A resumed build (`--resume`) keeps a shard whose marker matches the inputs and
settings it would process now and whose files still hash as recorded; everything
else is built again. The final `records.jsonl` / `rejects.jsonl` are the shards joined
in order, so a resumed build writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from ..digests import sha256_or_empty
from ..pipeline.batches import FileOutput, FileTask, WorkSizes
from .jsonl import atomic_output

PARTS = ".parts"
MARKER_FORMAT = 1


@dataclass
class Shard:
    number: int
    tasks: list[FileTask]

    @property
    def name(self) -> str:
        return f"{self.number:05d}"


def _numbered(tasks: Iterable[FileTask], sizes: WorkSizes) -> Iterator[tuple[int, FileTask]]:
    """Each input file with the number of its shard (depends on the inputs only)."""
    max_files, max_bytes = sizes.shard_files, sizes.shard_bytes
    files, size, number = 0, 0, 0
    for task in tasks:
        yield number, task
        files, size = files + 1, size + task.size
        if files >= max_files or size >= max_bytes:
            files, size, number = 0, 0, number + 1


def shard_streams(
    tasks: Iterable[FileTask], sizes: WorkSizes
) -> Iterator[tuple[int, Iterator[FileTask]]]:
    """(number, its input files as they are listed) of each shard, in order; a stream is
    valid until the next one is taken. The first batches of a shard can run before the
    rest of it is listed."""
    for number, group in itertools.groupby(_numbered(tasks, sizes), key=operator.itemgetter(0)):
        yield number, (task for _, task in group)


def _entry(task: FileTask) -> list[Any]:
    """A shard input as its marker lists it (without the hash): path, size, manifest entry."""
    entry = task.entry
    return [
        task.item.raw_path,
        task.size,
        entry.url if entry else None,
        entry.fetched_at if entry else None,
    ]


class ShardStore:
    """The `.parts` folder of one output folder."""

    def __init__(self, out: Path, settings: dict[str, Any]) -> None:
        self.folder = out / PARTS
        # What, besides the inputs and their manifest entries, decides a shard's output.
        self.settings = hashlib.sha256(
            orjson.dumps(settings, option=orjson.OPT_SORT_KEYS)
        ).hexdigest()

    def paths(self, shard: Shard) -> tuple[Path, Path, Path]:
        base = self.folder / shard.name
        suffixes = (".records.jsonl", ".rejects.jsonl", ".json")
        return (
            base.with_suffix(suffixes[0]),
            base.with_suffix(suffixes[1]),
            base.with_suffix(suffixes[2]),
        )

    def records_file(self, number: int) -> Path:
        """The records of a finished shard."""
        return self.folder / f"{number:05d}.records.jsonl"

    def reset(self) -> None:
        """Forget every shard (a build that does not resume starts clean)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def finished(self, shard: Shard) -> dict[str, Any] | None:
        """The marker of a shard that can be kept as it is, else None."""
        records, rejects, marker_path = self.paths(shard)
        try:
            marker = orjson.loads(marker_path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if marker.get("format") != MARKER_FORMAT or marker.get("settings") != self.settings:
            return None
        inputs = marker["inputs"]
        if [[p, size, url, fetched] for p, size, _, url, fetched in inputs] != [
            _entry(t) for t in shard.tasks
        ]:
            return None
        if any(
            sha256_or_empty(t.item.path) != i[2] for t, i in zip(shard.tasks, inputs, strict=True)
        ):
            return None  # an input changed (or became unreadable) since the shard was built
        for path, key in ((records, "records_sha256"), (rejects, "rejects_sha256")):
            if not path.is_file() or sha256_or_empty(path) != marker[key]:
                return None
        return marker

    def writer(self, number: int) -> ShardWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        return ShardWriter(self, Shard(number, []))

    def join(self, count: int, records_out: Path, rejects_out: Path) -> None:
        """Shards 0..count-1 concatenated in order into the two outputs, each written atomically."""
        for target, suffix in ((records_out, ".records.jsonl"), (rejects_out, ".rejects.jsonl")):
            with atomic_output(target) as handle:
                for number in range(count):
                    with (self.folder / f"{number:05d}{suffix}").open("rb") as part:
                        append_file(part, handle)


def append_file(source: IO[bytes], target: IO[bytes]) -> None:
    """The rest of `source` appended to `target`: copied by the kernel where it can
    (os.sendfile between files, Linux), never through Python's buffers; else by blocks."""
    target.flush()
    start, end = source.tell(), os.fstat(source.fileno()).st_size
    offset = start
    try:
        while offset < end:
            sent = os.sendfile(target.fileno(), source.fileno(), offset, end - offset)
            if sent == 0:
                break  # the file shrank: copy what is there, as a read would
            offset += sent
    except (AttributeError, OSError):
        if offset > start:
            raise  # a failure mid-copy is an I/O error, not a missing feature
        shutil.copyfileobj(source, target, 1 << 20)


class ShardWriter:
    """Appends a shard's lines to temporary files; `commit` renames them, then writes the marker."""

    def __init__(self, store: ShardStore, shard: Shard) -> None:
        self.store, self.shard = store, shard
        records, rejects, _ = store.paths(shard)
        self._stack = ExitStack()
        self._records = self._stack.enter_context(atomic_output(records))
        self._rejects = self._stack.enter_context(atomic_output(rejects))
        self._hashes = (hashlib.sha256(), hashlib.sha256())
        self.inputs: list[list[Any]] = []

    def add(self, output: FileOutput) -> None:
        self._records.write(output.records)
        self._rejects.write(output.rejects)
        self._hashes[0].update(output.records)
        self._hashes[1].update(output.rejects)
        self.inputs.append([output.raw_path, output.size, output.sha256, *output.manifest])

    def abort(self) -> None:
        """Drop the temporary files (an error or an interrupt): no marker, nothing kept."""
        self._stack.__exit__(RuntimeError, RuntimeError("shard aborted"), None)

    def commit(self, counts: dict[str, Any]) -> None:
        self._stack.close()  # fsync and rename both files into place
        marker = {
            "format": MARKER_FORMAT,
            "settings": self.store.settings,
            "inputs": self.inputs,
            "records_sha256": self._hashes[0].hexdigest(),
            "rejects_sha256": self._hashes[1].hexdigest(),
            "counts": counts,
        }
        with atomic_output(self.store.paths(self.shard)[2]) as handle:
            handle.write(orjson.dumps(marker, option=orjson.OPT_SORT_KEYS))
