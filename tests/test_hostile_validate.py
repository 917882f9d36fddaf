"""`builder validate` on hostile files: bounded, and catches what the schema alone lets pass."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from builder.cli import main

from .conftest import SAMPLES, SampleBuild
from .hostile import builder

TWICE = "the same article twice (deduplicate: builder dedup, or a build without --no-dedup)"


def _records(build: SampleBuild) -> list[dict]:
    return [orjson.loads(line) for line in (build.out / "records.jsonl").read_bytes().splitlines()]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def _validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str]]:
    code = main(["validate", *map(str, paths)])
    return code, capsys.readouterr().out.splitlines()


def test_deduplicated_built_records_still_validate_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["build", str(SAMPLES / "pages"), "--manifest", str(SAMPLES / "manifest.csv")]
    assert main([*argv, "--out", str(out), "--quiet", "--workers", "1"]) == 0
    capsys.readouterr()
    assert _validate(capsys, out / "records.jsonl") == (0, [])


def test_validate_dev_zero_reports_one_line_in_bounded_memory() -> None:
    run = builder("validate", "/dev/zero")
    assert not run.killed and "Traceback" not in run.stderr
    assert run.code == 1
    assert run.stdout.startswith("/dev/zero:1: /: the line is over")
    assert run.stderr.strip().endswith("1 problem(s) in 1 file(s)")


def test_a_huge_line_after_good_records_stops_the_file_with_its_line(
    sample_build: SampleBuild, tmp_path: Path
) -> None:
    path = _write(tmp_path / "r.jsonl", _records(sample_build)[:2])
    with path.open("ab") as handle:  # 100 MB of NUL bytes on no disk (a sparse file)
        handle.truncate(path.stat().st_size + 100 * 1024 * 1024)
    run = builder("validate", str(path))
    assert not run.killed and "Traceback" not in run.stderr and run.code == 1
    assert run.stdout.splitlines() == [
        f"{path}:3: /: the line is over 67108864 bytes: not one JSON record per line; "
        "the rest of the file is not checked"
    ]


def test_duplicate_ids_within_and_across_files_are_reported(
    sample_build: SampleBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _records(sample_build)[:2]
    one = _write(tmp_path / "one.jsonl", [first, second, first])
    two = _write(tmp_path / "two.jsonl", [second])
    code, lines = _validate(capsys, one, two)
    assert code == 1
    assert lines == [
        f"{one}:3: /id: {first['id']!r} is also the id of the record at {one}:1: {TWICE}",
        f"{two}:1: /id: {second['id']!r} is also the id of the record at {one}:2: {TWICE}",
    ]


def test_an_id_that_is_not_derived_from_the_article_is_reported(
    sample_build: SampleBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _records(sample_build)[0]
    right = record["id"]
    record["id"] = "0123456789abcdef"
    code, [line] = _validate(capsys, _write(tmp_path / "r.jsonl", [record]))
    assert code == 1 and line.startswith(f"{tmp_path / 'r.jsonl'}:1: /id: '0123456789abcdef'")
    assert repr(right) in line


@pytest.mark.parametrize(("field", "char"), [("title", "\x07"), ("text", "\x1b"), ("text", "\x85")])
def test_control_characters_in_text_fields_are_reported(
    sample_build: SampleBuild,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    char: str,
) -> None:
    # a record with a URL: its id does not depend on the title
    record = next(r for r in _records(sample_build) if r["source_url"])
    record[field] = record[field][:5] + char + record[field][5:]
    code, lines = _validate(capsys, _write(tmp_path / "r.jsonl", [record]))
    assert code == 1
    assert lines == [
        f"{tmp_path / 'r.jsonl'}:1: /{field}: holds the control character U+{ord(char):04X}"
    ]


def test_a_fetch_time_in_the_future_is_reported(
    sample_build: SampleBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _records(sample_build)[0]
    record["provenance"]["fetched_at"] = "2999-01-01T00:00:00Z"
    code, [line] = _validate(capsys, _write(tmp_path / "r.jsonl", [record]))
    assert code == 1
    where = f"{tmp_path / 'r.jsonl'}:1"
    assert line.startswith(f"{where}: /provenance/fetched_at: 2999-01-01T00:00:00Z")
    assert "in the future" in line
