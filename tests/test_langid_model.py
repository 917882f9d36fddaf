"""The language model's arrays: cached on disk, mapped back, rebuilt when damaged or missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import py3langid
import pytest

from builder.normalize import langid_model
from builder.normalize.langid_fast import FastIdentifier

TEXTS = [
    "",
    "The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
    "قال وزير المالية إن الموازنة الجديدة ستخفض العجز خلال ثلاث سنوات.",
    "Le gouvernement a présenté mardi un plan pour moderniser les chemins de fer.",
]


def _answers(model: langid_model.ModelArrays) -> list[tuple[str, float]]:
    return FastIdentifier(model).classify_many(TEXTS)


def test_cached_model_is_mapped_and_answers_as_py3langid(tmp_path: Path) -> None:
    first = langid_model.load(tmp_path)
    again = langid_model.load(tmp_path)
    assert isinstance(again.table.base, np.memmap)  # read from the cache, not loaded again
    expected = [py3langid.classify(text) for text in TEXTS]
    assert _answers(first) == _answers(again) == expected


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    langid_model.load(tmp_path)
    [folder] = tmp_path.iterdir()
    table = folder / "table.npy"
    table.write_bytes(table.read_bytes()[: 1 << 20])  # cut short, as by a full disk
    model = langid_model.load(tmp_path)
    assert _answers(model) == [py3langid.classify(text) for text in TEXTS]
    assert isinstance(langid_model.load(tmp_path).table.base, np.memmap)  # written whole again


def test_unwritable_cache_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("NEWS_BUILDER_CACHE", str(blocked))
    model = langid_model.load()
    assert _answers(model) == [py3langid.classify(text) for text in TEXTS]


def test_cache_with_damaged_description_is_rebuilt(tmp_path: Path) -> None:
    langid_model.load(tmp_path)
    [folder] = tmp_path.iterdir()
    (folder / "meta.json").write_text('{"classes": []}')
    assert _answers(langid_model.load(tmp_path)) == [py3langid.classify(text) for text in TEXTS]
