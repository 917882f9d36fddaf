"""Duplicates of contributed records: of each other, and of the latest release's records.

The comparison is the dedup stage's own (`builder.dedup.deduplicate`: same URL, same
text, near-duplicate text). Two things it treats as updates, not duplicates, are
checked here by id first: a contributed record whose id is already released, and two
contributed records with one id (the id is derived from the article's URL, or its
publication, date and title, so an equal id is the same article).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ..extras import dedup_module
from ..model import Record
from ..pipeline.runner import default_workers
from ..release.versions import released_versions
from .changes import shown_path
from .findings import Finding, error
from .pages import Located


def _dedup() -> ModuleType:
    """The dedup stage, imported only when needed: it lives in the `dedup` extra."""
    return dedup_module("the duplicate check")


METHOD_WORDS = {"url": "the same source URL", "exact": "the same text", "id": "the same id"}


@dataclass(frozen=True)
class Release:
    """The records duplicates are looked for in, and how to name them in messages."""

    label: str  # "release 1.2.0", or the path given
    path: Path
    records: list[Record]

    def describe(self) -> str:
        shown = shown_path(self.path)
        where = "" if self.label == self.path.as_posix() else f" ({shown})"
        return f"{self.label}{where}, {len(self.records)} records"


def latest_release(dist: Path) -> Path | None:
    """dist/<highest MAJOR.MINOR.PATCH>/, when dist/ has a release."""
    versions = released_versions(dist)
    return dist / str(versions[-1]) if versions else None


def load_release(path: Path | None, dist: Path) -> Release | None:
    """The release at `path` (folder or records file), else the latest one in `dist`."""
    chosen = path or latest_release(dist)
    if chosen is None:
        return None
    label = f"release {chosen.name}" if path is None else chosen.as_posix()
    return Release(label, chosen, list(_dedup().read_records(chosen)))


def _method(row: dict[str, Any]) -> str:
    if row["method"] == "near":
        return f"near-identical text ({row['similarity']:.0%} similar)"
    return METHOD_WORDS.get(row["method"], row["method"])


def _prechecked(
    located: list[Located], released: set[str], label: str
) -> tuple[list[Finding], list[Located]]:
    """Findings for ids already released or repeated; the rest go to the dedup stage."""
    found: list[Finding] = []
    first: dict[str, Located] = {}
    for item in sorted(located, key=lambda x: (x.shown, x.line)):
        ident = item.record["id"]
        if ident in released:
            why = f"in {label}: the same id (same URL, or same publication, date and title)"
        elif ident in first:
            why = f"({first[ident].shown}:{first[ident].line}): the same id"
        else:
            first[ident] = item
            continue
        found.append(error(item.shown, item.line, "duplicate", f"duplicate of {ident} {why}"))
    return found, list(first.values())


def duplicate_findings(located: list[Located], release: Release | None) -> list[Finding]:
    """One finding per contributed record that duplicates another or a released record."""
    previous = release.records if release else []
    label = release.label if release else ""
    found, unique = _prechecked(located, {r["id"] for r in previous}, label)
    if not unique:
        return found
    by_id = {item.record["id"]: item for item in unique}
    result = _dedup().deduplicate(
        [item.record for item in unique], previous=previous, workers=default_workers()
    )
    for row in result.report:
        item = by_id.get(row["removed_id"])
        if item is None:
            continue
        kept = by_id.get(row["kept_id"])
        where = f"({kept.shown}:{kept.line})" if kept else f"in {label}"
        found.append(
            error(
                item.shown,
                item.line,
                "duplicate",
                f"duplicate of {row['kept_id']} {where}: {_method(row)}",
            )
        )
    return found
