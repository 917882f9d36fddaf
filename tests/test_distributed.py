"""The Ray backend writes the same records, rejects and summary as a local build.

The test starts its own single-machine Ray cluster (two CPUs) and stops it at the end;
the CLI test joins that cluster by address, as a build on a real cluster would.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import orjson
import pytest

from benchmarks.generate import MANIFEST, generate
from builder.pipeline.runner import BuildOptions, build

ray = pytest.importorskip(
    "ray", reason="Ray is not installed: pip install 'news-builder[distributed]'"
)


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a build wrote (records, rejects, summary, and the dedup report when dedup ran)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Ray cluster for this module; yields its address."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crawl")
    generate(root, pages=45, seed=11)
    return root


def _options(crawl: Path, out: Path, **changes: object) -> BuildOptions:
    options = BuildOptions(
        inputs=[crawl], out=out, manifest=crawl / MANIFEST, workers=2, progress=False
    )
    for name, value in changes.items():
        setattr(options, name, value)
    return options


@pytest.fixture(scope="module")
def local(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of a local build, every stage included."""
    out = tmp_path_factory.mktemp("local")
    build(_options(crawl, out))
    return _outputs(out)


@pytest.fixture(scope="module")
def parsed(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """Every valid record of the crawl before dedup: what the dedup stage is given."""
    out = tmp_path_factory.mktemp("parsed")
    build(_options(crawl, out, dedup=False))
    return [orjson.loads(line) for line in (out / "records.jsonl").read_bytes().splitlines()]


def test_ray_build_matches_local_build(
    cluster: str, crawl: Path, local: dict[str, bytes], tmp_path: Path
) -> None:
    build(_options(crawl, tmp_path, backend="ray"))
    assert _outputs(tmp_path) == local
    assert local["records.jsonl"].count(b"\n") > 30


def test_cli_build_on_a_cluster_by_address(
    cluster: str, crawl: Path, local: dict[str, bytes], tmp_path: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "builder.cli",
        "build",
        str(crawl),
        "--manifest",
        str(crawl / MANIFEST),
        "--out",
        str(tmp_path),
        "--backend",
        "ray",
        "--address",
        cluster,
        "--quiet",
    ]
    subprocess.run(command, check=True, timeout=300, capture_output=True)
    assert _outputs(tmp_path) == local


def test_band_group_by_on_ray_finds_the_same_pairs(cluster: str) -> None:
    pytest.importorskip("builder.dedup", reason="the dedup stage is not installed")
    from builder.dedup import DedupParams
    from builder.dedup.lsh import likely_pairs
    from builder.executors.ray import RayExecutor

    params = DedupParams()
    generator = np.random.default_rng(5)
    docs = np.arange(0, 120, 2, dtype=np.int64)
    # Band keys from a tiny alphabet collide often; sketches agree on most bytes.
    bands = [generator.integers(0, 3, size=len(docs)).astype(np.uint32) for _ in range(8)]
    sketch = np.zeros((120, params.num_perm), dtype=np.uint8)
    sketch[docs] = generator.integers(0, 2, size=(len(docs), params.num_perm))

    def everything(pairs: np.ndarray) -> np.ndarray:
        return np.ones(len(pairs), dtype=bool)

    expected, counts = likely_pairs(iter(bands), docs, sketch, everything, params, map)
    assert len(expected) > 50 and counts["bucket_pairs"] >= len(expected)
    found = likely_pairs(iter(bands), docs, sketch, everything, params, RayExecutor().map)
    assert np.array_equal(found[0], expected) and found[1] == counts


def test_ray_dedup_matches_local_dedup(cluster: str, parsed: list[dict]) -> None:
    pytest.importorskip("builder.dedup", reason="the dedup stage is not installed")
    from builder.dedup import deduplicate
    from builder.dedup.params import DedupSizes
    from builder.executors.ray import RayExecutor

    records = parsed
    expected = deduplicate(records)
    assert expected.report, "the crawl has duplicates to find"
    # Tiny index batches, so the index really is many Ray tasks.
    found = deduplicate(records, executor=RayExecutor(), sizes=DedupSizes(batch_docs=7))
    assert found.survivors == expected.survivors
    assert found.report == expected.report
    assert found.stats == expected.stats
