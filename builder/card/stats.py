"""What the card and its figures say about the records, gathered in one pass record by record.

Every figure is a count per publication, month, language or text length, so the whole
dataset is summarised in memory that grows with those (a few thousand keys), never with
the number of records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Record


@dataclass
class PublicationStats:
    records: int = 0
    undated: int = 0
    first: str | None = None  # earliest publish date
    last: str | None = None


@dataclass
class RecordStats:
    rows: int = 0
    publications: dict[str, PublicationStats] = field(default_factory=dict)
    languages: Counter[str] = field(default_factory=Counter)
    monthly: dict[str, Counter[str]] = field(
        default_factory=dict
    )  # publication -> YYYY-MM -> records
    text_lengths: Counter[int] = field(default_factory=Counter)  # characters -> records
    first_date: str | None = None
    last_date: str | None = None
    with_authors: int = 0  # records that name at least one author (personal data)
    example: Record | None = None  # the card's example: the first record with a URL and date

    @classmethod
    def of(cls, records: Iterable[Record]) -> RecordStats:
        stats = cls()
        for record in records:
            stats.add(record)
        return stats

    def add(self, record: Record) -> None:
        self.rows += 1
        self.with_authors += bool(record.get("authors"))
        if self.example is None or not _complete(self.example) and _complete(record):
            self.example = record
        self.languages[str(record.get("language"))] += 1
        if record.get("text"):
            self.text_lengths[len(record["text"])] += 1
        publication = self.publications.setdefault(record["publication"], PublicationStats())
        publication.records += 1
        date = record.get("publish_date")
        if not date:
            publication.undated += 1
            return
        publication.first = date if publication.first is None else min(publication.first, date)
        publication.last = date if publication.last is None else max(publication.last, date)
        self.first_date = date if self.first_date is None else min(self.first_date, date)
        self.last_date = date if self.last_date is None else max(self.last_date, date)
        self.monthly.setdefault(record["publication"], Counter())[date[:7]] += 1


def _complete(record: Record) -> bool:
    return bool(record.get("source_url") and record.get("publish_date"))
