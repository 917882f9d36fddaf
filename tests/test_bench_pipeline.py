"""`nox -s bench` on a tiny crawl: every row measured, ratios read from the fastest rounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.bench_pipeline import BARE_EXTRACTOR, Row, _compare, _fastest, main


def test_bench_prints_every_row_with_a_measured_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = tmp_path / "results.md"
    code = main(
        ["--pages", "150", "--workers", "1", "2", "--repeat", "2", "--work", str(tmp_path),
         "--markdown", str(markdown)]
    )
    assert code == 0
    table = capsys.readouterr().out
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| measure")}
    for measure in ("stage: read", "stage: validate", "end to end, all pages, --workers 1",
                    "end to end, all pages, --workers 2", BARE_EXTRACTOR,
                    "reference: read + write the same bytes (floor)",
                    "reference: rensa word 5-shingles + MinHash(128) alone"):
        cells = rows[measure].split(" | ")
        assert float(cells[3].replace(",", "")) > 0, f"{measure} has no rate"
    assert re.search(r"fastest of 2: [\d.]+, [\d.]+", rows["end to end, all pages, --workers 2"])
    assert "x the speed of --workers 1" in rows["end to end, all pages, --workers 2"]
    assert "time over bare trafilatura" in rows["end to end, HTML files only, --workers 1"]
    assert rows["end to end, all pages, --workers 2"] in markdown.read_text(encoding="utf-8")


def test_fastest_round_sets_each_ratio_and_the_highest_memory() -> None:
    def round_(seconds: list[float], peak: float) -> list[Row]:
        names = ["startup", "w1", "w2", "aggregator", "html", "bare"]
        pairs = zip(names, seconds, strict=True)
        return [Row(n, 100, s, peak_mib=peak, cpu_seconds=s) for n, s in pairs]

    rows = _fastest([round_([1, 20, 14, 4, 12, 10], 300), round_([1, 18, 10, 5, 11, 11], 200)])
    _compare(rows, workers=[1, 2], html=True)
    assert [r.seconds for r in rows] == [1, 18, 10, 4, 11, 10]
    assert all(r.peak_mib == 300 for r in rows)
    assert rows[2].note.startswith("1.80x the speed of --workers 1")
    assert rows[4].note.startswith("+10.0% time over bare trafilatura")
    assert rows[3].note.startswith("target 8000 pages/s per core; fastest of 2: 4.00, 5.00")
