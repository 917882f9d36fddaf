"""The step runner: rejects, faults isolated per page, group steps retried page by page,
counts per step, and a filter added as one step."""

from __future__ import annotations

import pytest

from builder.errors import PageError
from builder.model import Page, Reject
from builder.normalize.publications import load_registry
from builder.pipeline.steps import GroupStep, PageStep, StepStats, Work, page_steps, run_steps
from builder.validate.schema import RecordValidator

from .conftest import SAMPLES

DUMPS = sorted((SAMPLES / "pages" / "aggregator" / "en").rglob("*.txt"))[:4]


def _pages() -> list[Page]:
    return [Page(path.name, path.read_bytes(), "a" * 64, "file") for path in DUMPS]


def _chain() -> list:
    return page_steps(load_registry(), RecordValidator())


def test_the_chain_makes_valid_records_and_counts_each_step() -> None:
    stats = StepStats()
    results = run_steps(_pages(), _chain(), stats)
    assert len(results) == 4 and not any(isinstance(r, Reject) for r in results)
    assert [name for name in stats.pages] == ["parse", "normalize", "language", "validate"]
    assert set(stats.pages.values()) == {4} and sum(stats.rejected.values()) == 0


def test_a_filter_is_one_more_step() -> None:
    def short_texts_out(work: Work) -> Work:
        assert work.record is not None
        if len(work.record["text"]) < 10_000:
            raise PageError("no_body", "shorter than the filter's minimum")
        return work

    stats = StepStats()
    results = run_steps(_pages(), [*_chain(), PageStep("min_length", short_texts_out)], stats)
    assert all(isinstance(r, Reject) and r.reason == "no_body" for r in results)
    assert stats.rejected["min_length"] == 4


def test_a_group_step_failing_on_one_page_costs_only_that_page() -> None:
    pages = _pages()

    def fragile(group: list[Work]) -> list[Work]:
        if any(work.page.raw_path == pages[1].raw_path for work in group):
            raise RuntimeError("cannot take this page")
        return group

    chain = _chain()
    results = run_steps(pages, [*chain[:2], GroupStep("fragile", fragile), *chain[2:]])
    assert [isinstance(r, Reject) for r in results] == [False, True, False, False]
    assert results[1].reason == "internal_error"  # type: ignore[union-attr]
    assert results[1].message.startswith("fragile stage: RuntimeError: cannot take")  # type: ignore[union-attr]
    assert results[0] == run_steps(pages[:1], chain)[0]


def test_a_chain_that_makes_no_record_is_a_bug_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="the steps made no record"):
        run_steps(_pages()[:1], _chain()[:1])
