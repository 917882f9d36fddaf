"""What changed between two releases, by record id: added, removed (and why), updated (and
which fields).

Both releases are sorted by id, so the comparison is a merge join over two streams: it
holds one record of each side at a time. The ids it lists (every record of a first
release is "added") are spooled to files under a work folder and copied into
CHANGELOG.md, so no list of ids is kept in memory either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import BuilderError
from ..model import Changes, Record
from ..write.jsonl import atomic_output

# Provenance says how a record was made (builder and parser versions, raw paths); a
# rebuild with a newer builder changes it for every record although no article changed,
# so those records are counted apart instead of drowning the real changes.
PROVENANCE = "provenance"
SECTIONS = ("added", "removed", "updated", "provenance_only")
# Why a record of the previous release is not in this one, when no takedown says why.
NOT_IN_INPUTS = "not in this release's inputs (snapshot release)"
NOT_KEPT = "not kept by this release"


def changed_fields(old: Record, new: Record) -> list[str]:
    """Fields (other than provenance) whose values differ, sorted."""
    return sorted(k for k in set(old) | set(new) if k != PROVENANCE and old.get(k) != new.get(k))


class ChangeTracker:
    """Compares the current records, fed in id order, with the previous release's records.

    Each section's changelog lines go to `work/<section>.md`; `finish()` gives the counts.
    """

    def __init__(
        self,
        previous_version: str | None,
        previous: Iterator[Record],
        work: Path,
        reasons: dict[str, str] | None = None,
        default_reason: str = NOT_KEPT,
    ):
        self.changes = Changes(previous_version)
        self._reasons = reasons or {}  # removed id -> why (takedowns)
        self._default_reason = default_reason
        self._previous = previous
        self._pending: Record | None = None
        self._last_previous = ""
        self._files = {name: (work / f"{name}.md").open("w", encoding="utf-8") for name in SECTIONS}
        self._advance()

    def _advance(self) -> None:
        self._pending = next(self._previous, None)
        if self._pending is not None:
            record_id = str(self._pending.get("id"))
            if record_id <= self._last_previous:
                raise BuilderError(
                    f"previous release {self.changes.previous}: record {record_id} is not "
                    f"after {self._last_previous} (ids must be unique and sorted)"
                )
            self._last_previous = record_id

    def _list(self, section: str, line: str) -> None:
        setattr(self.changes, section, getattr(self.changes, section) + 1)
        self._files[section].write(line + "\n")

    def add(self, record: Record) -> None:
        """The next current record (ids strictly increasing: the caller checks)."""
        record_id = record["id"]
        while self._pending is not None and self._pending["id"] < record_id:
            self._remove(self._pending)
            self._advance()
        if self._pending is None or self._pending["id"] != record_id:
            self._list("added", f"- `{record_id}`")
            return
        old = self._pending
        self._advance()
        fields = changed_fields(old, record)
        if fields:
            self._list("updated", f"- `{record_id}` ({', '.join(fields)})")
            self.changes.fields.update(fields)
        elif old.get(PROVENANCE) != record.get(PROVENANCE):
            self._list("provenance_only", f"- `{record_id}`")
        else:
            self.changes.unchanged += 1

    def finish(self) -> Changes:
        """Counts, once every previous record left over is listed as removed."""
        while self._pending is not None:
            self._remove(self._pending)
            self._advance()
        self.close()
        return self.changes

    def _remove(self, record: Record) -> None:
        record_id = str(record["id"])
        self._list(
            "removed", f"- `{record_id}`: {self._reasons.get(record_id, self._default_reason)}"
        )

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


def _copy_section(out: IO[str], path: Path, count: int) -> None:
    if not count:
        out.write("(none)\n")
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            out.write(line)


def _takedown_lines(applied: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## Takedowns applied in this release", ""]
    if not applied:
        return [*lines, "(none)"]
    lines.append("Each keeps its article out of every later release (`reports/takedowns.jsonl`).")
    lines.append("")
    for row in applied:
        what = f"`{row['id']}`" if row.get("id") else "a record"
        url = (
            f" (URL key sha256 `{row['url_key_sha256'][:16]}…`)"
            if row.get("url_key_sha256")
            else ""
        )
        lines.append(f"- {what}{url}: {row['reason']} (requested {row['requested']})")
    return lines


def write_changelog(
    target: Path,
    version: str,
    changes: Changes,
    work: Path,
    applied: list[dict[str, Any]] | None = None,
) -> None:
    """CHANGELOG.md of a release: every added, removed (with why) and updated record id
    (with the fields that changed)."""
    since = (
        f"since {changes.previous}" if changes.previous else "(first release: every record is new)"
    )
    head = [
        f"# Changelog of {version}",
        "",
        f"Record changes {since}.",
        "",
        "| added | removed | updated | provenance only | unchanged |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {changes.added} | {changes.removed} | {changes.updated} "
        f"| {changes.provenance_only} | {changes.unchanged} |",
        "",
    ]
    titles = {
        "added": ["## Added", ""],
        "removed": ["", "## Removed", ""],
        "updated": [
            "",
            "## Updated",
            "",
            "Records whose article was corrected or re-crawled (same id), with the fields "
            "that changed.",
            "",
        ],
        "provenance_only": [
            "",
            "## Provenance only",
            "",
            "Records whose content is the same but whose provenance (builder or "
            "parser version, raw file) changed.",
            "",
        ],
    }
    with atomic_output(target, "w") as out:
        out.write("\n".join(head) + "\n")
        for section in SECTIONS:
            out.write("\n".join(titles[section]) + "\n")
            _copy_section(out, work / f"{section}.md", getattr(changes, section))
        out.write("\n".join(_takedown_lines(applied or [])) + "\n")
