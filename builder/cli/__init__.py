"""The `builder` command: thin argument parsing over the library's stages."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path
from typing import NoReturn

from .. import __version__, default_workers
from ..argtypes import MAX_WORKERS, page_bytes, workers_count
from ..errors import BuilderError, PageError
from .release import add_release_commands

# Each command imports the stages it runs when it runs: the parse stack (trafilatura,
# the schema validators, the language model) is most of the startup of a command, and a
# worker process started by "spawn" or "forkserver" runs this module again.


def _cmd_parse(args: argparse.Namespace) -> int:
    import orjson

    from ..model import Reject
    from ..pipeline.batches import read_pages
    from ..pipeline.runner import process_page
    from ..read.files import DEFAULT_MAX_PAGE_BYTES, InputFile
    from ..read.manifest import ManifestEntry

    path = Path(args.file)
    if not path.is_file():
        raise BuilderError(f"{path}: no such file")
    manifest = {path.name: ManifestEntry(args.url, None)} if args.url else {}
    status = 0
    for page in read_pages(InputFile(path, path.name), manifest, DEFAULT_MAX_PAGE_BYTES):
        result = page if isinstance(page, Reject) else process_page(page)
        if isinstance(result, Reject):
            where = f" ({result.warc_record_id})" if result.warc_record_id else ""
            print(f"{path}{where}: {result.reason}: {result.message}", file=sys.stderr)
            status = 1
        else:
            pretty = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
            sys.stdout.buffer.write(orjson.dumps(result, option=pretty) + b"\n")
    return status


def _cmd_build(args: argparse.Namespace) -> int:
    from ..pipeline.runner import BuildOptions, build
    from ..read.files import DEFAULT_MAX_PAGE_BYTES
    from ..report import format_summary, reject_examples

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise BuilderError(f"{out}: --out must be a folder, and a file of that name exists")
    options = BuildOptions(
        inputs=[Path(p) for p in args.inputs],
        out=out,
        manifest=Path(args.manifest) if args.manifest else None,
        workers=args.workers,
        max_bytes=DEFAULT_MAX_PAGE_BYTES if args.max_bytes is None else args.max_bytes,
        progress=not args.quiet,
        resume=args.resume,
        backend=args.backend,
        address=args.address,
        dedup=not args.no_dedup,
        dedup_against=Path(args.against) if args.against else None,
    )
    started = time.perf_counter()
    summary = build(options)
    seconds = time.perf_counter() - started
    examples = reject_examples(options.out / "rejects.jsonl")
    print(format_summary(summary.to_json(), options.out, examples))
    rate = summary.pages / seconds if seconds > 0 else 0.0
    dedup = summary.extra.get("dedup") or {}
    records = (f"{dedup['output_records']} records after dedup ({summary.records} parsed, "
               f"{dedup['removed_records']} merged as duplicates)"
               if "output_records" in dedup else f"{summary.records} records")
    print(f"{summary.pages} pages -> {records}, {summary.rejects} rejects "
          f"in {seconds:.2f}s ({rate:.0f} pages/s); output in {options.out}", file=sys.stderr)
    bugs = summary.rejects_by_reason.get("internal_error", 0)
    if bugs:
        print(f"warning: {bugs} page(s) met a bug in news-builder (reason internal_error in "
              f"{options.out / 'rejects.jsonl'}): please report them", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.contrib:
        release = Path(args.release) if args.release else None
        paths = [Path(p) for p in args.files]
        # the contribution check is loaded only when asked for (it imports the dedup stage)
        from ..contrib import CheckOptions, run_check

        return run_check(CheckOptions(Path(args.contrib), paths, args.base, release), args.format)
    if args.base or args.release:
        raise BuilderError("--base and --release go with --contrib FOLDER")
    if not args.files:
        raise BuilderError("give JSONL files to check, or --contrib FOLDER for contributions")
    from ..validate.checks import RecordChecks
    from ..validate.records import validate_jsonl
    from ..validate.schema import RecordValidator

    validator, checks = RecordValidator(), RecordChecks()  # ids are compared across files
    bad = 0
    for name in args.files:
        for problem in validate_jsonl(Path(name), validator, checks):
            print(problem)
            bad += 1
    print(f"{bad} problem(s) in {len(args.files)} file(s)", file=sys.stderr)
    return 1 if bad else 0


# What the `dedup` extra installs (pyproject.toml): without one of them the dedup stage
# cannot be imported, and every command that needs it says how to install it.
DEDUP_EXTRA_MODULES = frozenset({"rensa", "xxhash", "numpy"})
DEDUP_INSTALL = "pip install -e '.[dedup]' (or pip install 'news-builder[dedup]')"


def _add_dedup_command(commands: argparse._SubParsersAction) -> None:
    """`builder dedup`; without the dedup extra, a `dedup` that says how to install it."""
    try:
        from .dedup import add_dedup_command
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in DEDUP_EXTRA_MODULES:
            raise  # a bug in the package, not a missing extra
        reason = f"builder dedup needs the dedup extra ({exc}): {DEDUP_INSTALL}"
        missing = commands.add_parser("dedup", help="merge duplicate records (needs the extra)")
        missing.add_argument("args", nargs=argparse.REMAINDER)
        missing.set_defaults(func=functools.partial(_fail, reason))
        return
    add_dedup_command(commands)


def _fail(message: str, _args: argparse.Namespace) -> NoReturn:
    raise BuilderError(message)


# Modules of the optional extras (pyproject.toml), and the extra that installs each.
EXTRA_OF_MODULE = {
    **{name: "release" for name in
       ("datasets", "pyarrow", "huggingface_hub", "matplotlib", "mlcroissant")},
    **{name: "dedup" for name in DEDUP_EXTRA_MODULES},
    "ray": "distributed",
}


def missing_extra(error: ModuleNotFoundError, command: str) -> str | None:
    """What to install when a command stops on a module of an optional extra, else None."""
    extra = EXTRA_OF_MODULE.get((error.name or "").partition(".")[0])
    if extra is None:
        return None
    return (f"builder {command} needs the {extra} extra ({error}): "
            f"pip install -e '.[{extra}]' (or pip install 'news-builder[{extra}]')")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="builder", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    parse = commands.add_parser("parse", help="print the record of one page as JSON")
    parse.add_argument("file")
    parse.add_argument("--url", help="source URL of the page, when the page does not carry it")
    parse.set_defaults(func=_cmd_parse)

    build_cmd = commands.add_parser(
        "build", help="build records.jsonl, rejects.jsonl and summary.json")
    build_cmd.add_argument("inputs", nargs="+", help="page files, WARC files or folders")
    build_cmd.add_argument("--out", required=True, help="output folder")
    build_cmd.add_argument(
        "--manifest", help="crawl manifest (CSV or JSONL: path, url, fetched_at)")
    build_cmd.add_argument("--workers", type=workers_count, default=default_workers(),
                           help=f"worker processes, 1 to {MAX_WORKERS} (default: all cores)")
    build_cmd.add_argument("--max-bytes", type=page_bytes,
                           help="size limit of one page in bytes, at least 1 (default: 10 MiB)")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    build_cmd.add_argument("--resume", action="store_true",
                           help="continue an interrupted build into the same --out, "
                           "keeping its finished shards")
    build_cmd.add_argument("--backend", choices=("local", "ray"), default="local",
                           help="local: worker processes on this machine; "
                           "ray: tasks on a Ray cluster")
    build_cmd.add_argument("--address", help="with --backend ray: the cluster's address "
                           "(default: start a local Ray instance with --workers CPUs); "
                           "see docs/scale.md")
    build_cmd.add_argument("--no-dedup", action="store_true",
                           help="keep duplicate records (no dedup stage)")
    build_cmd.add_argument("--against", metavar="PREVIOUS_RELEASE",
                           help="deduplicate against a previous release (see builder dedup --help)")
    build_cmd.set_defaults(func=_cmd_build)

    validate = commands.add_parser(
        "validate", help="check JSONL records against the schema, or contributions with --contrib")
    validate.add_argument("files", nargs="*",
                          help="JSONL files; with --contrib: contributed files or folders")
    validate.add_argument("--contrib", metavar="FOLDER",
                          help="check contributions under FOLDER (see CONTRIBUTING.md)")
    validate.add_argument("--base", metavar="REF",
                          help="with --contrib: check only files changed since git REF")
    validate.add_argument("--release", metavar="PATH",
                          help="with --contrib: release folder or records file to find duplicates "
                          "in (default: the highest version in dist/)")
    validate.add_argument("--format", choices=("auto", "text", "github"), default="auto",
                          help="with --contrib: github = workflow annotations and job summary "
                          "(the default inside GitHub Actions)")
    validate.set_defaults(func=_cmd_validate)
    add_release_commands(commands)
    _add_dedup_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PageError as error:
        print(f"error: {error.reason}: {error.message}", file=sys.stderr)
        return 1
    except BuilderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        message = missing_extra(error, args.command)
        if message is None:
            raise  # not an optional dependency: a bug, shown with its traceback
        print(f"error: {message}", file=sys.stderr)
        return 2
    except OSError as error:
        # The machine, not the data: a full disk, a read-only folder, a path through a
        # file. One line naming the path; atomic writes left nothing half-written.
        where = error.filename or getattr(args, "out", None) or args.command
        print(f"error: {where}: {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; no output was left half-written (a build continues from its finished "
              "shards when run again with --resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
