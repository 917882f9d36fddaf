"""Validate JSONL files of records and report `file:line: /pointer: message` for each problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from ..write.jsonl import LineTooLong, bounded_lines
from .checks import RecordChecks
from .schema import RecordValidator

# A record holds at most one page's text (10 MiB by default) plus its fields, escaped as
# JSON: 64 MiB is far beyond any record, and a line longer than that (`/dev/zero`, a
# binary file) ends the check of its file instead of being read into memory forever.
MAX_LINE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.pointer or '/'}: {self.message}"


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line over the limit, which is the last one given.
    Not write.jsonl.read_jsonl, which stops at the first bad line: this check reports
    every one."""
    try:
        yield from bounded_lines(handle, MAX_LINE_BYTES)
    except LineTooLong as exc:
        yield exc.number, None


def validate_jsonl(
    path: Path, validator: RecordValidator, checks: RecordChecks | None = None
) -> Iterator[FileProblem]:
    """Every problem in one JSONL file, line by line; a bad line never stops the check.

    With `checks`, valid records also go through the checks the schema cannot express
    (ids, control characters, fetch times), across every file given the same checks.
    """
    shown = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield FileProblem(shown, 0, "", f"cannot open: {exc.strerror}")
        return
    with handle:
        for number, line in _lines(handle):
            if line is None:
                yield FileProblem(
                    shown,
                    number,
                    "",
                    f"the line is over {MAX_LINE_BYTES} bytes: not one JSON record per line; "
                    "the rest of the file is not checked",
                )
                return
            yield from _line_problems(shown, number, line, validator, checks)


def _line_problems(
    shown: str, number: int, line: bytes, validator: RecordValidator, checks: RecordChecks | None
) -> Iterable[FileProblem]:
    if not line.strip():
        return []
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return [FileProblem(shown, number, "", f"not valid JSON: {exc}")]
    problems = validator.problems(value)
    if not problems and checks is not None:
        problems = checks.problems(value, f"{shown}:{number}")
    return [FileProblem(shown, number, p.pointer, p.message) for p in problems]
