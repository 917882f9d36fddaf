"""`builder parse FILE [--url URL]`: the record of one page, printed as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import BuilderError


def _cmd_parse(args: argparse.Namespace) -> int:
    import tempfile

    from ..pipeline.runner import BuildOptions, build
    from ..read.files import shown_name
    from ..read.manifest import ManifestEntry

    path = Path(args.file)
    if not path.is_file():
        raise BuilderError(f"{path}: no such file")
    # The page is named by its file name, as a build of the file names it.
    entries = {shown_name(path.name): ManifestEntry(args.url, None)} if args.url else {}
    with tempfile.TemporaryDirectory(prefix="builder-parse-") as folder:
        out = Path(folder)
        build(BuildOptions([path], out, manifest_entries=entries, progress=False, dedup=False))
        _print_records(out / "records.jsonl")
        return _print_rejects(out / "rejects.jsonl", path)


def _print_records(records: Path) -> None:
    import orjson

    from ..write.jsonl import read_jsonl

    pretty = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    for _, record in read_jsonl(records):
        sys.stdout.buffer.write(orjson.dumps(record, option=pretty) + b"\n")


def _print_rejects(rejects: Path, path: Path) -> int:
    """One `path: reason: message` line per reject on stderr; 1 if there was one."""
    from ..write.jsonl import read_jsonl

    status = 0
    for _, reject in read_jsonl(rejects):
        where = f" ({reject['warc_record_id']})" if reject["warc_record_id"] else ""
        print(f"{path}{where}: {reject['reason']}: {reject['message']}", file=sys.stderr)
        status = 1
    return status


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder parse`."""
    parse = commands.add_parser("parse", help="print the record of one page as JSON")
    parse.add_argument("file")
    parse.add_argument("--url", help="source URL of the page, when the page does not carry it")
    parse.set_defaults(func=_cmd_parse)
