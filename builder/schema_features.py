"""The record schema as a tree of typed fields, and the Hugging Face `Features` derived from it.

The JSON Schema is the single description of a record. This module reads it once into
a small neutral tree (`Scalar`, `ListOf`, `Struct`) that the card's field table, the
Croissant metadata and the `datasets.Features` are all generated from, so none of them
is ever written by hand. The derivation is generic: a new field (say an array of
objects) needs no code here as long as it uses the supported JSON Schema keywords.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:  # datasets is heavy to import; only the functions that need it import it
    import datasets

# JSON Schema type (and string format) -> scalar kind. `date` loads as a calendar day
# (Arrow date32) and `date-time` as a UTC instant with second precision, because that is
# what the schema's patterns allow (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ); declaring them
# stops the JSON loader from guessing (it would turn date-like strings into timestamps).
SCALAR_KINDS = {
    ("string", None): "string",
    ("string", "date"): "date",
    ("string", "date-time"): "date-time",
    ("string", "uri"): "string",
    ("integer", None): "int64",
    ("number", None): "float64",
    ("boolean", None): "bool",
}
HF_DTYPES = {
    "string": "string",
    "date": "date32",
    "date-time": "timestamp[s, tz=UTC]",
    "int64": "int64",
    "float64": "float64",
    "bool": "bool",
}
DATE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Scalar:
    kind: str  # a key of HF_DTYPES


@dataclass(frozen=True)
class ListOf:
    item: FieldType


@dataclass(frozen=True)
class Struct:
    fields: tuple[Field, ...]


FieldType = Scalar | ListOf | Struct


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    description: str
    nullable: bool
    required: bool
    enum: tuple[str, ...] = ()


def _types_of(node: dict[str, Any], where: str) -> tuple[str, bool]:
    declared = node.get("type")
    names = [declared] if isinstance(declared, str) else list(declared or [])
    nullable = "null" in names
    others = [n for n in names if n != "null"]
    if len(others) != 1:
        raise ConfigError(
            f"schema {where}: needs exactly one non-null 'type' to derive a column type, "
            f"got {declared!r}"
        )
    return others[0], nullable


def _field_type(node: dict[str, Any], where: str) -> tuple[FieldType, bool]:
    name, nullable = _types_of(node, where)
    if name == "object":
        return Struct(struct_fields(node, where)), nullable
    if name == "array":
        items = node.get("items")
        if not isinstance(items, dict):
            raise ConfigError(f"schema {where}: an array needs an 'items' object")
        item, _ = _field_type(items, f"{where}/items")
        return ListOf(item), nullable
    kind = SCALAR_KINDS.get((name, node.get("format"))) or SCALAR_KINDS.get((name, None))
    if kind is None:
        raise ConfigError(
            f"schema {where}: type {name!r} has no column type; supported: "
            f"{sorted({t for t, _ in SCALAR_KINDS})} plus object and array"
        )
    return Scalar(kind), nullable


def struct_fields(node: dict[str, Any], where: str = "") -> tuple[Field, ...]:
    """The fields of an object node, in the schema's declared order."""
    properties = node.get("properties")
    if not isinstance(properties, dict) or not properties:
        raise ConfigError(f"schema {where or '/'}: an object needs 'properties' to become a struct")
    required = set(node.get("required", []))
    fields = []
    for name, child in properties.items():
        child_where = f"{where}/properties/{name}"
        field_type, nullable = _field_type(child, child_where)
        enum = tuple(str(v) for v in child.get("enum", []) if v is not None)
        fields.append(
            Field(
                name,
                field_type,
                str(child.get("description", "")).strip(),
                nullable,
                name in required,
                enum,
            )
        )
    return tuple(fields)


def record_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    """The top-level fields of the record schema (the dataset's columns)."""
    return struct_fields(schema)


def iter_leaves(fields: tuple[Field, ...], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """(dotted path, field) for every field, nested ones too; `[]` marks list items."""
    for field in fields:
        path = f"{prefix}{field.name}"
        yield path, field
        inner = field.type
        suffix = ""
        while isinstance(inner, ListOf):
            inner, suffix = inner.item, suffix + "[]"
        if isinstance(inner, Struct):
            yield from iter_leaves(inner.fields, f"{path}{suffix}.")


def type_label(field_type: FieldType) -> str:
    """A short human name of a column type, for the card's field table."""
    if isinstance(field_type, ListOf):
        return f"list of {type_label(field_type.item)}"
    if isinstance(field_type, Struct):
        return "struct"
    return {"date": "date (date32)", "date-time": "timestamp (UTC, seconds)"}.get(
        field_type.kind, field_type.kind
    )


def _feature(field_type: FieldType) -> Any:
    import datasets

    if isinstance(field_type, ListOf):
        return datasets.List(_feature(field_type.item))
    if isinstance(field_type, Struct):
        return {f.name: _feature(f.type) for f in field_type.fields}
    return datasets.Value(HF_DTYPES[field_type.kind])


def features_from_schema(schema: dict[str, Any]) -> datasets.Features:
    """The `datasets.Features` every release declares, so `load_dataset` never infers types."""
    import datasets

    return datasets.Features({f.name: _feature(f.type) for f in record_fields(schema)})


def _to_json(value: Any, field_type: FieldType) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(field_type, ListOf):
        return [_to_json(v, field_type.item) for v in value]
    if isinstance(field_type, Struct):
        return canonical_json(value, field_type.fields)
    if field_type.kind == "date":
        return value.isoformat()
    if field_type.kind == "date-time":
        return value.astimezone(dt.timezone.utc).strftime(DATE_TIME_FORMAT)
    return value


def canonical_json(row: dict[str, Any], fields: tuple[Field, ...]) -> dict[str, Any]:
    """A row (as written, or as `datasets` returns it) in the JSON form records are written in.

    Dates and timestamps become their ISO strings again. An optional field that is
    absent in JSON reads back as None, so optional None values are dropped on both sides:
    a written record and its loaded row then compare equal exactly when no value changed.
    """
    out: dict[str, Any] = {}
    for field in fields:
        value = row.get(field.name)
        if value is None and not field.required:
            continue
        out[field.name] = _to_json(value, field.type)
    return out


def _to_python(value: Any, field_type: FieldType) -> Any:
    if value is None:
        return None
    if isinstance(field_type, ListOf):
        return [_to_python(v, field_type.item) for v in value]
    if isinstance(field_type, Struct):
        return json_to_python(value, field_type.fields)
    if field_type.kind == "date":
        return dt.date.fromisoformat(value)
    if field_type.kind == "date-time":
        return dt.datetime.strptime(value, DATE_TIME_FORMAT).replace(tzinfo=dt.timezone.utc)
    return value


def json_to_python(record: dict[str, Any], fields: tuple[Field, ...]) -> dict[str, Any]:
    """A JSON record with its dates and timestamps as Python objects, ready for Arrow."""
    return {f.name: _to_python(record.get(f.name), f.type) for f in fields}


def arrow_table(records: list[dict[str, Any]], schema: dict[str, Any]) -> Any:
    """A batch of JSON records as a `pyarrow.Table` of the declared features."""
    import pyarrow as pa

    fields = record_fields(schema)
    return pa.Table.from_pylist(
        [json_to_python(r, fields) for r in records],
        schema=features_from_schema(schema).arrow_schema,
    )


class ArrowSize:
    """The Arrow size of many record batches as if they were one table (one chunk per column).

    `Table.nbytes` of a whole table is the sum, per array node, of its buffers: a validity
    bitmap (ceil(length / 8) bytes, present only when the node has a null), 32-bit offsets
    for strings and lists (4 x length: `nbytes` counts the offsets its rows reference,
    not the closing one), and the values (bytes of the strings, or
    length x width). Each term depends only on a node's total length, its null count and
    its values' bytes, so those are summed per node over batches and the bitmap and offset
    terms computed once at the end: the result equals `nbytes` of the whole table without
    ever holding it (tested against it).
    """

    def __init__(self) -> None:
        self._nodes: dict[str, list[int]] = {}  # path -> [length, nulls, value bytes, offsets?]

    def add(self, table: Any) -> None:
        for name, column in zip(table.column_names, table.columns, strict=True):
            for chunk in column.chunks:
                self._add(name, chunk)

    def _add(self, path: str, array: Any) -> None:
        import pyarrow as pa

        kind = array.type
        node = self._nodes.setdefault(path, [0, 0, 0, 0])
        node[0] += len(array)
        node[1] += array.null_count
        if pa.types.is_string(kind):
            node[3] = 1
            node[2] += array.buffers()[2].size if array.buffers()[2] is not None else 0
        elif pa.types.is_list(kind):
            node[3] = 1
            self._add(f"{path}[]", array.values)
        elif pa.types.is_struct(kind):
            for index in range(kind.num_fields):
                self._add(f"{path}.{kind.field(index).name}", array.field(index))
        elif pa.types.is_boolean(kind):
            node[3] = -1  # values are bits, sized from the total length like a bitmap
        else:
            node[2] += len(array) * kind.bit_width // 8

    @property
    def nbytes(self) -> int:
        total = 0
        for length, nulls, values, layout in self._nodes.values():
            bitmap = (length + 7) // 8
            total += (bitmap if nulls else 0) + values
            total += 4 * length if layout == 1 else bitmap if layout == -1 else 0
        return total


def arrow_nbytes(records: list[dict[str, Any]], schema: dict[str, Any], batch: int = 1000) -> int:
    """Size in bytes of the records as one Arrow table of the declared features (dataset_info's
    num_bytes), computed batch by batch (see ArrowSize)."""
    size = ArrowSize()
    for start in range(0, len(records), batch):
        size.add(arrow_table(records[start : start + batch], schema))
    return size.nbytes
