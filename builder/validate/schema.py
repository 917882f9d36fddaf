"""The record schema: where it lives, loading it, and validating records against it.

Validation takes a compiled fast path (fastjsonschema) for the common valid record and
asks `jsonschema` only when a record fails, to list every problem with its JSON pointer.
`jsonschema` is imported only then (it is a tenth of a second of every build's startup).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema

from ..errors import ConfigError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
CURRENT_MAJOR = 1


def schema_path(major: int = CURRENT_MAJOR) -> Path:
    return SCHEMA_DIR / f"v{major}" / "record.schema.json"


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> dict[str, Any]:
    """The schema as a dict; a missing or malformed file is a fatal error naming it.

    A schema given by path is checked against the JSON Schema meta-schema; the schema
    shipped with the package is checked by the test suite instead, not at every start.
    """
    if path is None or path == schema_path():
        return _read_schema(schema_path())
    schema = _read_schema(path)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path) or "the top level"
        raise ConfigError(f"{path}: not a valid JSON Schema at {where}: {exc.message}") from None
    return schema


def _read_schema(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the record schema: {exc}") from None
    if not isinstance(schema, dict):
        raise ConfigError(f"{path}: the record schema must be a JSON object")
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
        self._explainer: Any = None  # jsonschema's validator, made for the first invalid record

    def _explain(self, record: Any) -> list[Problem]:
        if self._explainer is None:
            from jsonschema import Draft202012Validator, FormatChecker

            self._explainer = Draft202012Validator(self.schema, format_checker=FormatChecker())
        errors = self._explainer.iter_errors(record)
        return [Problem(_pointer(e.absolute_path), e.message) for e in errors]

    def problems(self, record: Any) -> list[Problem]:
        """Every problem in the record, sorted by pointer; empty when it is valid."""
        try:
            self._fast(record)
        except fastjsonschema.JsonSchemaException as fast_error:
            found = self._explain(record)
            # The two validators should agree; if only the fast one objects, its own
            # message is still a reason, never a silent pass.
            found.sort(key=lambda p: (p.pointer, p.message))
            return found or [Problem("", str(fast_error))]
        return []
