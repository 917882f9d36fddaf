"""Stage-by-stage timing of the pipeline, and the reference jobs it is compared with.

The stage pass calls the same functions as `builder.pipeline.runner` (read_file, parse_page,
build_record and fill_languages, RecordValidator, dumps_line) in one process, timing
each call, so the table can say where a page's time goes. The references are what a user would run
instead for part of the job: the bare HTML extractor, a plain json + jsonschema
loop, and copying the same bytes (the floor no pipeline can beat).
"""

from __future__ import annotations

import gzip
import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import orjson

from builder.errors import PageError
from builder.model import Draft, Page, Reject
from builder.normalize.publications import Registry, load_registry
from builder.normalize.record import build_record, fill_languages
from builder.parse.detect import parse_page
from builder.pipeline.batches import WorkSizes
from builder.read.files import DEFAULT_MAX_PAGE_BYTES, InputFile, list_inputs, read_file
from builder.read.manifest import load_manifest
from builder.validate.schema import RecordValidator, load_schema
from builder.write.jsonl import dumps_line

from .measure import StageTimer

STAGES = ("read", "decode+parse", "normalize", "validate", "write")


def input_files(root: Path, manifest: Path | None) -> list[InputFile]:
    return list_inputs([root], exclude=[manifest] if manifest else [])


def stage_pass(root: Path, manifest: Path | None, out: Path) -> StageTimer:
    """Every page through parse → normalize → validate → write, each call timed.

    Pages are normalized in groups of `WorkSizes.page_group`, as a build's workers do: the
    records one by one, then the languages of the group in one call (its time is
    counted in normalize).
    """
    entries = load_manifest(manifest) if manifest else {}
    registry, validator, timer = load_registry(), RecordValidator(), StageTimer()
    group: list[Page] = []
    with out.open("wb") as handle:
        for item in input_files(root, manifest):
            with timer.time("read", 0):
                pages = list(read_file(item, entries, DEFAULT_MAX_PAGE_BYTES))
            timer.items["read"] += len(pages)
            group.extend(page for page in pages if not isinstance(page, Reject))
            if len(group) >= WorkSizes().page_group:
                _stage_group(group, registry, validator, timer, handle)
        _stage_group(group, registry, validator, timer, handle)
    return timer


def _parsed(page: Page, timer: StageTimer) -> Draft | None:
    """The page decoded and parsed, timed under its format too; None if it is rejected."""
    started = time.perf_counter()
    try:
        draft = parse_page(page)
    except PageError:
        timer.seconds["decode+parse"] += time.perf_counter() - started
        timer.items["decode+parse"] += 1
        return None
    elapsed = time.perf_counter() - started
    for stage in ("decode+parse", f"decode+parse {draft.source_format}"):
        timer.seconds[stage] += elapsed
        timer.items[stage] += 1
    return draft


def _stage_group(
    group: list[Page], registry: Registry, validator: RecordValidator, timer: StageTimer, handle: IO
) -> None:
    """Parse, normalize, validate and write a group of pages, each stage timed."""
    records = []
    for page in group:
        draft = _parsed(page, timer)
        if draft is None:
            continue
        try:
            with timer.time("normalize"):
                records.append(build_record(draft, page, registry, identify=False))
        except PageError:
            continue
    with timer.time("normalize", 0):
        fill_languages(records)
    for record in records:
        with timer.time("validate"):
            problems = validator.problems(record)
        if not problems:
            with timer.time("write"):
                handle.write(dumps_line(record))
    group.clear()


def copy_floor(files: list[InputFile], out: Path) -> float:
    """Seconds to read every input file and write the same bytes to one file."""
    started = time.perf_counter()
    with out.open("wb") as handle:
        for item in files:
            handle.write(item.path.read_bytes())
    return time.perf_counter() - started


# Validation loops are timed on the first records only (rate per record is what counts).
VALIDATION_SAMPLE = 20_000


def _records(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from itertools.islice(handle, VALIDATION_SAMPLE)


def plain_jsonschema_loop(records: Path) -> tuple[float, int]:
    """Seconds for the loop a user writes by hand: json.loads + jsonschema validate, per line."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(load_schema(), format_checker=FormatChecker())
    count, started = 0, time.perf_counter()
    for line in _records(records):
        validator.validate(json.loads(line))
        count += 1
    return time.perf_counter() - started, count


def builder_validate_loop(records: Path) -> tuple[float, int]:
    """The same loop with the builder's validator (compiled fast path, orjson)."""
    validator = RecordValidator()
    count, started = 0, time.perf_counter()
    for line in _records(records):
        if validator.problems(orjson.loads(line)):
            raise AssertionError(f"{records}: record {count + 1} does not validate")
        count += 1
    return time.perf_counter() - started, count


def html_files(root: Path) -> list[InputFile]:
    """The loose HTML pages of a generated corpus (the WARC captures are not included)."""
    folder = root / "html"
    return input_files(folder, None) if folder.is_dir() else []


def bare_extractor(files: list[InputFile]) -> tuple[float, int]:
    """Seconds for trafilatura alone on the HTML pages, read from disk and decoded."""
    import trafilatura

    count, started = 0, time.perf_counter()
    for item in files:
        data = item.path.read_bytes()
        if item.raw_path.endswith(".gz"):
            data = gzip.decompress(data)
        doc = trafilatura.bare_extraction(
            data.decode("utf-8"), with_metadata=True, include_comments=False, include_tables=False
        )
        count += doc is not None
    return time.perf_counter() - started, len(files)
