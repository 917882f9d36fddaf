"""Contributed ready records (JSONL): the schema, provenance and the id rule, line by line."""

from __future__ import annotations

from pathlib import PurePosixPath

import orjson

from ..model import Record
from ..normalize.record import record_id
from ..validate.schema import RecordValidator
from .findings import Finding, error, warning
from .layout import ContribFile
from .pages import Located


def _record_findings(record: Record, shown: str, line: int) -> list[Finding]:
    found = []
    if record["source_url"] is None:
        found.append(
            error(shown, line, "no_url", "/source_url: no URL anywhere: give the article's URL")
        )
    if record["provenance"]["fetched_at"] is None:
        found.append(
            error(
                shown,
                line,
                "no_date",
                "/provenance/fetched_at: no fetch date: give when the "
                "page was fetched (YYYY-MM-DDTHH:MM:SSZ)",
            )
        )
    if record["publish_date"] is None:
        found.append(
            warning(shown, line, "no_publish_date", "/publish_date: null; give it when known")
        )
    expected = record_id(
        record["source_url"], record["publication"], record["publish_date"], record["title"]
    )
    if record["id"] != expected:
        found.append(
            error(
                shown,
                line,
                "bad_id",
                f"/id: {record['id']!r} is not the id of this article; "
                f"ids are derived from the URL (or publication, date and title): use {expected!r}",
            )
        )
    raw_path = record["provenance"]["raw_path"]
    pure = PurePosixPath(raw_path)
    if "\\" in raw_path or pure.is_absolute() or ".." in pure.parts:
        found.append(
            error(
                shown,
                line,
                "path_escape",
                f"/provenance/raw_path: {raw_path!r} must be "
                "relative to its input folder, with '/' and without '..'",
            )
        )
    return found


def check_records(
    file: ContribFile, validator: RecordValidator
) -> tuple[list[Finding], list[Located]]:
    """Format, schema (JSON pointer + message) and provenance problems of each line of a file."""
    found: list[Finding] = []
    located: list[Located] = []
    with file.path.open("rb") as handle:
        # Every bad line is a finding, so not write.jsonl.read_jsonl (which stops at one).
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = orjson.loads(line.rstrip(b"\r\n"))
            except orjson.JSONDecodeError as exc:
                found.append(
                    error(
                        file.shown, number, "wrong_format", f"not a JSON object on one line: {exc}"
                    )
                )
                continue
            problems = validator.problems(value)
            found += [error(file.shown, number, "schema", str(p)) for p in problems]
            if not problems:
                found += _record_findings(value, file.shown, number)
                located.append(Located(value, file.shown, number))
    return found, located
