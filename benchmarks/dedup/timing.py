"""CPU time of `dedup_files` for two versions of `builder`, alternated on one corpus.

The machine may be shared, so one run of each says little: the two versions run
A/B/A/B... (each run in a fresh process, one process, default parameters) on the same
records file, and the CPU seconds of each run (user + system, resource.getrusage of the
child) are reported, with the fastest and the median per version.

    python -m benchmarks.dedup.timing --corpus DIR --compare 15dcf2a [--rounds 3]
        [--new REV] [--keep OUT]

`--compare REV` is the old version (`git archive REV builder`); the new one is the
working tree's `builder`, or `--new REV`. `--corpus` is a folder holding records.jsonl
(python -m benchmarks.dedup.generate --docs N --seed 2 --out DIR). With `--keep OUT`
the outputs of each version's first run are kept in OUT/old and OUT/new, so they can
be compared byte for byte (cmp).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child(corpus: Path, out: Path) -> None:
    """One run, in this process: print its CPU and wall seconds as JSON."""
    from builder.dedup import Source, dedup_files

    out.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    dedup_files([Source(corpus / "records.jsonl")], out / "records.jsonl", out / "report.jsonl")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"cpu": cpu, "wall": wall}))


def export(rev: str, into: Path) -> Path:
    """`builder` of a git revision, extracted under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "builder"], check=True, capture_output=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    archive_path = into / "builder.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(into, filter="data")
    return into


def run_once(code: Path, corpus: Path, out: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus), str(out)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=str(code),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(label: str, cpus: list[float]) -> str:
    listed = ", ".join(f"{c:.2f}" for c in cpus)
    return f"{label}: {listed} (fastest {min(cpus):.2f}, median {statistics.median(cpus):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--compare", default="15dcf2a", help="the old revision")
    parser.add_argument("--new", help="the new revision (default: the working tree)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep each version's first outputs here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.corpus is None or not (args.corpus / "records.jsonl").is_file():
        parser.error("--corpus must be a folder holding records.jsonl")
    args.corpus = args.corpus.resolve()
    if args.keep:
        args.keep = args.keep.resolve()
    with tempfile.TemporaryDirectory(prefix="dedup-timing-") as tmp:
        work = Path(tmp)
        codes = {
            "old": export(args.compare, work / "old"),
            "new": export(args.new, work / "new") if args.new else ROOT,
        }
        cpus: dict[str, list[float]] = {"old": [], "new": []}
        for round_number in range(args.rounds):
            for name, code in codes.items():
                out = work / f"out-{name}"
                if args.keep and round_number == 0:
                    out = args.keep / name
                result = run_once(code, args.corpus, out)
                cpus[name].append(result["cpu"])
                load = os.getloadavg()[0]
                print(
                    f"round {round_number + 1} {name}: cpu {result['cpu']:.2f}s "
                    f"wall {result['wall']:.2f}s load {load:.2f}",
                    file=sys.stderr,
                    flush=True,
                )
        for name in ("old", "new"):
            print(summary(f"{name} ({args.compare if name == 'old' else args.new or 'tree'})",
                          cpus[name]))
        fast = min(cpus["new"]) / min(cpus["old"]) - 1
        median = statistics.median(cpus["new"]) / statistics.median(cpus["old"]) - 1
        print(f"change: {fast:+.1%} fastest, {median:+.1%} median, load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
