"""Pipeline benchmark: pages/s per stage and end to end, peak memory, and reference jobs.

    python -m benchmarks.bench_pipeline --pages 10000 100000 --workers 1 all

generates (or reuses) a synthetic crawl of each size under --work, then prints one
markdown table per size: each stage alone, the `builder build` command end to end
with each worker count (whole corpus, aggregator dumps only, HTML files only), and
the references that make the numbers read as ratios. `nox -s bench` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import references
from .generate import MANIFEST, STATS, generate
from .measure import machine, run_measured
from .stages import (
    STAGES,
    bare_extractor,
    builder_validate_loop,
    copy_floor,
    html_files,
    input_files,
    plain_jsonschema_loop,
    stage_pass,
)

# The per-core targets of the scale issue, printed beside the measured numbers.
TARGET_AGGREGATOR_PAGES_PER_S = 8000
TARGET_HTML_OVERHEAD = 0.10
TARGET_VALIDATE_SHARE = 0.10
TARGET_TWO_WORKER_SPEEDUP = 1.7
BARE_EXTRACTOR = "reference: trafilatura bare_extraction alone, HTML files"


@dataclass
class Row:
    measure: str
    pages: int
    seconds: float
    peak_mib: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # end-to-end rows: CPU time of the build and its workers

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


def corpus(work: Path, pages: int, seed: int) -> Path:
    """The synthetic crawl of this size, generated once and reused by later runs."""
    root = work / f"corpus-{pages}-seed{seed}"
    stats = root / STATS
    if stats.is_file() and json.loads(stats.read_text())["pages"] == pages:
        return root
    shutil.rmtree(root, ignore_errors=True)
    print(f"generating {pages} pages into {root} ...", file=sys.stderr)
    generate(root, pages, seed)
    return root


def _build(inputs: Path, manifest: Path | None, out: Path, workers: int) -> tuple[Row, dict]:
    command = [
        sys.executable,
        "-m",
        "builder.cli",
        "build",
        str(inputs),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--quiet",
    ]
    if manifest:
        command += ["--manifest", str(manifest)]
    result = run_measured(command, env={**os.environ, "PYTHONHASHSEED": "0"})
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}): {result.stderr[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    row = Row("", summary["pages"], result.seconds, result.peak_mib, cpu_seconds=result.cpu_seconds)
    return row, summary


def _end_to_end_round(root: Path, tmp: Path, workers: list[int], html: bool) -> list[Row]:
    """One round: `builder build` of an empty folder, of the whole corpus per worker count,
    of each share alone, then (with html) bare trafilatura on the HTML files."""
    tmp.mkdir(parents=True)
    manifest = root / MANIFEST
    empty = tmp / "empty"
    empty.mkdir()
    row, _ = _build(empty, None, tmp / "startup", 1)
    row.measure = "builder startup: build of an empty folder"
    rows = [row]
    for count in workers:
        row, _ = _build(root, manifest, tmp / f"all-{count}", count)
        row.measure = f"end to end, all pages, --workers {count}"
        rows.append(row)
    shares = [("aggregator", "aggregator dumps"), ("html", "HTML files")][: 2 if html else 1]
    for share, label in shares:
        row, _ = _build(root / share, None, tmp / f"{share}-1", 1)
        row.measure = f"end to end, {label} only, --workers 1"
        rows.append(row)
    if html:
        seconds, pages = bare_extractor(html_files(root))
        rows.append(Row(BARE_EXTRACTOR, pages, seconds))
    return rows


def _fastest(rounds: list[list[Row]]) -> list[Row]:
    """Per measure, the fastest round (its CPU time with it) and the highest peak memory;
    with several rounds the note lists every time, so the spread stays in view."""
    best = []
    for same in zip(*rounds, strict=True):
        row = min(same, key=lambda r: r.seconds)
        peaks = [r.peak_mib for r in same if r.peak_mib is not None]
        row.peak_mib = max(peaks) if peaks else None
        if len(same) > 1:
            row.note = f"fastest of {len(same)}: " + ", ".join(f"{r.seconds:.2f}" for r in same)
        best.append(row)
    return best


def _add_note(row: Row, note: str) -> None:
    row.note = f"{note}; {row.note}" if row.note else note


def _compare(rows: list[Row], workers: list[int], html: bool) -> None:
    """The notes that read the end-to-end rows as ratios and against the targets."""
    _add_note(rows[0], "fixed cost inside every end-to-end row")
    first, last = rows[1], rows[len(workers)]
    if len(workers) > 1 and last.seconds > 0:
        note = (
            f"{first.seconds / last.seconds:.2f}x the speed of --workers {workers[0]} "
            f"(target {TARGET_TWO_WORKER_SPEEDUP}x at 2 cores)"
        )
        if first.cpu_seconds and last.cpu_seconds:
            # CPU time per page says what parallelism costs, whatever else shares the cores.
            note += f"; {last.cpu_seconds / first.cpu_seconds:.2f}x its CPU time"
        _add_note(last, note)
    _add_note(rows[len(workers) + 1], f"target {TARGET_AGGREGATOR_PAGES_PER_S} pages/s per core")
    if html and rows[-1].rate and rows[-2].rate:
        overhead = rows[-1].rate / rows[-2].rate - 1
        target = f"target at most +{TARGET_HTML_OVERHEAD:.0%}"
        _add_note(rows[-2], f"{overhead:+.1%} time over bare trafilatura ({target})")


def end_to_end(
    root: Path, tmp: Path, workers: list[int], html: bool, repeat: int = 1
) -> list[Row]:
    """The end-to-end rows (and bare trafilatura), fastest of `repeat` rounds.

    Rounds run one after the other, each measuring every row once, so a change in the
    machine's speed (a shared host) falls on the rows compared with each other alike.
    Only the first round's outputs are kept (the reference rows read its records).
    """
    rounds = []
    for index in range(repeat):
        folder = tmp / f"round-{index}"
        rounds.append(_logged(_end_to_end_round(root, folder, workers, html)))
        if index:
            shutil.rmtree(folder)
    rows = _fastest(rounds)
    _compare(rows, workers, html)
    return rows


def stage_rows(root: Path, tmp: Path) -> list[Row]:
    timer = stage_pass(root, root / MANIFEST, tmp / "stage-records.jsonl")
    total = sum(timer.seconds[s] for s in STAGES)
    rows = []
    for stage in [*STAGES[:2], "decode+parse aggregator_text", "decode+parse html", *STAGES[2:]]:
        share = timer.seconds[stage] / total if total else 0.0
        note = f"{share:.1%} of stage time" if stage in STAGES else ""
        if stage == "validate":
            note += f" (target at most {TARGET_VALIDATE_SHARE:.0%})"
        rows.append(Row(f"stage: {stage}", timer.items[stage], timer.seconds[stage], note=note))
    return rows


def reference_rows(root: Path, tmp: Path, records: Path, total_pages: int) -> list[Row]:
    rows = []
    seconds, count = plain_jsonschema_loop(records)
    rows.append(
        Row("reference: json.loads + jsonschema.validate loop over the records", count, seconds)
    )
    seconds, count = builder_validate_loop(records)
    rows.append(
        Row(
            "builder: orjson + compiled validator over the same records",
            count,
            seconds,
            note=f"{rows[-1].seconds / seconds:.1f}x the plain loop" if seconds else "",
        )
    )
    seconds = copy_floor(input_files(root, root / MANIFEST), tmp / "floor.bin")
    rows.append(Row("reference: read + write the same bytes (floor)", total_pages, seconds))
    try:
        # The build's records are deduplicated already; the dedup rows take the stage
        # pass's records, every valid page before dedup.
        rows.extend(references.minhash_rows(tmp / "stage-records.jsonl"))
    except Exception as exc:  # a reference that breaks must not lose the rows measured so far
        rows.append(
            Row("dedup and MinHash rows", 0, 0.0, note=f"failed: {type(exc).__name__}: {exc}")
        )
    return rows


def _table(rows: list[Row], cores: int) -> str:
    lines = [
        "| measure | pages | seconds | pages/s | pages/s per core | CPU s | peak memory | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        workers = int(row.measure.rsplit("--workers", 1)[1]) if "--workers" in row.measure else 1
        per_core = row.rate / min(workers, cores)
        peak = f"{row.peak_mib:,.0f} MiB" if row.peak_mib is not None else ""
        cpu = f"{row.cpu_seconds:.1f}" if row.cpu_seconds is not None else ""
        lines.append(
            f"| {row.measure} | {row.pages:,} | {row.seconds:.2f} | {row.rate:,.0f} | "
            f"{per_core:,.0f} | {cpu} | {peak} | {row.note} |"
        )
    return "\n".join(lines)


def _logged(rows: list[Row]) -> list[Row]:
    """Rows as they are measured, on stderr, so a long run shows progress and keeps them."""
    for row in rows:
        print(
            f"  {row.measure}: {row.pages:,} pages in {row.seconds:.2f}s "
            f"({row.rate:,.0f}/s) {row.note}",
            file=sys.stderr,
            flush=True,
        )
    return rows


def bench_size(
    root: Path, workers: list[int], html: bool = True, repeat: int = 1
) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        tmp = Path(name)
        rows = _logged(stage_rows(root, tmp))
        e2e = end_to_end(root, tmp, workers, html, repeat)
        records = tmp / "round-0" / f"all-{workers[0]}" / "records.jsonl"
        references = _logged(reference_rows(root, tmp, records, e2e[1].pages))
        return rows + e2e + references


def _workers(values: list[str]) -> list[int]:
    cores = os.cpu_count() or 1
    return sorted({cores if v == "all" else int(v) for v in values})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_pipeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--workers", nargs="+", default=["1", "all"], help="worker counts; 'all' = every core"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work", type=Path, default=Path("out/bench"), help="where corpora are kept"
    )
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--html-comparison-up-to",
        type=int,
        metavar="PAGES",
        help="run the HTML-only build and bare trafilatura only for sizes up to this",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run the end-to-end rows and bare trafilatura N times in turn and keep the "
        "fastest (a shared machine's speed drifts; the note lists every time)",
    )
    args = parser.parse_args(argv)
    facts = machine()
    head = [
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in facts.items()],
        f"- builder commit: {_commit()}",
        "",
    ]
    print("\n".join(head), flush=True)
    sections = ["\n".join(head)]
    for pages in args.pages:
        root = corpus(args.work, pages, args.seed)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
        limit = args.html_comparison_up_to
        html = limit is None or pages <= limit
        rows = bench_size(root, _workers(args.workers), html, max(1, args.repeat))
        text = (
            f"## {pages:,} pages ({size:,.0f} MB on disk)\n\n{_table(rows, int(facts['cores']))}\n"
        )
        print(text, flush=True)
        sections.append(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(sections), encoding="utf-8")
    return 0


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
