"""The per-page chain as a list of steps, and the runner that owns their faults.

A step takes a group of pages in flight (`Work`: the page and what the steps before it
made of it) and returns, for each, its Work or a Reject. Most steps handle one page at a
time (`PageStep`); language identification handles the group in one call (it has a
fixed cost per call). The chain is declared once, in `page_steps`; adding a filter is
one function and one line there.

The runner (`run_steps`) gives every step the same guarantees, so no step has to:
- a `PageError` is that page's reject with its reason;
- any other exception is that page's `internal_error` reject naming the step and the
  raising file:line (builder.faults); a group step that raises is run again page by
  page, so only the page that raises is lost;
- each step's pages in and out and its time are counted (`StepStats`, read by the
  benchmark; never written to an output, which must not depend on timings).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import PageError
from ..faults import internal_error
from ..model import Draft, Page, Record, Reject
from ..normalize.publications import Registry
from ..normalize.record import build_record, fill_languages
from ..parse.detect import parse_page
from ..validate.schema import RecordValidator


@dataclass
class Work:
    """One page in flight: the page, its parser's draft, then its record."""

    page: Page
    draft: Draft | None = None
    record: Record | None = None


@dataclass(frozen=True)
class PageStep:
    """A step that handles one page at a time."""

    name: str
    run: Callable[[Work], Work]

    def apply(self, group: list[Work]) -> list[Work | Reject]:
        return [_guarded(self.name, self.run, work) for work in group]


@dataclass(frozen=True)
class GroupStep:
    """A step that handles the whole group in one call (same length, same order)."""

    name: str
    run: Callable[[list[Work]], list[Work]]

    def apply(self, group: list[Work]) -> list[Work | Reject]:
        try:
            return list(self.run(group))
        except Exception:  # noqa: BLE001 (found page by page below)
            return [_guarded(self.name, lambda w: self.run([w])[0], work) for work in group]


Step = PageStep | GroupStep


def _guarded(name: str, run: Callable[[Work], Work], work: Work) -> Work | Reject:
    page = work.page
    try:
        return run(work)
    except PageError as error:
        return Reject(page.raw_path, error.reason, error.message, page.warc_record_id, page.url)
    except Exception as error:  # noqa: BLE001 (a bug costs its page, not the build)
        return internal_error(name, error, page.raw_path, page.warc_record_id, page.url)


@dataclass
class StepStats:
    """Per step: pages in, pages rejected, seconds (this process's, since it started)."""

    pages: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)


def run_steps(pages: list[Page], steps: list[Step], stats: StepStats | None = None
              ) -> list[Record | Reject]:
    """Each page through the steps, in order; the record each ends as, or its reject."""
    results: list[Record | Reject | Work] = [Work(page) for page in pages]
    for step in steps:
        live = [i for i, item in enumerate(results) if isinstance(item, Work)]
        if not live:
            break
        started = time.perf_counter()
        outputs = step.apply([results[i] for i in live])  # type: ignore[misc]
        for i, output in zip(live, outputs, strict=True):
            results[i] = output
        if stats is not None:
            stats.seconds[step.name] += time.perf_counter() - started
            stats.pages[step.name] += len(live)
            stats.rejected[step.name] += sum(isinstance(o, Reject) for o in outputs)
    return [_finished(item) for item in results]


def _finished(item: Record | Reject | Work) -> Record | Reject:
    if isinstance(item, Work):
        if item.record is None:
            raise ValueError(f"{item.page.raw_path}: the steps made no record")
        return item.record
    return item


# The steps. Each is a small function over Work; the chain is `page_steps`.


def _parse(work: Work) -> Work:
    work.draft = parse_page(work.page)
    return work


def _normalizer(registry: Registry) -> Callable[[Work], Work]:
    def normalize(work: Work) -> Work:
        assert work.draft is not None
        # The language is left to the next step, which identifies a group's at once.
        work.record = build_record(work.draft, work.page, registry, identify=False)
        return work

    return normalize


def _languages(group: list[Work]) -> list[Work]:
    fill_languages([work.record for work in group if work.record is not None])
    return group


def _validator(validator: RecordValidator) -> Callable[[Work], Work]:
    def validate(work: Work) -> Work:
        problems = validator.problems(work.record)
        if problems:
            raise PageError("schema_invalid", "; ".join(str(p) for p in problems))
        return work

    return validate


def page_steps(registry: Registry, validator: RecordValidator) -> list[Step]:
    """The per-page chain: read pages in, valid records (or rejects) out."""
    return [
        PageStep("parse", _parse),
        PageStep("normalize", _normalizer(registry)),
        GroupStep("language", _languages),
        PageStep("validate", _validator(validator)),
    ]

