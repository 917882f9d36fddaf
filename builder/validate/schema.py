"""The record schema: where it lives, loading it, and validating records against it.

Validation takes a compiled fast path (fastjsonschema) for the common valid record and
asks `jsonschema` only when a record fails, to list every problem with its JSON pointer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from ..errors import ConfigError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
CURRENT_MAJOR = 1


def schema_path(major: int = CURRENT_MAJOR) -> Path:
    return SCHEMA_DIR / f"v{major}" / "record.schema.json"


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> dict[str, Any]:
    """The schema as a dict; a missing or malformed file is a fatal error naming it."""
    path = path or schema_path()
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the record schema: {exc}") from None
    Draft202012Validator.check_schema(schema)
    return schema


def schema_version(schema: dict[str, Any]) -> str:
    return str(schema["x-schema-version"])


@dataclass(frozen=True)
class Problem:
    pointer: str  # JSON pointer to the offending value, "" for the record itself
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_date_time(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# Real calendar checks, so the fast path rejects 2020-02-30 just as jsonschema does.
FAST_FORMATS = {"date": _is_date, "date-time": _is_date_time}


def _pointer(path: Any) -> str:
    return "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in path)


class RecordValidator:
    """Validates records: fast compiled check first, full explanation on failure."""

    def __init__(self, schema: dict[str, Any] | None = None) -> None:
        self.schema = schema or load_schema()
        self._fast: Callable[[Any], Any] = fastjsonschema.compile(self.schema, formats=FAST_FORMATS)
        self._explainer = Draft202012Validator(self.schema, format_checker=FormatChecker())

    def problems(self, record: Any) -> list[Problem]:
        """Every problem in the record, sorted by pointer; empty when it is valid."""
        try:
            self._fast(record)
        except fastjsonschema.JsonSchemaException as fast_error:
            found = [Problem(_pointer(e.absolute_path), e.message) for e in self._explainer.iter_errors(record)]
            # The two validators should agree; if only the fast one objects, its own
            # message is still a reason, never a silent pass.
            return sorted(found, key=lambda p: (p.pointer, p.message)) or [Problem("", str(fast_error))]
        return []
