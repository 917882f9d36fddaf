"""Re-check a release: checksums, every record against its schema, the card against the data.

Every problem is reported (file, line or key, what is wrong); nothing stops at the first.
With `load=True` the release is also loaded with `datasets.load_dataset` and every row
compared with the record written, which proves the declared features round-trip.
Records are streamed from the shards (once to check them, again for each comparison), so
memory does not grow with the release.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import logging
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

import orjson
import yaml

from ..card.data import size_category
from ..card.render import split_card
from ..config import HUB_LICENSES, PARQUET_DIR, hub_language_codes
from ..digests import sha256_file
from ..errors import BuilderError
from ..model import Record
from ..progress import progress_bar
from ..schema_features import (
    ArrowSize,
    arrow_table,
    canonical_json,
    features_from_schema,
    record_fields,
)
from ..validate.schema import RecordValidator
from . import layout
from .checksums import check_sums
from .integrity import check_against, check_card_facts, check_paths, check_release_info
from .shards import iter_release_records, iter_shard_lines, shard_paths

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
MAX_RECORD_PROBLEMS = 50  # beyond this the list only repeats one mistake; the count says how many
ARROW_BATCH = 1000  # records converted to Arrow at once to size the split


@dataclass
class RecordsFound:
    """What the card is checked against: rows, and the Arrow size when every record is valid."""

    rows: int
    num_bytes: int | None


def _load_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return None


def _record_issues(record: Any, previous: Record | None, validator: RecordValidator) -> list[str]:
    if not isinstance(record, dict):
        return ["/: a record must be a JSON object"]
    issues = [str(p) for p in validator.problems(record)]
    if previous is not None and str(record.get("id")) <= str(previous.get("id")):
        issues.append(
            f"/id: {record.get('id')!r} is not after {previous.get('id')!r} "
            "(ids must be unique and sorted)"
        )
    return issues


def check_records(
    release: Path, schema: dict[str, Any], problems: list[str], bar: Any = None,
    arrow_batch: int = ARROW_BATCH,
) -> RecordsFound:
    """Every record valid against the release's schema, ids unique and in order."""
    validator = RecordValidator(schema)
    size, batch = ArrowSize(), []
    previous: Record | None = None
    rows = found = 0
    for path in shard_paths(release):
        for number, line in iter_shard_lines(path):  # every bad line is listed: not read_jsonl
            if bar is not None:
                bar.update()
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                record, issues = None, [f"/: not valid JSON: {exc}"]
            else:
                issues = _record_issues(record, previous, validator)
                previous, rows = record, rows + 1
            for issue in issues:
                found += 1
                if found <= MAX_RECORD_PROBLEMS:
                    problems.append(f"{path}:{number}: {issue}")
            if not found:  # only valid records have a defined Arrow size
                batch.append(record)
                if len(batch) >= arrow_batch:
                    size.add(arrow_table(batch, schema))
                    batch = []
    if found > MAX_RECORD_PROBLEMS:
        problems.append(
            f"{release}: {found} record problems in all, the first {MAX_RECORD_PROBLEMS} listed"
        )
    if found:
        return RecordsFound(rows, None)
    if batch:
        size.add(arrow_table(batch, schema))
    return RecordsFound(rows, size.nbytes)


def _check_data_files(release: Path, meta: dict[str, Any], where: str, problems: list[str]) -> None:
    shards = {p.relative_to(release).as_posix() for p in shard_paths(release)}
    patterns = [f["path"] for c in meta.get("configs", []) for f in c.get("data_files", [])]
    matched = {s for s in shards if any(fnmatch.fnmatch(s, p) for p in patterns)}
    if not patterns or matched != shards:
        problems.append(
            f"{where}: configs data_files {patterns} match {sorted(matched)}, "
            f"not the shards {sorted(shards)}"
        )
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    if any(fnmatch.fnmatch(f, p) for f in files - shards for p in patterns):
        problems.append(
            f"{where}: configs data_files {patterns} also match files that are not data shards"
        )


def _metadata_checks(
    meta: dict[str, Any], schema: dict[str, Any], records: RecordsFound, data_bytes: int
) -> list[tuple[str, bool, Any]]:
    """(key, holds, value shown when it does not) for each fact the card states about the data."""
    info = meta.get("dataset_info", {})
    split = (info.get("splits") or [{}])[0]
    languages = meta.get("language") or []
    checks = [
        ("license", meta.get("license") in HUB_LICENSES, meta.get("license")),
        ("language", bool(languages) and set(languages) <= hub_language_codes(), languages),
        (
            "multilinguality",
            # absent in cards made before the key was written
            meta.get("multilinguality", None) is None
            or meta["multilinguality"] == ["multilingual" if len(languages) > 1 else "monolingual"],
            meta.get("multilinguality"),
        ),
        (
            "size_categories",
            meta.get("size_categories") == [size_category(records.rows)],
            meta.get("size_categories"),
        ),
        (
            "dataset_info.features",
            info.get("features") == features_from_schema(schema)._to_yaml_list(),
            "not the features derived from schema.json",
        ),
        (
            "dataset_info.splits.num_examples",
            split.get("num_examples") == records.rows,
            f"{split.get('num_examples')} but the data has {records.rows} rows",
        ),
        (
            "dataset_info.download_size",
            info.get("download_size") == data_bytes,
            f"{info.get('download_size')} but the data files have {data_bytes} bytes",
        ),
    ]
    arrow = records.num_bytes
    if (
        arrow is not None
    ):  # only valid records have a defined Arrow size; invalid ones are reported already
        checks.append(
            (
                "dataset_info.splits.num_bytes",
                split.get("num_bytes") == info.get("dataset_size") == arrow,
                f"{split.get('num_bytes')} but the data is {arrow} bytes in Arrow",
            )
        )
    return checks


@dataclass(frozen=True)
class Card:
    """The release's README.md, read once for every check of it."""

    meta: dict[str, Any] | None  # None: missing or unreadable; {}: no YAML metadata block
    body: str
    problem: str | None  # why its metadata cannot be checked, else None


def read_card(release: Path) -> Card:
    """The card, or the one-line problem that stops its checks (a user's edit can break
    it: that is a finding, never a traceback)."""
    path = release / layout.CARD
    if not path.is_file():
        return Card(None, "", f"{path}: missing, or has no YAML metadata block")
    try:
        meta, body = split_card(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return Card(None, "", f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except yaml.YAMLError as exc:
        return Card(None, "", f"{path}: the metadata block is not valid YAML: "
                    f"{' '.join(str(exc).split())}")
    return Card(meta, body, None if meta else f"{path}: missing, or has no YAML metadata block")


def check_card(
    release: Path, card: Card, schema: dict[str, Any], records: RecordsFound,
    problems: list[str]
) -> None:
    """The card's metadata matches the data: counts, sizes, features, categories, files."""
    if card.problem is not None or card.meta is None:
        problems.append(card.problem or f"{release / layout.CARD}: cannot be read")
        return
    meta, body = card.meta, card.body
    where = f"{release / layout.CARD}: metadata"
    data_bytes = sum(p.stat().st_size for p in shard_paths(release))
    for key, holds, shown in _metadata_checks(meta, schema, records, data_bytes):
        if not holds:
            problems.append(f"{where}: {key}: wrong value {shown!r}")
    _check_data_files(release, meta, where, problems)
    _check_figures(release, body, problems)
    link = meta.get("license_link")
    if meta.get("license") == "other" and isinstance(link, str) and "://" not in link:
        if not (release / link).is_file():
            problems.append(f"{where}: license_link: {link} is not a file of the release")


def _check_figures(release: Path, body: str, problems: list[str]) -> None:
    linked = set(IMAGE_LINK.findall(body))
    for link in sorted(linked):
        if not (release / link).is_file():
            problems.append(f"{release / layout.CARD}: figure {link} is referenced but missing")
    for figure in sorted(p.relative_to(release).as_posix() for p in release.glob("figures/*.png")):
        if figure not in linked:
            problems.append(f"{release / figure}: not referenced by the card")


def _parquet_rows(
    files: list[Path], expected: Any, problems: list[str], arrow_batch: int
) -> Iterator[dict[str, Any]]:
    """Rows of the Parquet files in order, batch by batch, cast to the declared features."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in files:
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=arrow_batch):
            try:  # second timestamps come back as milliseconds (Parquet has no seconds unit)
                table = pa.Table.from_batches([batch]).cast(expected)
            except (ValueError, TypeError, NotImplementedError) as exc:
                problems.append(
                    f"{path}: columns {parquet.schema_arrow.names} do not cast to the "
                    f"schema's features: {exc}"
                )
                raise _CastFailed from None
            yield from table.to_pylist()


class _CastFailed(Exception):
    """A Parquet file did not cast; it is reported already."""


def check_parquet(
    release: Path, schema: dict[str, Any], problems: list[str], arrow_batch: int = ARROW_BATCH
) -> None:
    """The optional Parquet copy holds the same rows, in order, with the declared features."""
    files = sorted((release / PARQUET_DIR).glob("*.parquet"))
    if not files:
        return
    fields = record_fields(schema)
    rows = _parquet_rows(files, features_from_schema(schema).arrow_schema, problems, arrow_batch)
    try:
        for row, record in zip_longest(rows, iter_release_records(release)):
            if (
                row is None
                or record is None
                or canonical_json(row, fields) != canonical_json(record, fields)
            ):
                problems.append(
                    f"{release / PARQUET_DIR}: the Parquet rows differ from the JSON Lines records"
                )
                return
    except _CastFailed:
        return


def check_croissant(
    release: Path, problems: list[str], digest: Callable[[Path], str] = sha256_file
) -> None:
    """croissant.json lists every data shard with its current SHA-256."""
    metadata = _load_json(release / layout.CROISSANT, problems)
    if metadata is None:
        return
    listed = {
        d.get("contentUrl"): d.get("sha256")
        for d in metadata.get("distribution", [])
        if d.get("@type") == "cr:FileObject"
    }
    actual = {p.relative_to(release).as_posix(): digest(p) for p in shard_paths(release)}
    if listed != actual:
        problems.append(
            f"{release / layout.CROISSANT}: distribution lists {sorted(listed)} with checksums "
            "that do not match the data shards"
        )
    problems.extend(_mlcroissant_problems(release / layout.CROISSANT))


def _mlcroissant_problems(path: Path) -> list[str]:
    """Errors the reference Croissant library finds (skipped when it is not installed)."""
    try:
        import mlcroissant
    except ImportError:
        return []
    logging.getLogger("absl").setLevel(logging.ERROR)  # its warnings are advice, not errors
    try:
        with warnings.catch_warnings():  # rdflib deprecation noise from inside the library
            warnings.simplefilter("ignore", DeprecationWarning)
            mlcroissant.Dataset(jsonld=str(path))
    except mlcroissant.ValidationError as exc:
        return [f"{path}: not valid Croissant: {exc}"]
    return []


def _rows_stated(card: Card) -> int | None:
    """The row count the card states (for a progress bar's total), if it states one."""
    try:
        rows = card.meta["dataset_info"]["splits"][0]["num_examples"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None
    return rows if isinstance(rows, int) else None


def _card_rows(release: Path) -> int | None:
    return _rows_stated(read_card(release))


def check_consistency(release: Path, schema: dict[str, Any], rows: int, card: Card) -> list[str]:
    """release.json, the card and croissant.json agree with the folder and each other."""
    # a missing or broken file is reported by its own check
    croissant = layout.read_json_or_none(release / layout.CROISSANT)
    info = layout.read_json_or_none(release / layout.RELEASE_INFO)
    problems = check_release_info(release, info, croissant, schema, rows)
    if card.meta is not None:
        problems += check_card_facts(release, card.meta, croissant)
    return problems


def verify_release(
    release: Path, load: bool = False, progress: bool = False, against: str | None = None,
    arrow_batch: int = ARROW_BATCH,
) -> list[str]:
    """Every problem found in the release folder; empty when it is sound. `progress` shows
    a bar of the records checked on stderr; `against` is the published SHA256SUMS (a path
    or URL) to check every file against, which catches a recomputed SHA256SUMS;
    `arrow_batch` records go to Arrow at once (no problem found depends on it)."""
    if not release.is_dir():
        raise BuilderError(f"{release}: no such release folder")
    # SHA256SUMS, croissant.json (the shards) and `against` list digests: each file is
    # hashed once, however many lists it is checked against.
    digest = functools.cache(sha256_file)
    problems = [*check_paths(release), *check_sums(release, digest)]
    if against is not None:
        problems += check_against(release, against, digest)
    schema = _load_json(release / layout.SCHEMA, problems)
    if schema is None:
        return problems
    card = read_card(release)
    total = _rows_stated(card) if progress else None
    try:
        with progress_bar(progress, total=total, unit=" records", desc="verify") as bar:
            records = check_records(release, schema, problems, bar, arrow_batch)
    except BuilderError as exc:
        return [*problems, str(exc)]
    check_card(release, card, schema, records, problems)
    problems += check_consistency(release, schema, records.rows, card)
    if not problems:
        check_parquet(release, schema, problems, arrow_batch)
    check_croissant(release, problems, digest)
    if load and not problems:
        from .roundtrip import check_load

        if progress:
            print(f"verify: loading {release} with datasets.load_dataset", file=sys.stderr)
        problems.extend(check_load(release, schema, records.rows))
    return problems
