"""Figures of the dataset card, drawn headless (Agg) into PNGs whose bytes depend only on the data.

They are drawn from counts (stats.RecordStats), not from the records themselves.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from pathlib import Path

from ..write.jsonl import atomic_output
from .stats import RecordStats

FIGURES_DIR = "figures"
PER_MONTH = f"{FIGURES_DIR}/records_per_month.png"
TEXT_LENGTH = f"{FIGURES_DIR}/text_length.png"
# PNG text chunks matplotlib would add (its version as Software); dropped so a rebuild
# with the same data gives the same bytes.
PNG_METADATA = {"Software": None}
# More publications than this make an unreadable legend; the rest are summed as "other".
MAX_SERIES = 8
DPI = 100


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")  # no display: releases are built on servers and CI
    import matplotlib.pyplot as plt

    return plt



def _save(fig, path: Path) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    with atomic_output(path) as handle:
        handle.write(buffer.getvalue())


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _series(counts: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    ranked = sorted(counts, key=lambda p: (-sum(counts[p].values()), p))
    series = {p: counts[p] for p in ranked[:MAX_SERIES]}
    if len(ranked) > MAX_SERIES:
        series["other"] = sum((counts[p] for p in ranked[MAX_SERIES:]), Counter())
    return series


def draw_per_month(counts: dict[str, Counter[str]], path: Path) -> bool:
    """Stacked bars of records per month per publication; False when no record has a date."""
    if not counts:
        return False
    months = _months(min(min(c) for c in counts.values()), max(max(c) for c in counts.values()))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4))
    bottom = [0] * len(months)
    for name, per_month in _series(counts).items():
        heights = [per_month.get(m, 0) for m in months]
        ax.bar(range(len(months)), heights, bottom=bottom, label=name, width=0.9)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    step = max(1, math.ceil(len(months) / 12))
    ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts are whole
    ax.set_ylabel("records")
    ax.set_title("Records per month of publication")
    ax.legend(fontsize="small", loc="upper left")
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)
    return True


def draw_text_length(length_counts: Counter[int], path: Path) -> bool:
    """Histogram of text length in characters, on a log scale (lengths span orders of magnitude).

    Drawn from (length, records) pairs as weights: the same bars as one value per record.
    """
    lengths = sorted(length_counts)
    if not lengths:
        return False
    low, high = math.log10(max(1, min(lengths))), math.log10(max(lengths) + 1)
    bins = [10 ** (low + (high - low) * i / 30) for i in range(31)] if high > low else 10
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.hist(lengths, bins=bins, weights=[length_counts[n] for n in lengths], color="#4c72b0")
    if high > low:
        ax.set_xscale("log")
    ax.set_xlabel("text length (characters, log scale)")
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts are whole
    ax.set_ylabel("records")
    ax.set_title("Distribution of text length")
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)
    return True


def draw_figures(stats: RecordStats, root: Path) -> list[str]:
    """Draw every figure the data allows under root; returns their relative paths."""
    drawn = []
    if draw_per_month(stats.monthly, root / PER_MONTH):
        drawn.append(PER_MONTH)
    if draw_text_length(stats.text_lengths, root / TEXT_LENGTH):
        drawn.append(TEXT_LENGTH)
    return drawn
