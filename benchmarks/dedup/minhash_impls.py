"""MinHash implementations on the same news texts and the same word shingles.

Chooses what builder.dedup uses: shingling and signature time per document for
datasketch (per document, and its bulk API), rensa per document on shingle strings, a
numpy-vectorized MinHash, and rensa on the batch-hashed shingles builder.dedup computes.

    python -m benchmarks.dedup.minhash_impls --docs 5000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from benchmarks.dedup.generate import generate
from builder.dedup.features import _distinct_sets, shingle_hashes, token_hashes
from builder.dedup.keys import tokens
from builder.dedup.params import DedupParams

_DEFAULTS = DedupParams()
SIZE, PERM, SEED, BATCH = _DEFAULTS.shingle_size, _DEFAULTS.num_perm, _DEFAULTS.seed, 256


def _string_shingles(texts: list[str]) -> list[list[bytes]]:
    out = []
    for text in texts:
        words = tokens(text)
        out.append(
            [" ".join(words[i : i + SIZE]).encode() for i in range(max(1, len(words) - SIZE + 1))]
        )
    return out


def _hashed_shingles(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        hashes, words = token_hashes(batch)
        out.append(_distinct_sets(*shingle_hashes(hashes, words, SIZE), len(batch)))
    return out


def datasketch_each(shingles: list[list[bytes]]) -> None:
    from datasketch import MinHash

    for items in shingles:
        MinHash(num_perm=PERM, seed=SEED).update_batch(items)


def datasketch_bulk(shingles: list[list[bytes]]) -> None:
    from datasketch import MinHash

    MinHash.bulk(shingles, num_perm=PERM, seed=SEED)


def rensa_each(shingles: list[list[bytes]]) -> None:
    import rensa

    for items in shingles:
        minhash = rensa.RMinHash(PERM, SEED)
        minhash.update(items)
        minhash.digest()


def numpy_minhash(batches: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Multiply-shift hashing of the 32-bit shingle hashes, minimum per document."""
    rng = np.random.default_rng(SEED)
    a = rng.integers(1, 2**63, PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, PERM, dtype=np.uint64)
    for values, offsets in batches:
        x = values.astype(np.uint64)
        with np.errstate(over="ignore"):
            for chunk in range(0, PERM, 16):
                hashed = (
                    a[chunk : chunk + 16, None] * x[None, :] + b[chunk : chunk + 16, None]
                ) >> np.uint64(32)
                np.minimum.reduceat(hashed, offsets[:-1], axis=1)


def rensa_matrix(batches: list[tuple[np.ndarray, np.ndarray]]) -> None:
    import rensa

    for values, offsets in batches:
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            values.astype(np.uint64), offsets.astype(np.uint64), PERM, SEED
        )
        np.array(matrix.to_rows(), dtype=np.uint32)


def _timed(function: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    args = parser.parse_args(argv)
    records, _ = generate(args.docs, seed=2)
    texts = [r["text"] for r in records]
    n = len(texts)
    t_strings = _timed(_string_shingles, texts)
    strings = _string_shingles(texts)
    t_hashed = _timed(_hashed_shingles, texts)
    batches = _hashed_shingles(texts)
    rows = [
        (
            "datasketch MinHash, per document",
            "strings",
            t_strings,
            _timed(datasketch_each, strings),
        ),
        ("datasketch MinHash.bulk", "strings", t_strings, _timed(datasketch_bulk, strings)),
        ("rensa RMinHash, per document", "strings", t_strings, _timed(rensa_each, strings)),
        ("numpy multiply-shift MinHash", "batch-hashed", t_hashed, _timed(numpy_minhash, batches)),
        (
            "rensa digest matrix (builder.dedup)",
            "batch-hashed",
            t_hashed,
            _timed(rensa_matrix, batches),
        ),
    ]
    print(f"{n:,} documents, word {SIZE}-shingles, {PERM} permutations\n")
    print("| implementation | shingles | shingling docs/s | MinHash docs/s | together docs/s |")
    print("|---|---|---:|---:|---:|")
    for name, kind, shingling, minhash in rows:
        print(
            f"| {name} | {kind} | {n / shingling:,.0f} | {n / minhash:,.0f} | "
            f"{n / (shingling + minhash):,.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
