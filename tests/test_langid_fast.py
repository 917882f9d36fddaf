"""The vectorized language identifier answers exactly as py3langid does, score included."""

from __future__ import annotations

import py3langid
import pytest

from benchmarks.articles import article
from builder.normalize import langid_fast
from builder.normalize.langid_fast import identifier

TEXTS = [
    "",
    " ",
    "a",
    "The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
    "THE MINISTER SAID THE BRIDGE WILL OPEN NEXT MONTH",
    "قال وزير المالية إن الموازنة الجديدة ستخفض العجز خلال ثلاث سنوات.",
    "Le gouvernement a présenté mardi un plan pour moderniser les chemins de fer.",
    "Die Regierung hat am Dienstag einen Plan zur Modernisierung der Bahn vorgestellt.",
    "El ministro anunció ayer un nuevo programa de vivienda para familias jóvenes.",
    "Министр заявил, что новый мост откроют в следующем месяце.",
    "وزیر گفت که پل جدید ماه آینده افتتاح می‌شود.",
    "2020-02-07 12:00 ١٢٣٤ 42%",
    "😀 ok 👍",
    "mixed العربية and English in one line",
    "x" * 3000,
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_label_and_score_as_py3langid(text: str) -> None:
    assert identifier().classify(text) == py3langid.classify(text)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_same_answer_on_article_length_text(language: str) -> None:
    for index in range(40):
        text = "\n\n".join(article(7, index, language).paragraphs)[:2000]
        assert identifier().classify(text) == py3langid.classify(text), index


@pytest.mark.parametrize("batch", [1, 2, 3, 16, 100])
def test_many_texts_at_once_answer_as_one_at_a_time(batch: int) -> None:
    """Texts classified together (of any length, empty ones too) get their own answers."""
    texts = TEXTS + ["\n\n".join(article(7, i, lang).paragraphs)[:600]
                     for i in range(20) for lang in ("en", "ar")]
    together = []
    for start in range(0, len(texts), batch):
        together += identifier().classify_many(texts[start : start + batch])
    assert together == [py3langid.classify(text) for text in texts]


def test_texts_split_into_groups_answer_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the size one sort key can hold, texts go in several groups, answers unchanged."""
    monkeypatch.setattr(langid_fast, "_MAX_GROUP_TEXTS", 3)
    monkeypatch.setattr(langid_fast, "_MAX_GROUP_BYTES", 200)
    texts = [t for t in TEXTS if len(t.encode()) <= 200]
    assert identifier().classify_many(texts) == [py3langid.classify(text) for text in texts]
