"""The vectorized language identifier answers exactly as py3langid does, score included."""

from __future__ import annotations

import py3langid
import pytest

from benchmarks.articles import article
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
