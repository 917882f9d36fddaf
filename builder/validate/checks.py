"""What a record must be beyond its schema: a derived, unique id, clean text, a past fetch."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..normalize.record import record_id
from .schema import Problem

# C0 and C1 control characters and DEL, except the tab and the line feed that separates
# paragraphs: the normalize stage removes all of them, so one in a record means the
# record was written or edited by something else.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{pointer}/{index}")


class RecordChecks:
    """Checks of schema-valid records; ids are remembered across every file checked."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or dt.datetime.now(dt.timezone.utc)
        self.first_seen: dict[str, str] = {}  # id -> "file:line" of its first record

    def problems(self, record: dict[str, Any], where: str) -> list[Problem]:
        """The record's problems (none when it passes), each with its JSON pointer."""
        found = self._id_problems(record, where)
        for pointer, text in _strings(record, ""):
            match = CONTROL.search(text)
            if match:
                found.append(
                    Problem(pointer, f"holds the control character U+{ord(match.group()):04X}")
                )
        fetched = (record.get("provenance") or {}).get("fetched_at")
        if fetched and _time(fetched) > self.now:
            found.append(
                Problem("/provenance/fetched_at", f"{fetched} is in the future (now: "
                        f"{self.now.strftime('%Y-%m-%dT%H:%M:%SZ')})")
            )
        return found

    def _id_problems(self, record: dict[str, Any], where: str) -> list[Problem]:
        found = []
        record_key = record["id"]
        expected = record_id(
            record["source_url"], record["publication"], record["publish_date"], record["title"]
        )
        if record_key != expected:
            found.append(
                Problem(
                    "/id",
                    f"{record_key!r} is not the id of this article: ids are derived from the "
                    f"source URL (or publication, date and title), which give {expected!r}",
                )
            )
        first = self.first_seen.setdefault(record_key, where)
        if first != where:
            found.append(
                Problem(
                    "/id",
                    f"{record_key!r} is also the id of the record at {first}: the same article "
                    "twice (deduplicate: builder dedup, or a build without --no-dedup)",
                )
            )
        return found


def _time(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
