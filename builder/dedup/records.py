"""Reading records for dedup (an input file, or a previous release) and checking the
fields dedup relies on, so a bad record is reported by file, line and field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import BuilderError
from ..model import Record
from ..write.jsonl import read_jsonl

RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")
# Files a build or dedup run writes beside its records; never records themselves.
SIDE_FILES = ("rejects", "dedup_report")
_OPTIONAL_TEXT = ("publication", "publish_date", "source_url")


def _plainly_valid(record: Any) -> bool:
    """The common case, checked quickly: every field dedup uses has its usual type."""
    return (
        type(record) is dict
        and type(record.get("id")) is str
        and record["id"] != ""
        and type(record.get("text")) is str
        and all(type(record.get(name)) in _TEXT_OR_NONE for name in _OPTIONAL_TEXT)
        and type(record.get("provenance")) in _DICT_OR_NONE
        and type(record.get("merged_copies")) in _LIST_OR_NONE
        and all(type(c) is dict and type(c.get("id")) is str for c in _copies(record))
    )


def _copies(record: dict[str, Any]) -> list[Any]:
    return record.get("merged_copies") or []


_TEXT_OR_NONE = (str, type(None))
_DICT_OR_NONE = (dict, type(None))
_LIST_OR_NONE = (list, type(None))


def check_record(record: Any, where: str) -> None:
    """Raise a BuilderError naming `where` and every field dedup cannot use."""
    if _plainly_valid(record):
        return
    if not isinstance(record, dict):
        raise BuilderError(f"{where}: not a JSON object")
    problems = []
    if not isinstance(record.get("id"), str) or not record["id"]:
        problems.append("'id' is missing or not a non-empty string")
    if not isinstance(record.get("text"), str):
        problems.append("'text' is missing or not a string")
    for name in _OPTIONAL_TEXT:
        if record.get(name) is not None and not isinstance(record[name], str):
            problems.append(f"'{name}' is not a string or null")
    provenance = record.get("provenance")
    if provenance is not None and not isinstance(provenance, dict):
        problems.append("'provenance' is not an object")
    copies = record.get("merged_copies")
    if copies is not None and (
        not isinstance(copies, list)
        or not all(isinstance(c, dict) and isinstance(c.get("id"), str) for c in copies)
    ):
        problems.append("'merged_copies' is not a list of objects with a string 'id'")
    if problems:
        ident = f" (id {record['id']})" if isinstance(record.get("id"), str) else ""
        raise BuilderError(f"{where}{ident}: " + "; ".join(problems))


def _is_record_file(path: Path) -> bool:
    name = path.name
    return (
        name.endswith(RECORD_SUFFIXES)
        and not name.startswith(SIDE_FILES)
        and not name.startswith(".")
    )


def record_files(path: Path) -> list[Path]:
    """The record files of a path: itself if a file; else every *.jsonl / *.jsonl.gz
    under its data/ folder when it has one (a release), otherwise under the folder
    itself, except rejects and dedup reports; sorted by path."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise BuilderError(f"{path}: no such file or folder")
    root = path / "data" if (path / "data").is_dir() else path
    files = sorted(p for p in root.rglob("*") if p.is_file() and _is_record_file(p))
    if not files:
        raise BuilderError(f"{root}: no *.jsonl or *.jsonl.gz record files found")
    return files


def read_records(path: Path) -> Iterator[Record]:
    """Records of a JSONL or JSONL.gz file, or of a release folder (see record_files);
    a line that is not a usable record is a fatal error naming the file and line."""
    for file in record_files(path):
        for number, record in read_jsonl(file):
            check_record(record, f"{file}:{number}")
            yield record
