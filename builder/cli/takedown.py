"""`builder takedown ID|URL --reason TEXT`: list a removal in takedowns.yaml and say which
release will drop what.

The entry is appended to the takedowns file named by dataset.yaml (`takedowns:`, default
`takedowns.yaml` next to it), keeping its comments. The latest release in dist/ is then
searched (streamed) for the record or merged copy the entry matches, so the maintainer
sees at once whether it names the article they meant.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..config import DEFAULT_CONFIG_NAME, DatasetConfig, load_config
from ..errors import ConfigError
from ..model import Record
from ..release.shards import iter_release_records
from ..release.takedowns import (
    ID_PATTERN,
    Takedown,
    TakedownFilter,
    append_takedown,
    load_takedowns,
    read_tombstones,
    url_hash,
)
from ..release.versions import parse_version, released_versions


def _entry(target: str, reason: str, date: str | None) -> Takedown:
    target = target.strip()
    if not reason.strip():
        raise ConfigError("--reason is empty; say why the record is taken down")
    day = date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise ConfigError(f"--date {day!r} must be YYYY-MM-DD") from None
    reason = " ".join(reason.split())
    if ID_PATTERN.match(target):
        return Takedown(target, None, reason, day)
    if url_hash(target) is None or not target.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{target!r} is neither a record id (16 hex digits) nor an http(s) URL")
    return Takedown(None, target, reason, day)


def _same(a: Takedown, b: Takedown) -> bool:
    return bool((a.id and a.id == b.id) or (a.url and url_hash(a.url) == url_hash(b.url)))


def _find(release: Path, entry: Takedown) -> tuple[str, Record] | None:
    """("record" or "copy", the record) of the release the entry matches first."""
    matcher = TakedownFilter([], [entry], "next")
    for record in iter_release_records(release):
        if matcher.match(record) is not None:
            return "record", record
        if any(matcher.match(c) is not None for c in record.get("merged_copies") or []):
            return "copy", record
    return None


def _next_release(config: DatasetConfig, latest: str) -> str:
    planned = sorted(
        (parse_version(v), note.date)
        for v, note in config.releases.items()
        if parse_version(v) > parse_version(latest)
    )
    if not planned:
        return f"the next release after {latest} (add its `releases:` entry to {config.path})"
    version, date = planned[0]
    return f"the next release, {version}" + (f" (dated {date})" if date else "")


def takedown(
    config_path: Path, target: str, reason: str, date: str | None, dist: Path
) -> Iterator[str]:
    """Append the entry, then lines saying what the next release does with it."""
    config = load_config(config_path)
    path = config.takedowns or config_path.parent / "takedowns.yaml"
    entry = _entry(target, reason, date)
    for number, existing in enumerate(load_takedowns(path), start=1):
        if _same(existing, entry):
            raise ConfigError(
                f"{path}: {entry.target()} is already listed (entry {number}, "
                f"{existing.date}: {existing.reason})"
            )
    append_takedown(path, entry)
    yield f"{path}: listed {entry.target()} for removal ({entry.date}): {entry.reason}"
    released = released_versions(dist)
    if not released:
        yield f"no release in {dist} yet: the first release leaves it out"
        return
    latest = str(released[-1])
    folder = dist / latest
    when = _next_release(config, latest)
    if TakedownFilter(read_tombstones(folder), [], latest).match(
        {"id": entry.id, "source_url": entry.url}
    ):
        yield f"{folder} already keeps a tombstone for it: it stays out of every release"
        return
    found = _find(folder, entry)
    if found is None:
        yield (f"no record of {folder} matches it; from {when} on, a crawl of it is kept out")
    elif found[0] == "record":
        record = found[1]
        yield (
            f"{folder} has it: record {record['id']} {record.get('title')!r} "
            f"({record.get('publication')}); {when} drops it and says why in its changelog"
        )
    else:
        yield (
            f"{folder} lists it as a merged copy of record {found[1]['id']}; {when} removes "
            "it from that record's merged_copies"
        )
    yield f"releases already made ({', '.join(map(str, released))}) are immutable and keep it"


def _cmd_takedown(args: argparse.Namespace) -> int:
    for line in takedown(Path(args.config), args.target, args.reason, args.date, Path(args.dist)):
        print(line)
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder takedown`."""
    command = commands.add_parser(
        "takedown", help="list a record (by id or URL) for removal from the next release"
    )
    command.add_argument("target", metavar="ID|URL", help="record id (16 hex digits) or URL")
    command.add_argument("--reason", required=True, help="why (published in the changelog)")
    command.add_argument(
        "--date", help="date of the request, YYYY-MM-DD (default: today, UTC)"
    )
    command.add_argument(
        "--config", default=DEFAULT_CONFIG_NAME, help="dataset config (default: dataset.yaml)"
    )
    command.add_argument("--dist", default="dist", help="folder of releases (default: dist)")
    command.set_defaults(func=_cmd_takedown)
