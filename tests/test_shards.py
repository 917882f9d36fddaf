"""Shards of the parse stage: planned from the inputs only, joined byte for byte."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from builder.pipeline.batches import FileTask, WorkSizes
from builder.read.files import InputFile
from builder.write.shards import append_file, shard_streams


def _tasks(sizes: list[int]) -> list[FileTask]:
    return [FileTask(InputFile(Path(f"p{i}"), f"p{i}"), None, size) for i, size in enumerate(sizes)]


def test_shards_close_at_the_file_or_byte_limit() -> None:
    sizes = WorkSizes(shard_files=3, shard_bytes=100)
    planned = shard_streams(_tasks([1, 1, 1, 1, 99, 5, 1]), sizes)
    assert [[t.item.raw_path for t in s] for _, s in planned] == [
        ["p0", "p1", "p2"], ["p3", "p4"], ["p5", "p6"]
    ]
    streams = shard_streams(_tasks([1, 1, 1, 1]), sizes)
    streamed = [(n, [t.item.raw_path for t in s]) for n, s in streams]
    assert streamed == [(0, ["p0", "p1", "p2"]), (1, ["p3"])]


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_append_file_copies_the_rest_of_the_source_after_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_copy: bool
) -> None:
    if not kernel_copy:  # a system without sendfile between files copies by blocks instead

        def no_sendfile(*_args: object) -> int:
            raise OSError(errno.EINVAL, "not supported")

        monkeypatch.setattr(os, "sendfile", no_sendfile)
    parts = [b'{"a": 1}\n' * 1000, b"", "{\"é\": 2}\n".encode() * 3]
    for number, data in enumerate(parts):
        (tmp_path / f"{number}.jsonl").write_bytes(data)
    with (tmp_path / "out.jsonl").open("wb") as out:
        out.write(b"head\n")  # buffered, not yet on disk: must come first all the same
        for number in range(len(parts)):
            with (tmp_path / f"{number}.jsonl").open("rb") as part:
                append_file(part, out)
        out.write(b"tail\n")
    assert (tmp_path / "out.jsonl").read_bytes() == b"head\n" + b"".join(parts) + b"tail\n"
