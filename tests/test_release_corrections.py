"""Corrections against a released record: the newest fetch wins, the id stays, no record
is ever listed as a merged copy of itself."""

from __future__ import annotations

from typing import Any

import pytest

from builder.dedup import deduplicate

from .release_corpus import make_record


def _fetched(record: dict[str, Any], when: str | None, **changes: Any) -> dict[str, Any]:
    return {**record, **changes, "provenance": {**record["provenance"], "fetched_at": when}}


@pytest.mark.parametrize(
    ("released_at", "crawled_at", "winner"),
    [
        ("2024-01-01T08:00:00Z", "2024-03-01T08:00:00Z", "crawled"),  # a later fetch
        (None, "2024-03-01T08:00:00Z", "crawled"),
        (None, None, "crawled"),  # unknown: the order of releases decides
        ("2024-01-01T08:00:00Z", None, "crawled"),
        ("2024-05-01T08:00:00Z", "2024-03-01T08:00:00Z", "released"),  # an older copy, late
    ],
)
def test_the_newest_fetch_wins(
    released_at: str | None, crawled_at: str | None, winner: str
) -> None:
    base = make_record(4)
    released = _fetched(base, released_at)
    crawled = _fetched(
        base,
        crawled_at,
        title="Corrected title",
        text=base["text"] + " A corrected sentence.",
    )
    crawled["provenance"]["raw_sha256"] = "f" * 64
    result = deduplicate([crawled], previous=[released])
    [survivor] = result.survivors
    expected = crawled if winner == "crawled" else released
    assert survivor["id"] == base["id"]
    assert (survivor["title"], survivor["text"]) == (expected["title"], expected["text"])
    assert survivor["provenance"] == expected["provenance"]  # the bytes actually used
    assert survivor["merged_copies"] == []  # never a copy of itself
    assert result.stats["updated_records"] == (1 if winner == "crawled" else 0)
