"""py3langid's model as the arrays `langid_fast` computes with, cached on disk ready to map.

Loading py3langid's bundled model takes most of a second of CPU in every process
that identifies languages (an LZMA-compressed file, then lists of 100,000 entries,
then the automaton's depth and a 57 MB float32 copy of the score table for BLAS):
as long as language identification of a few thousand pages. The arrays it ends in
are therefore written once, uncompressed, to a cache folder named after the SHA-256
of py3langid's model file, and later processes map them from there (no copy: worker
processes share the pages through the operating system's cache).

The cache folder is `$NEWS_BUILDER_CACHE`, else `$XDG_CACHE_HOME/news-builder`, else
`~/.cache/news-builder`. It is only a copy: a missing, unwritable or damaged cache
means loading from py3langid, as without it; a build's outputs never depend on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
from py3langid import langid

from ..write.jsonl import DIR_MODE

CACHE_FORMAT = 1
_ARRAYS = ("next_move", "row_base", "output", "table", "prior")


class ModelArrays(NamedTuple):
    next_move: np.ndarray  # uint32: the automaton's transitions, 256 per distinct row
    row_base: np.ndarray  # int32: each state's row offset into next_move
    output: np.ndarray  # int32: the feature each state emits, -1 for none
    table: np.ndarray  # float32 (features x classes): log-probabilities, widened from float16
    prior: np.ndarray  # float32 (classes): log prior of each class
    classes: list[str]
    alias_pairs: list[tuple[int, int]]  # (first, duplicate) columns of a label listed twice
    depth: int  # the longest byte string a state stands for (see langid_fast)


def _depth(next_move: np.ndarray, row_base: np.ndarray) -> int:
    """The longest shortest path from the start state: the automaton's string length bound.

    Breadth-first, one vectorized step per level (a state-by-state walk took 4 s).
    """
    depth = np.full(len(row_base), -1, dtype=np.int64)
    depth[0] = 0
    frontier, level = np.zeros(1, dtype=np.int64), 0
    while len(frontier):
        reached = np.zeros(len(row_base), dtype=bool)
        reached[
            next_move[(row_base[frontier].astype(np.int64)[:, None] + np.arange(256)).ravel()]
        ] = True
        frontier = np.flatnonzero(reached & (depth < 0))
        level += 1
        depth[frontier] = level
    return int(depth.max())


def from_py3langid(model: langid.LanguageIdentifier) -> ModelArrays:
    """The arrays of a loaded py3langid model (raw scores only)."""
    if model._norm_probs:
        raise ValueError("langid_fast computes raw scores; the model normalizes probabilities")
    next_move = np.frombuffer(model.tk_nextmove, dtype=np.uint32)  # a view: 39 MB
    # int32 is enough (row offsets < 2**25, features < 2**17) and halves the gathers.
    row_base = np.asarray(model._rowbase, dtype=np.int32)
    # Mixed float16 @ float32 products take numpy's slow generic loop, and widening the
    # gathered rows on every call costs more than the scoring; with a float32 table
    # the product goes to BLAS. The values are the same, so the sums are too.
    return ModelArrays(
        next_move=next_move,
        row_base=row_base,
        output=np.asarray(model.tk_output, dtype=np.int32),
        table=model.nb_ptc.astype(np.float32),
        prior=np.asarray(model.nb_pc, dtype=np.float32),
        classes=list(model.nb_classes),
        alias_pairs=[tuple(pair) for pair in model._alias_pairs],
        depth=_depth(next_move, row_base),
    )


def cache_root() -> Path:
    if os.environ.get("NEWS_BUILDER_CACHE"):
        return Path(os.environ["NEWS_BUILDER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "news-builder"


def model_file() -> Path:
    return Path(langid.MODEL_DIR) / langid.MODEL_FILE


def _folder(root: Path) -> Path:
    digest = hashlib.sha256(model_file().read_bytes()).hexdigest()[:16]
    return root / f"langid-{digest}-v{CACHE_FORMAT}"


def _read(folder: Path) -> ModelArrays | None:
    """The cached arrays, mapped read-only; None when missing or not what was written."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        # Plain arrays over the mapping: numpy's memmap class indexes through Python code,
        # which cost more than the gathers themselves.
        arrays = {
            name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS
        }
        found = ModelArrays(**arrays, classes=list(meta["classes"]), depth=int(meta["depth"]),
                            alias_pairs=[(int(a), int(b)) for a, b in meta["alias_pairs"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    classes = len(found.classes)
    if (found.table.shape[1:] != (classes,) or found.prior.shape != (classes,)
            or found.row_base.shape != found.output.shape or len(found.next_move) % 256):
        return None
    return found


def _write(folder: Path, arrays: ModelArrays) -> None:
    """Write the cache folder whole or not at all (a temporary folder renamed into place)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
    try:
        temporary.chmod(DIR_MODE)  # the cache may be shared by the users of a machine
        for name in _ARRAYS:
            np.save(temporary / f"{name}.npy", getattr(arrays, name))
        meta = {"classes": arrays.classes, "alias_pairs": arrays.alias_pairs, "depth": arrays.depth}
        (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)  # a damaged copy, if _read refused one
        os.rename(temporary, folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)  # another process was first, or failed


def load(root: Path | None = None) -> ModelArrays:
    """The model's arrays: from the cache when it holds them, else from py3langid (then cached)."""
    try:
        folder = _folder(cache_root() if root is None else root)
    except OSError:
        return from_py3langid(langid._get_identifier())
    cached = _read(folder)
    if cached is not None:
        return cached
    arrays = from_py3langid(langid._get_identifier())
    try:
        _write(folder, arrays)
    except OSError:
        pass  # an unwritable cache only costs the next process this load again
    return arrays
