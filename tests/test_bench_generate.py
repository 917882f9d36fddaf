"""The benchmark's synthetic crawl: deterministic, every page kind present, duplicates real."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from benchmarks.generate import MANIFEST, generate
from builder.read.files import iter_inputs


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", pages=60, seed=1)
    generate(tmp_path / "b", pages=60, seed=1)
    generate(tmp_path / "c", pages=60, seed=2)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_crawl_has_every_kind_of_page(tmp_path: Path) -> None:
    stats = generate(tmp_path, pages=400, seed=0)
    names = [f.raw_path for f in iter_inputs([tmp_path], exclude=[tmp_path / MANIFEST])]
    assert any(n.startswith("aggregator/") and n.endswith(".txt") for n in names)
    assert any(n.endswith(".txt.gz") for n in names) and any(n.endswith(".html") for n in names)
    assert any(n.startswith("warc/") and n.endswith(".warc.gz") for n in names)
    assert any(n.startswith("broken/") for n in names)
    roles = {key.rsplit(":", 1)[1] for key in stats["counts"]}
    assert {"original", "exact", "near", "broken"} <= roles
    dumps = [tmp_path / n for n in names if n.startswith("aggregator/") and n.endswith(".txt")]
    texts = [p.read_bytes() for p in dumps]
    assert any(b"Published in " in t for t in texts)
    assert any("نشر في".encode() in t for t in texts)  # Arabic dumps in UTF-8
    assert any(b"\xe4" in t and b"Published" not in t for t in texts)  # and some in cp1256


def test_exact_duplicates_repeat_an_earlier_article(tmp_path: Path) -> None:
    generate(tmp_path, pages=300, seed=4)
    bodies: dict[bytes, int] = {}
    for path in sorted((tmp_path / "aggregator").rglob("*.txt*")):
        data = path.read_bytes()
        data = gzip.decompress(data) if path.name.endswith(".gz") else data
        # ticker / widget / title, date line and body / footer, split by the blank-line runs
        body = data.split(b"\n\n\n")[-2]
        bodies[body] = bodies.get(body, 0) + 1
    repeated = sum(count - 1 for count in bodies.values())
    assert 1 <= repeated < 0.2 * sum(bodies.values())  # some exact copies, most pages unique
