"""`builder release`: from pages to a verified release folder under dist/.

Build → validate → takedowns and released ids (prepare.py) → dedup (against the previous
release) → write → verify → publish into dist/.
The build is `pipeline.build` (the one runner: workers, Ray, resume, faults) into
`dist/.build-VERSION/`, which stays when the build itself stops (a killed worker,
Ctrl-C) so that `--resume` goes on from its finished shards; once the build is done it
is removed with the staging folder, whatever happens next.
Nothing reaches dist/<version> unless every step succeeded and the written folder
verified; a failure at any point removes the staging folder and leaves dist/ as it was.
Every step streams from files to files (build output, dedup survivors, the previous
release's shards), so memory does not grow with the number of records.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import DatasetConfig, load_config
from ..errors import BuilderError, ConfigError
from ..extras import dedup_module
from ..model import Changes
from ..pipeline.batches import WorkSizes
from ..pipeline.runner import BuildOptions, build
from ..validate.records import validate_jsonl
from ..validate.schema import RecordValidator, load_schema, schema_path
from ..write.jsonl import read_jsonl
from . import layout
from .changelog import NOT_IN_INPUTS, NOT_KEPT
from .prepare import prepare_records
from .takedowns import TakedownFilter, load_takedowns, read_tombstones
from .verify import verify_release
from .versions import (
    Version,
    check_new_version,
    check_schema_bump,
    parse_version,
    previous_release,
    schema_change,
)
from .write import ReleaseContent, write_release

MAX_LISTED = 20  # problems shown in a fatal message; the rest are counted


@dataclass
class ReleaseOptions:
    config: Path
    version: str
    dist: Path = Path("dist")
    workers: int = 1
    progress: bool = False
    load_check: bool = True  # load the staged release with datasets before publishing it
    schema: Path | None = None  # the record schema file; default: the current schema/vN
    allow_unchanged: bool = False  # release even when no record changed since the previous one
    resume: bool = False  # keep the finished shards of an interrupted release's build
    backend: str = "local"  # where the build runs: "local" processes or "ray"
    address: str | None = None  # the Ray cluster's address (None: a local Ray)
    sizes: WorkSizes = field(default_factory=WorkSizes)  # how the build cuts its work
    timings: dict[str, float] = field(default_factory=dict)


def _fatal_list(title: str, problems: list[str], found: int | None = None) -> BuilderError:
    """A fatal error listing the first problems.

    `found` counts them all when only some were kept.
    """
    found = len(problems) if found is None else found
    shown = problems[:MAX_LISTED]
    more = f"\n... and {found - len(shown)} more" if found > len(shown) else ""
    return BuilderError(f"{title}:\n" + "\n".join(shown) + more)


def _previous(
    dist: Path, version: Version, schema: dict[str, Any]
) -> tuple[str | None, Path | None]:
    """The previous release's version and folder, after checking the schema bump rule."""
    previous = previous_release(dist, version)
    if previous is None:
        return None, None
    folder = dist / str(previous)
    try:
        old_schema = json.loads((folder / layout.SCHEMA).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuilderError(
            f"{folder / layout.SCHEMA}: cannot read the previous release's schema: {exc}"
        ) from None
    check_schema_bump(previous, version, schema_change(old_schema, schema))
    return str(previous), folder


def _check_problems(problems: Iterable[str], title: str) -> None:
    """A fatal error listing the first problems (and counting the rest), if there is any."""
    shown: list[str] = []
    found = 0
    for problem in problems:
        found += 1
        if len(shown) < MAX_LISTED:
            shown.append(problem)
    if found:
        raise _fatal_list(title, shown, found)


def _record_problems(path: Path, schema: dict[str, Any]) -> Iterator[str]:
    """Problems of the deduplicated records, named by record id.

    By id rather than line: the work file does not outlive the run.
    """
    validator = RecordValidator(schema)
    for _, record in read_jsonl(path):
        yield from (f"record {record.get('id')}: {p}" for p in validator.problems(record))


def build_folder(dist: Path, version: Version) -> Path:
    """Where a release's build writes: kept after a failure, for --resume."""
    return dist / f".build-{version}"


def _build(
    config: DatasetConfig, out: Path, options: ReleaseOptions, schema: dict[str, Any]
) -> tuple[Path, Path, dict]:
    """Build records from the config's inputs, validate them from the written file.

    Returns (records, rejects, summary). Dedup runs later, after the takedowns and
    against the previous release, so the build has none of its own.
    """
    build_options = BuildOptions(
        inputs=list(config.inputs),
        out=out,
        manifest=config.manifest,
        workers=options.workers,
        progress=options.progress,
        resume=options.resume,
        backend=options.backend,
        address=options.address,
        dedup=False,
        sizes=options.sizes,
    )
    summary = build(build_options)
    records_path = out / "records.jsonl"
    problems = (str(p) for p in validate_jsonl(records_path, RecordValidator(schema)))
    _check_problems(problems, "built records do not validate against the schema")
    return records_path, out / "rejects.jsonl", summary.to_json()


def _deduplicate(
    records: Path, previous: Path | None, config: DatasetConfig, work: Path, options: ReleaseOptions
) -> tuple[Path, Path, dict[str, Any], dict[str, Any]]:
    """The one place the dedup stage is called.

    Returns (survivors file, report file, stats, parameters used).

    It streams: the built records and the previous release's shards are read from disk
    and the survivors written sorted by id, holding only the dedup index in memory.
    """
    dedup = dedup_module("builder release (its dedup stage)")

    try:
        params = dedup.DedupParams(**config.dedup)
    except (TypeError, ValueError, ConfigError) as exc:  # unknown key, bad value
        raise ConfigError(f"{config.path}: dedup: {exc}") from None
    sources = [dedup.Source(records)]
    if previous:
        sources.append(dedup.Source(previous, previous=True))
    survivors, report = work / "survivors.jsonl", work / "dedup_report.jsonl"
    stats = dedup.dedup_files(
        sources, survivors, report, params, workers=options.workers, progress=options.progress
    )
    return survivors, report, dict(stats), params.to_json()


def check_release_note(config: DatasetConfig, version: Version, dist: Path) -> None:
    """The version has its `releases:` entry with a date, not before the previous release's."""
    note = config.releases.get(str(version))
    if note is None or not note.date:
        raise ConfigError(
            f"{config.path}: releases: {'no entry' if note is None else 'no date'} for "
            f"{version}; a release carries the date and note written there. Add:\n\n"
            f'releases:\n  "{version}":\n    date: YYYY-MM-DD\n'
            "    notes: What changed in this release."
        )
    previous = previous_release(dist, version)
    if previous is None:
        return
    # an unreadable previous release fails its schema check with a message
    info = layout.read_json_or_none(dist / str(previous) / layout.RELEASE_INFO)
    before = info.get("date") if isinstance(info, dict) else None
    if isinstance(before, str) and note.date < before:
        raise ConfigError(
            f"{config.path}: releases: {version}: date {note.date} is before the date of "
            f"the previous release {previous} ({before})"
        )


def _check_changed(changes: Changes, version: Version, options: ReleaseOptions) -> None:
    if changes.previous is None or options.allow_unchanged:
        return
    if changes.added or changes.removed or changes.updated:
        return
    provenance = (
        f", {changes.provenance_only} with only their provenance changed"
        if changes.provenance_only
        else ""
    )
    raise BuilderError(
        f"release {version} changes no record since {changes.previous} ({changes.unchanged} "
        f"unchanged{provenance}); nothing was published. Release it anyway with "
        "--allow-unchanged (for a new card or description, say)"
    )


def _timed(options: ReleaseOptions, step: str, started: float) -> float:
    now = time.perf_counter()
    options.timings[step] = now - started
    if options.progress:
        print(f"release: {step} done in {now - started:.2f}s", file=sys.stderr)
    return now


def make_release(options: ReleaseOptions) -> Path:
    """Build, check and publish dist/<version>; returns its path."""
    config = load_config(options.config)
    version = parse_version(options.version)
    check_new_version(options.dist, version)
    check_release_note(config, version, options.dist)
    entries = load_takedowns(config.takedowns)  # a bad file fails before the build
    schema_file = options.schema or schema_path()
    schema = load_schema(schema_file)
    schema_bytes = schema_file.read_bytes()
    previous_version, previous_folder = _previous(options.dist, version, schema)
    started = time.perf_counter()
    with layout.staging(options.dist, str(version)) as stage:
        built = build_folder(options.dist, version)
        records, rejects, build_summary = _build(config, built, options, schema)
        try:
            started = _timed(options, "build+validate", started)
            takedowns = TakedownFilter(read_tombstones(previous_folder), entries, str(version))
            prepared = prepare_records(
                records, previous_folder, takedowns, stage.work, config.cumulative
            )
            survivors, report, stats, params = _deduplicate(
                prepared.records, prepared.previous, config, stage.work, options
            )
            _check_problems(
                _record_problems(survivors, schema),
                "deduplicated records do not validate against the schema",
            )
            started = _timed(options, "dedup", started)
            content = ReleaseContent(
                records=survivors,
                schema=schema,
                schema_bytes=schema_bytes,
                rejects=rejects,
                build=build_summary,
                dedup_report=report,
                dedup_stats=stats,
                dedup_params=params,
                previous_version=previous_version,
                previous_release=previous_folder,
                removed_reasons={i: t.label() for i, t in sorted(prepared.taken_down.items())},
                default_reason=NOT_KEPT if config.cumulative else NOT_IN_INPUTS,
                tombstones=takedowns.rows(),
                corrected=prepared.corrected,
                progress=options.progress,
            )
            changes = write_release(stage.release, config, str(version), content)
            _check_changed(changes, version, options)
            started = _timed(options, "write", started)
            problems = verify_release(
                stage.release, load=options.load_check, progress=options.progress
            )
            if problems:
                raise _fatal_list(
                    f"release {version} failed verification; nothing was published", problems
                )
            _timed(options, "verify", started)
            return layout.publish_staged(stage, options.dist)
        finally:
            shutil.rmtree(built, ignore_errors=True)  # built: nothing left to resume
