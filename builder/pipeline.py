"""Chains the stages: read → parse → normalize → validate → (dedup) → write, with stats."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from tqdm import tqdm

from .errors import PageError
from .model import Page, Record, Reject
from .normalize.publications import load_registry
from .normalize.record import build_record
from .parse.detect import parse_page
from .read.files import DEFAULT_MAX_PAGE_BYTES, InputFile, list_inputs, read_file
from .read.manifest import ManifestEntry, load_manifest
from .validate.schema import RecordValidator
from .write.jsonl import atomic_output, dumps_line

Result = Record | Reject


class _Stages:
    """The per-process state of the stages: the compiled validator and the registry."""

    def __init__(self) -> None:
        self.validator = RecordValidator()
        self.registry = load_registry()

    def process_page(self, page: Page) -> Result:
        """One page to a valid record, or to a reject saying why not."""
        try:
            record = build_record(parse_page(page), page, self.registry)
        except PageError as error:
            return Reject(page.raw_path, error.reason, error.message, page.warc_record_id, page.url)
        problems = self.validator.problems(record)
        if problems:
            message = "; ".join(str(p) for p in problems)
            return Reject(page.raw_path, "schema_invalid", message, page.warc_record_id, page.url)
        return record


_STAGES: _Stages | None = None


def _stages() -> _Stages:
    global _STAGES
    if _STAGES is None:
        _STAGES = _Stages()
    return _STAGES


def process_page(page: Page) -> Result:
    return _stages().process_page(page)


def process_file(task: tuple[InputFile, dict[str, ManifestEntry], int]) -> list[Result]:
    """All results of one input file; runs in a worker process."""
    item, manifest, max_bytes = task
    return [r if isinstance(r, Reject) else process_page(r) for r in read_file(item, manifest, max_bytes)]


@dataclass
class Summary:
    """Counts of one build; deterministic (no timings), written as summary.json."""

    pages: int = 0
    records: int = 0
    rejects: int = 0
    by_source_format: Counter[str] = field(default_factory=Counter)
    by_publication: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        self.pages += 1
        if isinstance(result, Reject):
            self.rejects += 1
            self.rejects_by_reason[result.reason] += 1
        else:
            self.records += 1
            self.by_source_format[result["provenance"]["source_format"]] += 1
            self.by_publication[result["publication"]] += 1
            self.by_language[result["language"]] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "records": self.records,
            "rejects": self.rejects,
            "records_by_source_format": dict(sorted(self.by_source_format.items())),
            "records_by_publication": dict(sorted(self.by_publication.items())),
            "records_by_language": dict(sorted(self.by_language.items())),
            "rejects_by_reason": dict(sorted(self.rejects_by_reason.items())),
            **self.extra,
        }


def default_workers() -> int:
    return os.cpu_count() or 1


def iter_file_results(files: list[InputFile], manifest: dict[str, ManifestEntry],
                      max_bytes: int = DEFAULT_MAX_PAGE_BYTES, workers: int = 1) -> Iterator[list[Result]]:
    """Each file's results in input order, whatever the worker count (ordered map)."""
    tasks = [(item, manifest, max_bytes) for item in files]
    if workers <= 1 or len(tasks) <= 1:
        yield from map(process_file, tasks)
        return
    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(process_file, tasks, chunksize=8)


@dataclass
class BuildOptions:
    inputs: list[Path]
    out: Path
    manifest: Path | None = None
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES
    progress: bool = True


def _progress(files: list[InputFile], enabled: bool) -> tqdm:
    return tqdm(total=len(files), unit="file", desc="build", disable=not enabled, file=sys.stderr)


def run_parse_stage(options: BuildOptions) -> tuple[Path, Summary]:
    """Read, parse, normalize and validate every page; write records and rejects atomically."""
    manifest = load_manifest(options.manifest) if options.manifest else {}
    exclude = [options.manifest] if options.manifest else []
    files = list_inputs(options.inputs, exclude=exclude)
    summary = Summary()
    options.out.mkdir(parents=True, exist_ok=True)
    records_path = options.out / "records.jsonl"
    with atomic_output(records_path) as records_out, \
            atomic_output(options.out / "rejects.jsonl") as rejects_out, \
            _progress(files, options.progress) as bar:
        for results in iter_file_results(files, manifest, options.max_bytes, options.workers):
            for result in results:
                summary.add(result)
                if isinstance(result, Reject):
                    rejects_out.write(dumps_line(result.to_json()))
                else:
                    records_out.write(dumps_line(result))
            bar.update(1)
    return records_path, summary


def write_summary(out: Path, summary: Summary) -> None:
    with atomic_output(out / "summary.json") as handle:
        handle.write(orjson.dumps(summary.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def build(options: BuildOptions) -> Summary:
    records_path, summary = run_parse_stage(options)
    write_summary(options.out, summary)
    return summary

