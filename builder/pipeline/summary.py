"""A build's counts: pages, records and rejects by format, publication, language and
reason; deterministic (no timings), written as OUT/summary.json."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..model import Record, Reject
from ..write.jsonl import atomic_output

Result = Record | Reject


def result_key(result: Result) -> tuple[str, ...]:
    """What the summary counts of a result, small enough to travel back from a worker:
    ("reject", reason) or ("record", source format, publication, language)."""
    if isinstance(result, Reject):
        return ("reject", result.reason)
    return ("record", result["provenance"]["source_format"], result["publication"],
            result["language"])


@dataclass
class Summary:
    """Counts of one build; deterministic (no timings), written as summary.json."""

    pages: int = 0
    records: int = 0
    rejects: int = 0
    by_source_format: Counter[str] = field(default_factory=Counter)
    by_publication: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    extra: dict[str, Any] = field(default_factory=dict)

    def add_key(self, key: tuple[str, ...]) -> None:
        """Count a result by its `result_key`."""
        self.pages += 1
        if key[0] == "reject":
            self.rejects += 1
            self.rejects_by_reason[key[1]] += 1
        else:
            self.records += 1
            self.by_source_format[key[1]] += 1
            self.by_publication[key[2]] += 1
            self.by_language[key[3]] += 1

    def merge(self, other: Summary) -> None:
        self.pages += other.pages
        self.records += other.records
        self.rejects += other.rejects
        self.by_source_format.update(other.by_source_format)
        self.by_publication.update(other.by_publication)
        self.by_language.update(other.by_language)
        self.rejects_by_reason.update(other.rejects_by_reason)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        """The counts of `to_json` read back (a resumed shard's marker keeps them)."""
        names = ("records_by_source_format", "records_by_publication", "records_by_language",
                 "rejects_by_reason")
        counters = (Counter(data[name]) for name in names)
        return cls(data["pages"], data["records"], data["rejects"], *counters)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "records": self.records,
            "rejects": self.rejects,
            "records_by_source_format": dict(sorted(self.by_source_format.items())),
            "records_by_publication": dict(sorted(self.by_publication.items())),
            "records_by_language": dict(sorted(self.by_language.items())),
            "rejects_by_reason": dict(sorted(self.rejects_by_reason.items())),
            **self.extra,
        }


def write_summary(out: Path, summary: Summary) -> None:
    with atomic_output(out / "summary.json") as handle:
        pretty = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
        handle.write(orjson.dumps(summary.to_json(), option=pretty) + b"\n")
