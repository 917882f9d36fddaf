"""`builder dedup`, the dedup step of `builder build`, and reading a previous release."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from builder.cli import main
from builder.dedup import read_records
from builder.errors import BuilderError
from builder.write.jsonl import write_jsonl

from .conftest import SAMPLES
from .test_dedup import record, words

OUTPUTS = ("records.jsonl", "dedup_report.jsonl", "dedup_summary.json")


def _corpus() -> list[dict[str, Any]]:
    """Three copies of one story (two outlets and a mobile URL) and one other article."""
    story = words(20, 200)
    return [
        record(
            "aaaaaaaaaaaaaaaa", story, source_url="https://reuters.example/a", publication="Reuters"
        ),
        record(
            "bbbbbbbbbbbbbbbb",
            story,
            source_url="https://m.reuters.example/a",
            publication="Reuters",
        ),
        record("cccccccccccccccc", story.replace("w", "W"), publication="Egypt Today"),
        record("dddddddddddddddd", words(21, 200)),
    ]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_dedup_command_writes_records_report_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_jsonl(tmp_path / "in.jsonl", _corpus())
    code, _, err = _run(
        capsys, "dedup", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--quiet"
    )
    assert (
        code == 0 and "4 records (+0 previous) -> 2: 2 merged (url 1, exact 1, id 0, near 0)" in err
    )
    records = [
        orjson.loads(line) for line in (tmp_path / "out/records.jsonl").read_bytes().splitlines()
    ]
    assert [r["id"] for r in records] == ["aaaaaaaaaaaaaaaa", "dddddddddddddddd"]
    assert [c["id"] for c in records[0]["merged_copies"]] == [
        "bbbbbbbbbbbbbbbb",
        "cccccccccccccccc",
    ]
    report = [
        orjson.loads(line)
        for line in (tmp_path / "out/dedup_report.jsonl").read_bytes().splitlines()
    ]
    assert [(r["removed_id"], r["method"]) for r in report] == [
        ("bbbbbbbbbbbbbbbb", "url"),
        ("cccccccccccccccc", "exact"),
    ]
    summary = json.loads((tmp_path / "out/dedup_summary.json").read_text())
    assert summary["output_records"] == 2 and summary["params"]["threshold"] == 0.4


def test_dedup_command_output_is_byte_identical_across_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.dedup.generate import generate
    from builder.cli import dedup as command
    from builder.dedup.params import DedupSizes

    # A real pool even for a small input: the command's dedup_files with pool_min_bytes 0.
    pooled = functools.partial(command.dedup_files, sizes=DedupSizes(pool_min_bytes=0))
    monkeypatch.setattr(command, "dedup_files", pooled)

    records, _ = generate(300, seed=4)
    write_jsonl(tmp_path / "in.jsonl", records)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert (
            _run(
                capsys,
                "dedup",
                str(tmp_path / "in.jsonl"),
                "--out",
                str(out),
                "--workers",
                workers,
                "--quiet",
            )[0]
            == 0
        )
        outputs.append({name: (out / name).read_bytes() for name in OUTPUTS})
    assert outputs[0] == outputs[1]


def test_dedup_against_a_release_folder_never_readds_its_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    released = _corpus()[:1] + _corpus()[3:]
    data = tmp_path / "1.0.0" / "data"
    data.mkdir(parents=True)
    with gzip.open(data / "train-00000-of-00001.jsonl.gz", "wb") as handle:
        handle.write(b"".join(orjson.dumps(r) + b"\n" for r in released))
    write_jsonl(tmp_path / "new.jsonl", _corpus()[1:3])
    code, _, _ = _run(
        capsys,
        "dedup",
        str(tmp_path / "new.jsonl"),
        "--out",
        str(tmp_path / "out"),
        "--against",
        str(tmp_path / "1.0.0"),
        "--quiet",
    )
    assert code == 0
    records = [
        orjson.loads(line) for line in (tmp_path / "out/records.jsonl").read_bytes().splitlines()
    ]
    assert [r["id"] for r in records] == ["aaaaaaaaaaaaaaaa", "dddddddddddddddd"]
    report = (tmp_path / "out/dedup_report.jsonl").read_bytes().splitlines()
    assert {orjson.loads(line)["kept_id"] for line in report} == {"aaaaaaaaaaaaaaaa"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"id": "aaaaaaaaaaaaaaaa", "text": "x"}\nnot json\n', "in.jsonl:2: not valid JSON"),
        (
            b'{"id": "aaaaaaaaaaaaaaaa"}\n',
            "in.jsonl:1 (id aaaaaaaaaaaaaaaa): 'text' is missing or not a string",
        ),
        (b"[1, 2]\n", "in.jsonl:1: not a JSON object"),
    ],
)
def test_a_bad_input_line_is_reported_by_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    (tmp_path / "in.jsonl").write_bytes(content)
    code, _, err = _run(
        capsys, "dedup", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--quiet"
    )
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "out" / "records.jsonl").exists()  # nothing half-written


def test_missing_input_and_release_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "dedup", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o"))
    assert code == 2 and "nope.jsonl: no such file" in err
    write_jsonl(tmp_path / "in.jsonl", _corpus())
    code, _, err = _run(
        capsys,
        "dedup",
        str(tmp_path / "in.jsonl"),
        "--out",
        str(tmp_path / "o"),
        "--against",
        str(tmp_path / "missing"),
        "--quiet",
    )
    assert code == 2 and "missing: no such file or folder" in err


def test_bad_parameters_are_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_jsonl(tmp_path / "in.jsonl", _corpus())
    code, _, err = _run(
        capsys,
        "dedup",
        str(tmp_path / "in.jsonl"),
        "--out",
        str(tmp_path / "o"),
        "--threshold",
        "1.5",
    )
    assert code == 2 and "threshold must be in (0, 1], got 1.5" in err


def test_release_folder_reading_order_and_side_files(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "b.jsonl", [record("bbbbbbbbbbbbbbbb", "x")])
    write_jsonl(tmp_path / "a" / "c.jsonl", [record("cccccccccccccccc", "x")])
    write_jsonl(tmp_path / "rejects.jsonl", [{"raw_path": "x", "reason": "empty_file"}])
    write_jsonl(tmp_path / "dedup_report.jsonl", [{"removed_id": "x"}])
    assert [r["id"] for r in read_records(tmp_path)] == ["cccccccccccccccc", "bbbbbbbbbbbbbbbb"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuilderError, match="no \\*.jsonl or \\*.jsonl.gz record files found"):
        list(read_records(tmp_path / "empty"))


def test_build_deduplicates_by_default_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages, manifest = str(SAMPLES / "pages"), str(SAMPLES / "manifest.csv")
    out, raw = tmp_path / "dedup", tmp_path / "raw"
    for folder, extra in ((out, []), (raw, ["--no-dedup"])):
        command = ["build", pages, "--manifest", manifest, "--out", str(folder), "--workers", "1"]
        assert _run(capsys, *command, "--quiet", *extra)[0] == 0
    summary = json.loads((out / "summary.json").read_text())
    built = (raw / "records.jsonl").read_bytes().splitlines()
    kept = (out / "records.jsonl").read_bytes().splitlines()
    report = (out / "dedup_report.jsonl").read_bytes().splitlines()
    assert summary["dedup"]["input_records"] == len(built) == summary["records"]
    assert summary["dedup"]["output_records"] == len(kept) == len(built) - len(report)
    assert report, "the samples have re-scrapes and syndicated copies"
    assert not (raw / "dedup_report.jsonl").exists() and "dedup" not in json.loads(
        (raw / "summary.json").read_text()
    )
    # the samples' re-scrapes of one aggregator page collapse to one record
    paths = {orjson.loads(line)["provenance"]["raw_path"] for line in kept}
    removed = {orjson.loads(line)["raw_path"] for line in report}
    assert not paths & removed


def test_a_bad_line_after_many_good_ones_leaves_no_output_and_no_work_folder(
    tmp_path: Path,
) -> None:
    from builder.dedup import Source, dedup_files
    from builder.dedup.params import DedupSizes

    lines = b"".join(orjson.dumps(r) + b"\n" for r in _corpus()) + b'{"id": "x"\n'
    (tmp_path / "in.jsonl").write_bytes(lines)
    out = tmp_path / "out"
    with pytest.raises(BuilderError, match=r"in.jsonl:5: not valid JSON"):
        dedup_files([Source(tmp_path / "in.jsonl")], out / "records.jsonl", out / "report.jsonl",
                    sizes=DedupSizes(batch_docs=2))  # the bad line arrives batches after the first
    assert list(out.iterdir()) == []  # no records, no report, no spill files


def test_a_build_clears_the_work_folder_of_a_killed_dedup(tmp_path: Path) -> None:
    from builder.dedup.stage import dedup_build_output

    write_jsonl(tmp_path / "records.jsonl", _corpus())
    stale = tmp_path / ".dedup-killed"
    stale.mkdir()
    (stale / "sets.u32").write_bytes(b"\0" * 64)
    stats = dedup_build_output(tmp_path / "records.jsonl", tmp_path, workers=1, progress=False)
    assert stats["output_records"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dedup_report.jsonl", "records.jsonl"]


def test_the_dedup_index_keeps_a_fixed_few_hundred_bytes_per_record(tmp_path: Path) -> None:
    """What the memory figures of docs/dedup.md rest on: the index holds no text; its
    size per record does not depend on how long the texts are."""
    from builder.dedup.core import _Run
    from builder.dedup.executor import LocalExecutor
    from builder.dedup.params import DedupParams
    from builder.dedup.spool import Spool

    def index_bytes(words_per_text: int) -> float:
        records = [record(f"{n:016x}", words(n, words_per_text)) for n in range(200)]
        folder = tmp_path / str(words_per_text)
        folder.mkdir()
        write_jsonl(folder / "in.jsonl", records)
        spool = Spool(folder)
        run = _Run(spool, LocalExecutor(1), DedupParams(), progress=False)
        built = run.index([Source(folder / "in.jsonl")])
        spool.close()
        run.spill.close()
        arrays = [getattr(built, name) for name in index.COLUMNS] + built.band_parts
        return sum(a.nbytes for a in arrays) / len(built)

    from builder.dedup import Source, index

    short, long = index_bytes(30), index_bytes(3000)
    assert short == long and 500 < short < 600
