"""The `builder` command: thin argument parsing over the library's stages."""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import BuilderError, PageError
from ..extras import missing_extra
from . import build, parse, publish, release, takedown, validate, verify
from .extras import add_dedup_command

# One module per command, each with its arguments (add_command) and what it runs. Each
# command imports the stages it runs when it runs: the parse stack (trafilatura, the
# schema validators, the language model) is most of the startup of a command, and a
# worker process started by "spawn" or "forkserver" runs the main module again.


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="builder", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in (parse, build, validate, release, verify, publish, takedown):
        command.add_command(commands)
    add_dedup_command(commands)
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
        message = missing_extra(error, f"builder {args.command}")
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
