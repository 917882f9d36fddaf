"""Chains the stages: read → parse → normalize → validate → (dedup) → write, with stats."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, default_workers  # noqa: F401 (callers import default_workers here)
from ..digests import sha256_file
from ..errors import ConfigError
from ..executors import Executor, executor_for
from ..extras import dedup_module
from ..locks import holding
from ..model import Page
from ..normalize.langid_fast import identifier
from ..normalize.language import SAMPLE_CHARS
from ..normalize.publications import DEFAULT_REGISTRY, Registry, load_registry
from ..parse.aggregator import PARSER_VERSION as AGGREGATOR_VERSION
from ..parse.html.parser import PARSER_VERSION as HTML_VERSION
from ..progress import progress_bar
from ..read.files import DEFAULT_MAX_PAGE_BYTES, iter_inputs
from ..read.manifest import Manifest, ManifestEntry
from ..validate.schema import RecordValidator, schema_path
from ..write.shards import Shard, ShardStore, ShardWriter, shard_streams
from .batches import (
    FileOutput,
    FileTask,
    WorkSizes,
    batches,
    file_size,
    join_parts,
    process_files,
    split_warc,
)
from .steps import Step, StepStats, page_steps, run_steps
from .summary import Result, Summary, write_summary

if TYPE_CHECKING:
    from ..dedup.params import DedupSizes
    from ..dedup.stage import StreamedDedup



class _Stages:
    """The per-process state of the page steps: the compiled validator and the registry."""

    def __init__(self) -> None:
        self.validator = RecordValidator()
        self.registry = load_registry(DEFAULT_REGISTRY)  # the one a build's batches name
        self.stats = StepStats()
        # Per registry: the registry itself (kept alive, so its id is not reused) and
        # the steps normalizing with it.
        self._steps: dict[int, tuple[Registry, list[Step]]] = {}

    def steps(self, registry: Registry) -> list[Step]:
        """The page steps normalizing with `registry` (built once per registry)."""
        if id(registry) not in self._steps:
            self._steps[id(registry)] = (registry, page_steps(registry, self.validator))
        return self._steps[id(registry)][1]

    def process_page(self, page: Page, registry: Registry | None = None) -> Result:
        """One page to a valid record, or to a reject saying why not.

        `registry` replaces the stage's own publication registry for this page (the
        contribution check parses pages with the registry their publication.yaml proposes).
        """
        return self.process_pages([page], registry)[0]

    def process_pages(self, pages: list[Page], registry: Registry | None = None) -> list[Result]:
        """`process_page` of each page, through the steps (builder.pipeline.steps) as a group."""
        steps = self.steps(self.registry if registry is None else registry)
        return run_steps(pages, steps, self.stats)


_STAGES: _Stages | None = None


def _stages() -> _Stages:
    global _STAGES
    if _STAGES is None:
        _STAGES = _Stages()
    return _STAGES


def process_page(page: Page, registry: Registry | None = None) -> Result:
    return _stages().process_page(page, registry)


def process_pages(pages: list[Page]) -> list[Result]:
    return _stages().process_pages(pages)


def process_batch(task: tuple[list[FileTask], int, WorkSizes, Path]) -> list[FileOutput]:
    """The serialized results of a batch of input files; runs in a worker process."""
    batch, max_bytes, sizes, registry_file = task
    stages, registry = _stages(), load_registry(registry_file)  # read once per process
    return process_files(batch, max_bytes, lambda pages: stages.process_pages(pages, registry),
                         sizes)


@dataclass
class BuildOptions:
    inputs: list[Path]
    out: Path
    manifest: Path | None = None
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES
    progress: bool = True
    resume: bool = False  # keep the finished shards of an interrupted build (see write/shards.py)
    backend: str = "local"  # "local" (worker processes) or "ray" (executors/ray.py)
    address: str | None = None  # Ray cluster address; None starts a local Ray instance
    dedup: bool = True  # merge duplicate records after parsing (builder.dedup; docs/dedup.md)
    dedup_against: Path | None = None  # a previous release whose records are kept and matched
    sizes: WorkSizes = field(default_factory=WorkSizes)  # shards, batches, page groups
    # dedup's batches, pool and feed thresholds (None: its defaults); dedup's own, so that
    # the parse stage's tasks, which carry `sizes`, never need the dedup extra to unpickle
    dedup_sizes: DedupSizes | None = None
    # Manifest entries by page path, given instead of a manifest file (`builder parse
    # --url`, the contribution check: their entries are in hand, not in a file).
    manifest_entries: Mapping[str, ManifestEntry] | None = None
    # The publication registry the pages are normalized with (the contribution check
    # passes one with the publication it proposes).
    registry: Path = DEFAULT_REGISTRY

    def __post_init__(self) -> None:
        """Values a caller of the API can get wrong, refused before any work starts."""
        if self.workers < 1:
            raise ConfigError(f"workers must be at least 1, not {self.workers}")
        if self.max_bytes < 1:
            raise ConfigError(f"the page size limit must be at least 1 byte, not {self.max_bytes}")
        if self.backend not in ("local", "ray"):
            raise ConfigError(f"unknown backend {self.backend!r}: use 'local' or 'ray'")
        if self.manifest is not None and self.manifest_entries is not None:
            raise ConfigError("give the manifest as a file or as entries, not both")
        if not self.registry.is_file():
            raise ConfigError(f"{self.registry}: no such publication registry file")


def _progress(enabled: bool) -> Any:
    # No total: the input folders are listed as a stream, never counted up front.
    return progress_bar(enabled, unit="file", desc="build")


def _settings(options: BuildOptions) -> dict[str, Any]:
    """What, besides the input bytes and the manifest, decides the records (for resume)."""
    return {"builder": __version__, "max_bytes": options.max_bytes,
            "schema": sha256_file(schema_path()),
            "registry": sha256_file(options.registry),
            "parsers": [AGGREGATOR_VERSION, HTML_VERSION],
            "language_sample_chars": SAMPLE_CHARS}


@dataclass(frozen=True)
class KeptShard:
    """A shard an earlier run finished (resume): its counts, nothing to compute."""

    number: int
    counts: dict[str, Any]
    files: int


@dataclass(frozen=True)
class Batch:
    """Files of one shard to process in a worker; `last` closes the shard."""

    number: int
    group: list[FileTask]
    last: bool
    max_bytes: int
    sizes: WorkSizes
    registry: Path  # the publication registry file (BuildOptions.registry)


@dataclass(frozen=True)
class BatchDone:
    """What a worker made of a Batch: one output per file (or WARC part)."""

    number: int
    outputs: list[FileOutput]
    last: bool
    files: int  # whole input files done (a split WARC file counts at its last part)


def _work(tasks: Iterator[FileTask], store: ShardStore, options: BuildOptions
          ) -> Iterator[KeptShard | Batch]:
    """Per shard: a KeptShard when resuming it, else its batches in order, each sent as
    soon as its files are listed (a resumed shard is listed in full first, to compare it
    with its marker)."""
    for number, stream in shard_streams(tasks, options.sizes):
        if options.resume:
            shard = Shard(number, list(stream))
            marker = store.finished(shard)
            if marker is not None:
                yield KeptShard(number, marker["counts"], len(shard.tasks))
                continue
            stream = iter(shard.tasks)
        groups = (part for group in batches(stream, options.sizes)
                  for part in split_warc(group, options.workers, options.sizes))
        for group, last in _with_last(groups):
            yield Batch(number, group, last, options.max_bytes, options.sizes, options.registry)


def _with_last(items: Iterator[list[FileTask]]) -> Iterator[tuple[list[FileTask], bool]]:
    """Each item with whether it is the last one (one item of look-ahead)."""
    previous: list[FileTask] | None = None
    for item in items:
        if previous is not None:
            yield previous, False
        previous = item
    if previous is not None:
        yield previous, True


def _run_item(item: KeptShard | Batch) -> KeptShard | BatchDone:
    """A Batch becomes its BatchDone (in a worker); a KeptShard passes through."""
    if isinstance(item, KeptShard):
        return item
    files = sum(1 for task in item.group if task.part == task.parts - 1)  # a split file once
    done = process_batch((item.group, item.max_bytes, item.sizes, item.registry))
    return BatchDone(item.number, done, item.last, files)


def _consume(
    results: Iterator[KeptShard | BatchDone], store: ShardStore, bar: Any,
    dedup: StreamedDedup | None
) -> tuple[Summary, int]:
    """Write batch results into their shards in order, and feed their records to `dedup`
    (when it runs along); the summary and the shard count."""
    summary, shard_summary, shards = Summary(), Summary(), 0
    writer: ShardWriter | None = None
    parts: list[FileOutput] = []  # the parts of a split WARC file received so far
    try:
        for result in results:
            if isinstance(result, KeptShard):
                summary.merge(Summary.from_json(result.counts))
                if dedup is not None:
                    dedup.add_file(store.records_file(result.number))
                bar.update(result.files)
                shards += 1
                continue
            writer = writer or store.writer(result.number)
            whole = _whole_files(result.outputs, parts)
            for output in whole:
                writer.add(output)
                for key in output.results:
                    shard_summary.add_key(key)
            if dedup is not None:
                dedup.add(b"".join(output.records for output in whole))
            bar.update(result.files)
            if result.last:
                writer.commit(shard_summary.to_json())
                summary.merge(shard_summary)
                writer, shard_summary, shards = None, Summary(), shards + 1
    finally:
        if writer is not None:
            writer.abort()
    return summary, shards


def _whole_files(outputs: list[FileOutput], parts: list[FileOutput]) -> list[FileOutput]:
    """The outputs of whole files: a split file's parts are kept in `parts` until its last
    one comes, then joined."""
    whole = []
    for output in outputs:
        if output.parts > 1:
            parts.append(output)
            if len(parts) < output.parts:
                continue
            output = join_parts(parts)
            parts.clear()
        whole.append(output)
    return whole


def _executor(options: BuildOptions) -> Executor:
    """What runs the batches: local worker processes or Ray tasks."""
    if options.backend == "local" and options.workers > 1:
        # Load the validator, registry and language model before the workers fork: they
        # start at once and share the model's arrays (about 120 MB) instead of copying them.
        _stages()
        identifier()
    return executor_for(options.backend, options.workers, options.address)


def _describe(item: KeptShard | Batch) -> str:
    """A batch item in an error message: the files it holds."""
    if isinstance(item, KeptShard):
        return f"shard {item.number} (kept from an earlier run)"
    group = item.group
    names = ", ".join(task.item.raw_path for task in group[:3])
    more = f" and {len(group) - 3} more" if len(group) > 3 else ""
    return f"the batch of {len(group)} file(s) {names}{more}"


def run_parse_stage(
    options: BuildOptions, dedup: StreamedDedup | None = None
) -> tuple[Path, Summary]:
    """Read, parse, normalize and validate every page; write records and rejects atomically.

    Pages are processed in shards (see write/shards.py) on `options.workers` processes; the
    outputs are the same bytes whatever the worker count and whether or not the build
    was resumed. `dedup` is given the records as they are written (dedup/stage.py).
    """
    manifest = (Manifest(None, dict(options.manifest_entries))
                if options.manifest_entries is not None else Manifest.load(options.manifest))
    exclude = [options.manifest] if options.manifest else []
    files = iter_inputs(options.inputs, exclude=exclude)
    tasks = (FileTask(f, manifest.claim(f.raw_path), file_size(str(f.path))) for f in files)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "summary.json").unlink(missing_ok=True)  # the folder is not a finished build now
    store = ShardStore(options.out, _settings(options))
    if not options.resume:
        store.reset()
    executor = _executor(options)
    try:
        with _progress(options.progress) as bar:
            work = _work(tasks, store, options)
            results = executor.map(_run_item, work, _describe)
            summary, count = _consume(results, store, bar, dedup)
    finally:
        executor.close()
    records_path = options.out / "records.jsonl"
    store.join(count, records_path, options.out / "rejects.jsonl")
    # Every input has been listed now: rows left unclaimed name no input page.
    summary.extra["manifest_rows_unused"] = len(manifest.unclaimed)
    summary.extra["manifest_urls_not_used"] = len(manifest.url_problems)
    for warning in (manifest.unused_warning(), manifest.url_warning()):
        if warning:
            print(warning, file=sys.stderr)
    return records_path, summary


def _dedup_stage() -> Any:
    """builder.dedup.stage, or a BuilderError saying how to install it."""
    return dedup_module("the dedup stage (turned off by --no-dedup)", "builder.dedup.stage")


def _dedup(records_path: Path, options: BuildOptions) -> dict[str, Any]:
    """The dedup stage over the written records (read back, deduplicated, rewritten)."""
    dedup_build_output = _dedup_stage().dedup_build_output
    # Locally, dedup starts its own workers (spawned: see dedup/executor.py); on Ray its
    # index batches and LSH band tasks go to the cluster the parse stage used.
    executor = None
    if options.backend == "ray":
        executor = executor_for(options.backend, options.workers, options.address)
    return dedup_build_output(records_path, options.out, options.workers, options.progress,
                              options.dedup_against, executor=executor,
                              sizes=options.dedup_sizes)


def _streams_dedup(options: BuildOptions) -> bool:
    """Whether dedup's first pass runs along the parse stage, on dedup workers: with local
    worker processes, and without a previous release (whose records come first)."""
    return (options.dedup and options.backend == "local" and options.workers > 1
            and options.dedup_against is None)


def build(options: BuildOptions) -> Summary:
    """Every stage over the inputs into `options.out`; one build of a folder at a time."""
    with holding(options.out):
        return _build(options)


def _build(options: BuildOptions) -> Summary:
    if _streams_dedup(options):
        records = options.out / "records.jsonl"
        options.out.mkdir(parents=True, exist_ok=True)
        with _dedup_stage().StreamedDedup(records, options.out, options.workers,
                                          options.progress, sizes=options.dedup_sizes) as dedup:
            records_path, summary = run_parse_stage(options, dedup)
            summary.extra["dedup"] = dedup.finish()
    else:
        records_path, summary = run_parse_stage(options)
        if options.dedup:
            summary.extra["dedup"] = _dedup(records_path, options)
    write_summary(options.out, summary)
    ShardStore(options.out, {}).reset()  # finished: the shards are in the outputs now
    return summary

