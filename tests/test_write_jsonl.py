"""The one JSONL reader (write/jsonl.py): its rules, and a clear error for every bad file."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from builder.errors import BuilderError
from builder.write.jsonl import (
    JsonlError,
    LineTooLong,
    bounded_lines,
    read_jsonl,
    write_jsonl,
)


def test_objects_come_back_numbered_by_line_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n\n   \t\n{"b": "\xc3\xa9"}\r\n{"c": null}')  # no final newline
    assert list(read_jsonl(path)) == [(1, {"a": 1}), (4, {"b": "é"}), (5, {"c": None})]


def test_what_write_jsonl_writes_read_jsonl_reads(tmp_path: Path) -> None:
    rows = [{"id": str(i), "text": "x\ny" * i} for i in range(5)]
    write_jsonl(tmp_path / "r.jsonl", rows)
    assert [row for _, row in read_jsonl(tmp_path / "r.jsonl")] == rows


def test_a_gzip_file_is_read_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a": 1}\n\n{"a": 2}\n'))
    assert list(read_jsonl(path)) == [(1, {"a": 1}), (3, {"a": 2})]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"a": 1}\n{"a": \n', r"a\.jsonl:2: not valid JSON: "),
        (b'{"a": 1}\n\n[1, 2]\n', r"a\.jsonl:3: not a JSON object$"),
        (b'"text"\n', r"a\.jsonl:1: not a JSON object$"),
        (b"\xff\xfe{}\n", r"a\.jsonl:1: not valid JSON: "),
    ],
)
def test_a_bad_line_stops_the_read_naming_file_and_line(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    with pytest.raises(JsonlError, match=message) as raised:
        list(read_jsonl(path))
    assert isinstance(raised.value, BuilderError) and "\n" not in str(raised.value)


def test_the_good_lines_before_a_bad_one_are_given(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\nnot json\n')
    rows = read_jsonl(path)
    assert next(rows) == (1, {"a": 1})
    with pytest.raises(JsonlError, match=r"a\.jsonl:2: "):
        next(rows)


def test_files_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    with pytest.raises(JsonlError, match=r"missing\.jsonl: cannot open: "):
        list(read_jsonl(tmp_path / "missing.jsonl"))
    with pytest.raises(JsonlError, match=r"folder\.jsonl: cannot open: "):
        (tmp_path / "folder.jsonl").mkdir()
        list(read_jsonl(tmp_path / "folder.jsonl"))
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"a": 1}\n' * 1000)[:-40])  # truncated
    with pytest.raises(JsonlError, match=r"broken\.jsonl\.gz: cannot read: "):
        list(read_jsonl(broken))
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_bytes(b'{"a": 1}\n')  # not gzip at all
    with pytest.raises(JsonlError, match=r"plain\.jsonl\.gz: cannot read: "):
        list(read_jsonl(plain))


def test_a_line_over_the_bound_is_refused_before_it_is_held(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n' + b'{"a": "' + b"x" * 5000 + b'"}\n{"a": 2}\n')
    assert len(list(read_jsonl(path, max_line_bytes=6000))) == 3
    rows = read_jsonl(path, max_line_bytes=100)
    assert next(rows) == (1, {"a": 1})
    with pytest.raises(JsonlError, match=r"a\.jsonl:2: the line is over 100 bytes"):
        next(rows)


def test_bounded_lines_reads_text_and_bytes_and_stops_at_a_long_line() -> None:
    assert list(bounded_lines(io.StringIO("ab\ncd\n\nlast"), 4)) == [
        (1, "ab\n"), (2, "cd\n"), (3, "\n"), (4, "last")]
    lines = bounded_lines(io.BytesIO(b"ok\n" + b"z" * 10**6), 10)
    assert next(lines) == (1, b"ok\n")
    with pytest.raises(LineTooLong) as raised:
        next(lines)
    assert raised.value.number == 2
