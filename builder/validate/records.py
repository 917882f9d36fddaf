"""Validate JSONL files of records and report `file:line: /pointer: message` for each problem."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from .schema import RecordValidator


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.pointer or '/'}: {self.message}"


def validate_jsonl(path: Path, validator: RecordValidator) -> Iterator[FileProblem]:
    """Every problem in one JSONL file, line by line; a bad line never stops the check."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield FileProblem(str(path), 0, "", f"cannot open: {exc.strerror}")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield FileProblem(str(path), number, "", f"not valid JSON: {exc}")
                continue
            for problem in validator.problems(value):
                yield FileProblem(str(path), number, problem.pointer, problem.message)
