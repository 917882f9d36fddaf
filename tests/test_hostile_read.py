"""Odd entries in input folders: each one a reject with a reason, and the build goes on."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import orjson
import pytest

from builder.cli import main
from builder.model import Reject
from builder.read import files
from builder.read.files import iter_inputs, read_file, shown_name

from .conftest import SAMPLES
from .hostile import builder

PAGE = (SAMPLES / "pages/aggregator/en/ahram-online/kom-ombo-workshops.txt").read_text()
OTHER = (SAMPLES / "pages/aggregator/en/ahram-online/power-grid-sudan.txt").read_text()
BAD_NAME = os.fsdecode(b"bad\xffname.txt")


def _results(*inputs: Path) -> list[tuple[str, str]]:
    """(raw_path, reason or 'page') of every input, as the build reads them."""
    out = []
    for item in iter_inputs(list(inputs)):
        for result in read_file(item, {}, 10**6):
            out.append((result.raw_path, result.reason if isinstance(result, Reject) else "page"))
    return out


def _build(tmp_path: Path, *inputs: Path) -> tuple[dict, list[dict], list[dict]]:
    out = tmp_path / "out"
    args = ["build", *map(str, inputs), "--out", str(out), "--quiet", "--workers", "1"]
    assert main([*args, "--no-dedup"]) == 0
    lines = {
        name: [orjson.loads(x) for x in (out / name).read_bytes().splitlines()]
        for name in ("records.jsonl", "rejects.jsonl")
    }
    summary = orjson.loads((out / "summary.json").read_bytes())
    return summary, lines["records.jsonl"], lines["rejects.jsonl"]


def test_a_file_name_that_is_not_utf8_becomes_a_record_with_an_escaped_raw_path(
    tmp_path: Path,
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / BAD_NAME).write_text(PAGE)
    (tmp_path / "in" / "good.txt").write_text(OTHER)
    summary, records, rejects = _build(tmp_path, tmp_path / "in")
    assert sorted(r["provenance"]["raw_path"] for r in records) == ["bad\\xffname.txt", "good.txt"]
    assert rejects == [] and summary["records"] == 2


def test_builder_parse_of_a_non_utf8_name_prints_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / BAD_NAME
    path.write_text(PAGE)
    assert main(["parse", str(path)]) == 0
    assert orjson.loads(capsys.readouterr().out)["provenance"]["raw_path"] == "bad\\xffname.txt"


def test_shown_name_keeps_utf8_names_and_escapes_only_the_bad_bytes() -> None:
    assert shown_name("صفحة.txt") == "صفحة.txt"
    assert shown_name(os.fsdecode(b"a\xe9\xffb.txt")) == "a\\xe9\\xffb.txt"


def test_a_folder_that_cannot_be_listed_is_one_reject_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where chmod 000 locks nothing: the listing fails by hand.
    for name in ("a", "locked", "z"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.txt").write_text(PAGE)
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    assert _results(tmp_path) == [
        ("a/page.txt", "page"),
        ("locked/", "unreadable_file"),
        ("z/page.txt", "page"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission_is_a_reject(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "page.txt").write_text(PAGE)
    (tmp_path / "locked").chmod(0)
    try:
        assert _results(tmp_path) == [("locked/", "unreadable_file")]
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_fifos_sockets_and_links_in_a_folder_are_rejects_with_their_reason(
    tmp_path: Path,
) -> None:
    (tmp_path / "page.txt").write_text(PAGE)
    os.mkfifo(tmp_path / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.html"))
    (tmp_path / "link.txt").symlink_to(tmp_path / "page.txt")
    (tmp_path / "outside").symlink_to("/etc")
    assert _results(tmp_path) == [
        ("link.txt", "symlink"),
        ("outside", "symlink"),
        ("page.txt", "page"),
        ("pipe.txt", "special_file"),
        ("sock.html", "special_file"),
    ]


def test_a_fifo_or_a_device_given_as_an_input_is_a_reject_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    assert _results(tmp_path / "pipe", Path("/dev/zero")) == [
        ("pipe", "special_file"),
        ("zero", "special_file"),
    ]


def test_build_of_a_fifo_and_dev_zero_ends_in_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    run = builder(
        "build", str(tmp_path / "in"), "/dev/zero", "--out", str(tmp_path / "out"),
        "--quiet", "--workers", "1",
    )
    assert run.code == 0, run.stderr[-2000:]
    rejects = (tmp_path / "out" / "rejects.jsonl").read_bytes().splitlines()
    assert sorted(orjson.loads(r)["reason"] for r in rejects) == ["special_file", "special_file"]


def test_the_build_summary_counts_links_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE)
    (tmp_path / "in" / "again.txt").symlink_to(tmp_path / "in" / "page.txt")
    summary, records, rejects = _build(tmp_path, tmp_path / "in")
    assert len(records) == 1 and [r["raw_path"] for r in rejects] == ["again.txt"]
    assert summary["rejects_by_reason"] == {"symlink": 1}

