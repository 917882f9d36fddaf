"""Bad arguments and output places: one line naming the value or path and the cause."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import SAMPLES
from .hostile import BUILDER, Run, one_line_error

HTML = SAMPLES / "pages" / "html"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "argument --workers: 0 is out of range: give 1 to 1024"),
        (["--workers", "-4"], "argument --workers: -4 is out of range: give 1 to 1024"),
        (["--workers", "two"], "argument --workers: 'two' is not a whole number"),
        (["--max-bytes", "-1"], "argument --max-bytes: -1 is out of range: give 1 to"),
        (["--max-bytes", "0"], "argument --max-bytes: 0 is out of range: give 1 to"),
    ],
)
def test_out_of_range_numbers_are_refused_with_the_valid_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["build", str(HTML), "--out", str(tmp_path / "out"), *argv])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_release_refuses_zero_workers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["release", "9.9.9", "--workers", "0"])
    assert "argument --workers: 0 is out of range" in capsys.readouterr().err


def _build_to(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", str(HTML), "--out", str(out), "--quiet", "--workers", "1"])
    return code, capsys.readouterr().err


def test_out_that_is_an_existing_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "records"
    out.write_text("keep me\n")
    code, err = _build_to(out, capsys)
    assert code == 2
    assert err.strip() == f"error: {out}: --out must be a folder, and a file of that name exists"
    assert out.read_text() == "keep me\n"


def test_out_below_a_file_is_one_line_naming_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("")
    code, err = _build_to(tmp_path / "file" / "out", capsys)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {tmp_path / 'file'}") and "Not a directory" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, err = _build_to(locked / "out", capsys)
    finally:
        locked.chmod(0o755)
    assert code == 2 and err.count("\n") == 1 and "Permission denied" in err


def _run_with_file_size_limit(argv: list[str], limit: int) -> Run:
    """Writes past `limit` bytes fail as on a full disk (EFBIG instead of ENOSPC)."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=limit_files, timeout=120, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_a_full_disk_is_one_line_naming_the_output_and_nothing_half_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    run = _run_with_file_size_limit(
        [str(BUILDER), "build", str(SAMPLES / "pages"), "--out", str(out), "--quiet",
         "--workers", "1"],
        limit=16 * 1024,
    )
    line = one_line_error(run)
    assert line.startswith("error: ") and "File too large" in line
    assert str(out) in line
    for name in ("records.jsonl", "rejects.jsonl", "summary.json"):
        assert not (out / name).exists()  # never a truncated output under its final name


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs mount (root)")
def test_a_full_tmpfs_is_one_line_no_space_left(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
        capture_output=True, check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        run = _run_with_file_size_limit(
            [str(BUILDER), "build", str(SAMPLES / "pages"), "--out", str(disk / "out"),
             "--quiet", "--workers", "1"],
            limit=resource.RLIM_INFINITY,
        )
        line = one_line_error(run)
        assert line.startswith(f"error: {disk / 'out'}") and "No space left on device" in line
    finally:
        subprocess.run(["umount", str(disk)], check=False)
