"""The dedup step of a build: fed while records.jsonl is written, or run on it after."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.dedup.generate import generate
from builder.dedup.params import DedupSizes
from builder.dedup.spool import Spool
from builder.dedup.stage import REPORT_FILE, StreamedDedup, dedup_build_output
from builder.errors import BuilderError
from builder.write.jsonl import dumps_line


@pytest.fixture(scope="module")
def records_bytes() -> bytes:
    records, _ = generate(300, seed=4)  # with exact, near and URL duplicates
    return b"".join(map(dumps_line, records))


def _after(out: Path) -> tuple[bytes, bytes]:
    return (out / "records.jsonl").read_bytes(), (out / REPORT_FILE).read_bytes()


# A dedup worker indexes the records as they come, however few.
FED_TO_WORKERS = DedupSizes(feed_min_bytes=0)


def _streamed(out: Path, data: bytes, pieces: list[bytes], sizes: DedupSizes) -> dict:
    out.mkdir()
    with StreamedDedup(out / "records.jsonl", out, workers=2, progress=False,
                       sizes=sizes) as dedup:
        for piece in pieces:
            dedup.add(piece)
        (out / "records.jsonl").write_bytes(data)  # joined from the shards in a build
        return dedup.finish()


@pytest.mark.parametrize(
    ("cut", "feed_min_bytes", "lsh_pool"),
    [(1, 0, False), (997, 0, True), (1 << 20, 0, False),
     (997, DedupSizes().feed_min_bytes, False)],
)
def test_fed_in_any_pieces_it_writes_what_the_step_after_the_build_writes(
    tmp_path: Path, records_bytes: bytes, cut: int, feed_min_bytes: int, lsh_pool: bool,
) -> None:
    # Several tasks in flight; feed_min_bytes 0: a dedup worker indexes along, the
    # default: these few records are indexed at the end; with lsh_pool, the LSH tasks go
    # to worker processes as a large input's do.
    sizes = DedupSizes(batch_docs=64, feed_min_bytes=feed_min_bytes,
                       pool_min_bytes=0 if lsh_pool else DedupSizes().pool_min_bytes)
    after = tmp_path / "after"
    after.mkdir()
    (after / "records.jsonl").write_bytes(records_bytes)
    expected_stats = dedup_build_output(after / "records.jsonl", after, 1, False)
    pieces = [records_bytes[i : i + cut] for i in range(0, len(records_bytes), cut)]
    stats = _streamed(tmp_path / "fed", records_bytes, pieces, sizes)
    assert stats == expected_stats and stats["removed_records"] > 0
    assert _after(tmp_path / "fed") == _after(after)
    left = sorted(p.name for p in (tmp_path / "fed").iterdir())
    assert left == sorted(["records.jsonl", REPORT_FILE])  # the work folder is gone


def test_a_records_file_that_is_not_what_was_fed_is_an_error(
    tmp_path: Path, records_bytes: bytes
) -> None:
    shorter = records_bytes[: records_bytes.rindex(b"\n", 0, -1) + 1]  # one line less
    with pytest.raises(BuilderError, match="not the 300 the dedup stage indexed"):
        _streamed(tmp_path / "out", shorter, [records_bytes], FED_TO_WORKERS)


def test_a_bad_record_fed_is_named_by_its_line_in_records_jsonl(
    tmp_path: Path, records_bytes: bytes
) -> None:
    bad = records_bytes + b'{"id": 5}\n'
    with pytest.raises(BuilderError, match=r"records\.jsonl:301: .*'id'") as raised:
        _streamed(tmp_path / "out", bad, [bad], FED_TO_WORKERS)
    assert "\n" not in str(raised.value)  # the one line, not the worker's traceback
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["records.jsonl"]  # no work folder


@pytest.mark.parametrize(
    "data", [b"", b"a\n", b"a\n\nb", b"\n\n", b"a\nb\n" * 1000 + b"tail", b"x" * (5 << 20)]
)
def test_registering_records_counts_the_lines_a_reader_sees(tmp_path: Path, data: bytes) -> None:
    # The streamed stage registers records.jsonl by counting its lines in blocks; the
    # count must be the one reading it line by line gives, or a good build would fail.
    path = tmp_path / "records.jsonl"
    path.write_bytes(data)
    read_by_lines, registered = Spool(tmp_path), Spool(tmp_path)
    expected = sum(1 for _ in read_by_lines.lines(path))
    assert registered.register(path) == (0, expected)
    assert registered.read(0, 0, 2) == data[:2]
    read_by_lines.close()
    registered.close()


@pytest.mark.parametrize("field", ["batch_docs", "feed_min_bytes", "pool_min_bytes"])
def test_dedup_sizes_are_checked(field: str) -> None:
    with pytest.raises(BuilderError, match=f"{field} must be a whole number"):
        DedupSizes(**{field: -1})
    assert DedupSizes(**{field: 1}) != DedupSizes()
