"""Parallel builds: 1 and N workers write byte-identical outputs, whatever the batching."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.generate import MANIFEST, generate
from builder.dedup.params import DedupSizes
from builder.pipeline import batches as parallel
from builder.pipeline.batches import WorkSizes
from builder.pipeline.runner import BuildOptions, build
from builder.read.files import iter_inputs

OUTPUTS = (
    "records.jsonl",
    "rejects.jsonl",
    "summary.json",
)  # and the dedup report, when dedup runs


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic crawl with every kind of page: dumps, HTML, WARC, gzip, broken."""
    root = tmp_path_factory.mktemp("crawl")
    generate(root, pages=90, seed=3)
    return root


def _build(crawl: Path, out: Path, workers: int, dedup_sizes: DedupSizes | None = None,
           **sizes: int) -> dict[str, bytes]:
    """Every file the build wrote (with the WorkSizes and DedupSizes changed as given)."""
    build(
        BuildOptions(
            inputs=[crawl], out=out, manifest=crawl / MANIFEST, workers=workers, progress=False,
            sizes=WorkSizes(**sizes), dedup_sizes=dedup_sizes,
        )
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_one_and_two_workers_write_identical_bytes(crawl: Path, tmp_path: Path) -> None:
    # Small batches and shards, so two workers really interleave and shards really join;
    # dedup indexes along the parse stage (no bytes held back for a small build).
    fed = DedupSizes(feed_min_bytes=0)
    one = _build(crawl, tmp_path / "one", 1, fed, batch_files=4, shard_files=10)
    two = _build(crawl, tmp_path / "two", 2, fed, batch_files=4, shard_files=10)
    assert one == two
    assert one["records.jsonl"].count(b"\n") > 60  # the crawl really produced records


def test_batching_does_not_change_outputs(
    crawl: Path, tmp_path: Path
) -> None:
    default = _build(crawl, tmp_path / "default", 2)
    assert _build(crawl, tmp_path / "tiny", 2, batch_files=1, shard_files=3) == default
    # Pages go through the stages (and the language identifier) in groups: groups of 3
    # cut across files and WARC captures, a group of 1 is a page at a time.
    for size in (3, 1):
        assert _build(crawl, tmp_path / f"groups-{size}", 1, page_group=size) == default
    # A few pages per group.
    assert _build(crawl, tmp_path / "group-bytes", 1, page_group_bytes=20_000) == default


@pytest.mark.parametrize("workers", [2, 3])
def test_warc_files_cut_into_a_part_per_worker_give_the_bytes_of_one_worker(
    crawl: Path, tmp_path: Path, workers: int
) -> None:
    # The parts interleave chunks of 2 pages; the crawl's small WARC file is cut too.
    one = _build(crawl, tmp_path / "one", 1, chunk_pages=2, split_warc_bytes=0)
    assert _build(crawl, tmp_path / "many", workers, chunk_pages=2, split_warc_bytes=0) == one


def test_the_parts_of_a_warc_file_join_into_the_output_of_the_whole_file(
    crawl: Path
) -> None:
    from builder.pipeline.runner import process_pages
    from builder.read.files import InputFile

    sizes = WorkSizes(chunk_pages=3, split_warc_bytes=0)
    warc = next(crawl.rglob("*.warc.gz"))
    task = parallel.FileTask(InputFile(warc, "crawl.warc.gz"), None, warc.stat().st_size)
    [whole] = parallel.process_files([task], 10_000_000, process_pages, sizes)
    assert len(whole.results) > 6  # more chunks than parts below
    for parts in (2, 3, 7):  # 7: some parts get no page at all
        batches = parallel.split_warc([task], parts, sizes)
        assert len(batches) == parts
        outputs = [parallel.process_files(b, 10_000_000, process_pages, sizes)[0]
                   for b in batches]
        assert parallel.join_parts(outputs) == whole
    small = WorkSizes(split_warc_bytes=task.size + 1)
    assert parallel.split_warc([task], 3, small) == [[task]]  # a small WARC file stays one task


def test_finished_build_leaves_no_shards(crawl: Path, tmp_path: Path) -> None:
    written = _build(crawl, tmp_path / "out", 2)
    assert set(OUTPUTS) <= set(written)
    assert sorted(os.listdir(tmp_path / "out")) == sorted(written)  # no .parts, no temporary file


def test_streamed_listing_is_sorted_by_relative_path(tmp_path: Path) -> None:
    # "a-b" < "a/..." < "a0" < "a.b" is not folder order: the walk must still give string order.
    names = [
        "a/b.txt",
        "a-b.txt",
        "a0.txt",
        "a.b.txt",
        "a/c/d.txt",
        "ab/x.txt",
        "B.txt",
        ".hidden/x.txt",
        "a/.dot.txt",
        "z/y/x.html",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    listed = [f.raw_path for f in iter_inputs([tmp_path])]
    visible = [n for n in names if not any(part.startswith(".") for part in n.split("/"))]
    assert listed == sorted(visible)


def test_batches_keep_order_and_isolate_warc_files() -> None:
    from builder.read.files import InputFile

    names = ["a.txt", "b.txt", "c.warc.gz", "d.txt", "e.html", "f.txt"]
    tasks = [parallel.FileTask(InputFile(Path(n), n), None, 100) for n in names]
    groups = list(parallel.batches(tasks, WorkSizes()))
    assert [t.item.raw_path for g in groups for t in g] == names
    assert [len(g) for g in groups] == [2, 1, 3]


def test_a_file_gone_since_listing_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    from builder.pipeline.runner import process_pages
    from builder.read.files import InputFile

    gone = tmp_path / "gone.txt"
    task = parallel.FileTask(InputFile(gone, "gone.txt"), None, parallel.file_size(str(gone)))
    [output] = parallel.process_files([task], 1_000_000, process_pages)
    assert output.sha256 == "" and output.size == -1
    assert output.results == [("reject", "unreadable_file")]
    assert output.records == b"" and b"gone.txt" in output.rejects
