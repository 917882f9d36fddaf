"""`builder parse FILE [--url URL]`: the record of one page, printed as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import BuilderError


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


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder parse`."""
    parse = commands.add_parser("parse", help="print the record of one page as JSON")
    parse.add_argument("file")
    parse.add_argument("--url", help="source URL of the page, when the page does not carry it")
    parse.set_defaults(func=_cmd_parse)
