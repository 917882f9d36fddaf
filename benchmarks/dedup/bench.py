"""Dedup benchmark: quality and speed of builder.dedup against a plain datasketch baseline.

For each corpus size, in one run: the labelled corpus is generated (generate.py) and
written once; then each measured step runs in its own process (so its peak memory is
its own) on the same records:

- signatures: shingling + MinHash of every text, as the dedup stage computes them;
- rensa_text: MinHash as a user of a fast library computes it from raw text (word
  shingle strings, rensa's RMinHash per document): the reference of the 2x target;
- ours: builder.dedup streaming from the records file, default parameters;
- datasketch: MinHash (128 permutations) of the same word shingles, MinHashLSH at the
  same threshold, every LSH candidate merged (union-find, no verification).

Pair precision/recall/F1 count pairs of documents put in one cluster against pairs of
one story; cluster scores count clusters (2+ documents) reproduced exactly.

    python -m benchmarks.dedup.bench --docs 10000 100000 --markdown out/bench/dedup.md
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.dedup.generate import generate
from benchmarks.dedup.metrics import cluster_scores, pair_scores, predicted_clusters, recall_by
from builder.write.jsonl import read_jsonl, write_jsonl

STEPS = ("signatures", "rensa_text", "ours", "datasketch")
BASELINE_PERM = 128  # datasketch's default, what a plain user of it runs


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over fork and exec, so a step would report the parent's peak (the parent
    held the generated corpus) instead of its own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _scores(assignment: dict[str, str], truth_rows: list[dict[str, Any]]) -> dict[str, Any]:
    truth = {t["raw_path"]: t["story"] for t in truth_rows}
    return {
        "pairs": pair_scores(assignment, truth),
        "clusters": cluster_scores(assignment, truth),
        "recall_by_edit_rate": recall_by(assignment, truth_rows, "edit_rate"),
        "recall_by_kind": recall_by(assignment, truth_rows, "kind"),
    }


def step_signatures(records: list[dict[str, Any]]) -> dict[str, Any]:
    """MinHash signatures alone, computed as builder.dedup computes them (same batches,
    tokens, 4-word shingles, rensa): the stricter unit the dedup time is compared with."""
    from builder.dedup.features import minhash_signatures
    from builder.dedup.params import DedupParams, DedupSizes

    params, batch = DedupParams(), DedupSizes().batch_docs
    texts = [r["text"] for r in records]
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        minhash_signatures(texts[start : start + batch], params)
    return {"seconds": time.perf_counter() - started}


def step_rensa_from_text(records: list[dict[str, Any]]) -> dict[str, Any]:
    """MinHash signatures as a user of a fast MinHash library computes them from raw
    text: word shingles as strings, rensa's RMinHash per document (same shingle size,
    permutations and seed): the reference the issue's 2x target reads against."""
    import rensa

    from builder.dedup.params import DedupParams

    params = DedupParams()
    started = time.perf_counter()
    for record in records:
        minhash = rensa.RMinHash(params.num_perm, params.seed)
        minhash.update(_shingle_strings(record["text"], params.shingle_size))
        minhash.digest()
    return {"seconds": time.perf_counter() - started}


def step_ours(folder: Path, truth: list[dict[str, Any]]) -> dict[str, Any]:
    """builder.dedup as `builder dedup` runs it: streaming from the records file to the
    output files, one process. Peak memory is taken right after it, before any record
    is loaded into this process (the streaming dedup never holds them)."""
    from builder.dedup import Source, dedup_files

    with tempfile.TemporaryDirectory(prefix="dedup-bench-out-") as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        stats = dedup_files(
            [Source(folder / "records.jsonl")], out / "records.jsonl", out / "report.jsonl"
        )
        seconds = time.perf_counter() - started
        peak = _peak_mb()
        survivors = [value for _, value in read_jsonl(out / "records.jsonl")]
        report = [value for _, value in read_jsonl(out / "report.jsonl")]
    # The machine may be shared: signatures are timed in this process right after the
    # dedup, twice, and the ratio uses the faster.
    records = [value for _, value in read_jsonl(folder / "records.jsonl")]
    signature_seconds = min(step_signatures(records)["seconds"] for _ in range(2))
    out_scores = _scores(predicted_clusters(survivors, report), truth)
    out_scores.update(
        seconds=seconds,
        signature_seconds=signature_seconds,
        peak_mb_dedup=peak,
        output_records=stats["output_records"],
        params=stats["params"],
        candidate_pairs=stats["candidate_pairs"],
        verified_pairs=stats["verified_pairs"],
        removed_by_method=stats["removed_by_method"],
    )
    return out_scores


def _shingle_strings(text: str, size: int) -> list[bytes]:
    from builder.dedup.keys import tokens

    words = tokens(text)
    if len(words) < size:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]


def datasketch_clusters(
    records: list[dict[str, Any]], threshold: float, seed: int, shingle_size: int
) -> tuple[dict[str, str], int, float]:
    """datasketch MinHashLSH at `threshold`, every candidate pair merged (union-find):
    each record's raw path -> its cluster's first path, the cluster count, seconds."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=BASELINE_PERM)
    hashes = []
    for index, record in enumerate(records):
        minhash = MinHash(num_perm=BASELINE_PERM, seed=seed)
        minhash.update_batch(_shingle_strings(record["text"], shingle_size))
        lsh.insert(index, minhash)
        hashes.append(minhash)
    parent = list(range(len(records)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for index, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            a, b = find(index), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    seconds = time.perf_counter() - started
    paths = [r["provenance"]["raw_path"] for r in records]
    assignment = {paths[i]: paths[find(i)] for i in range(len(records))}
    return assignment, len({find(i) for i in range(len(records))}), seconds


def step_datasketch(records: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    from builder.dedup.params import DedupParams

    params = DedupParams()
    assignment, clusters, seconds = datasketch_clusters(
        records, params.threshold, params.seed, params.shingle_size
    )
    out = _scores(assignment, truth)
    out.update(seconds=seconds, output_records=clusters)
    return out


def run_step(step: str, folder: Path) -> dict[str, Any]:
    """One measured step in this process (called in a fresh subprocess by main)."""
    truth = [value for _, value in read_jsonl(folder / "truth.jsonl")]
    if step == "ours":
        result = step_ours(folder, truth)
        loaded = 0.0
    else:
        records = [value for _, value in read_jsonl(folder / "records.jsonl")]
        loaded = _peak_mb()
        if step == "signatures":
            result = step_signatures(records)
        elif step == "rensa_text":
            result = step_rensa_from_text(records)
        else:
            result = step_datasketch(records, truth)
    result.update(
        step=step,
        docs=sum(1 for _ in (folder / "records.jsonl").open("rb")),
        peak_mb=result.pop("peak_mb_dedup", None) or _peak_mb(),
        peak_mb_after_loading=loaded,
    )
    result["docs_per_s"] = result["docs"] / result["seconds"]
    return result


def _subprocess(step: str, folder: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.dedup.bench",
        "--step",
        step,
        "--corpus",
        str(folder),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def _ratios(result: dict[str, Any], run: dict[str, Any]) -> str:
    """Time over our signature time (measured in the same process for ours, else in its
    own) and over rensa's signatures from raw text (its own process)."""
    ours = result["seconds"] / result.get("signature_seconds", run["signatures"]["seconds"])
    reference = result["seconds"] / run["rensa_text"]["seconds"]
    return f"{ours:.2f} | {reference:.2f}"


def _peak(result: dict[str, Any]) -> str:
    loaded = result["peak_mb_after_loading"]
    return f"{result['peak_mb']:,.0f}" + (f" ({loaded:,.0f})" if loaded else " (none)")


def table(results: list[dict[str, Any]]) -> str:
    """The benchmark table (markdown)."""
    lines = [
        "| docs | method | pair P | pair R | pair F1 | cluster P | cluster R | cluster F1 | "
        "docs/s | time / our signatures | time / rensa from text | peak MB (records loaded) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    references = (
        ("signatures", "our signatures only (shingles + MinHash)"),
        ("rensa_text", "rensa RMinHash from raw text (reference)"),
    )
    for run in results:
        for step, label in references:
            r = run[step]
            lines.append(
                f"| {run['docs']:,} | {label} | | | | | | | {r['docs_per_s']:,.0f} | "
                f"{_ratios(r, run)} | {_peak(r)} |"
            )
        for name in ("ours", "datasketch"):
            r = run[name]
            pairs, clusters = r["pairs"], r["clusters"]
            label = (
                "builder.dedup (streaming, one process)"
                if name == "ours"
                else f"datasketch MinHashLSH ({BASELINE_PERM} perm, no verification)"
            )
            lines.append(
                f"| {run['docs']:,} | {label} | {_fmt(pairs['precision'])} | "
                f"{_fmt(pairs['recall'])} | {_fmt(pairs['f1'])} | {_fmt(clusters['precision'])} | "
                f"{_fmt(clusters['recall'])} | {_fmt(clusters['f1'])} | {r['docs_per_s']:,.0f} | "
                f"{_ratios(r, run)} | {_peak(r)} |"
            )
    lines.append("")
    lines.append("Recall of copies by edit rate (share of copies that ended with their original):")
    lines.append("")
    rates = sorted(results[0]["ours"]["recall_by_edit_rate"], key=float)
    lines.append("| docs | method | " + " | ".join(f"{float(r):.0%}" for r in rates) + " |")
    lines.append("|---:|---|" + "---:|" * len(rates))
    for run in results:
        for name in ("ours", "datasketch"):
            by_rate = run[name]["recall_by_edit_rate"]
            lines.append(
                f"| {run['docs']:,} | {name} | "
                + " | ".join(_fmt(by_rate.get(r, 0.0)) for r in rates)
                + " |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--seed", type=int, default=2, help="corpus seed (defaults were chosen on seed 1)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(run_step(args.step, args.corpus)))
        return 0
    results = []
    for docs in args.docs:
        with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
            records, truth = generate(docs, args.seed)
            write_jsonl(Path(tmp) / "records.jsonl", records)
            write_jsonl(Path(tmp) / "truth.jsonl", truth)
            del records, truth
            run: dict[str, Any] = {"docs": docs, "seed": args.seed}
            for step in STEPS:
                run[step] = _subprocess(step, Path(tmp))
                print(
                    f"{docs:,} docs: {step} done in {run[step]['seconds']:.1f}s",
                    file=sys.stderr,
                    flush=True,
                )
            results.append(run)
    text = table(results)
    print(text)
    save_outputs(text, results, args.markdown, args.json)
    return 0


def save_outputs(text: str, results: list[dict[str, Any]], markdown: Path | None,
                 json_path: Path | None) -> None:
    """The printed table to `markdown` and the raw results to `json_path`, when given."""
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(text, encoding="utf-8")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
