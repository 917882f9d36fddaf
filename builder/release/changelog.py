"""What changed between two releases, by record id: added, removed, changed (and which fields)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import Record

# Provenance says how a record was made (builder and parser versions, raw paths); a
# rebuild with a newer builder changes it for every record although no article changed,
# so those records are counted apart instead of drowning the real changes.
PROVENANCE = "provenance"


@dataclass
class Changes:
    previous: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> changed fields
    provenance_only: list[str] = field(default_factory=list)
    unchanged: int = 0

    def fields_changed(self) -> dict[str, int]:
        return dict(sorted(Counter(f for fields in self.changed.values() for f in fields).items()))

    def to_json(self) -> dict[str, Any]:
        return {"previous": self.previous, "added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "provenance_only": len(self.provenance_only),
                "unchanged": self.unchanged, "fields_changed": self.fields_changed()}


def compare(previous_version: str | None, previous: list[Record], current: list[Record]) -> Changes:
    """Record-by-record differences, ids sorted."""
    before = {r["id"]: r for r in previous}
    after = {r["id"]: r for r in current}
    changes = Changes(previous_version)
    changes.added = sorted(set(after) - set(before))
    changes.removed = sorted(set(before) - set(after))
    for record_id in sorted(set(before) & set(after)):
        old, new = before[record_id], after[record_id]
        fields = sorted(k for k in set(old) | set(new) if k != PROVENANCE and old.get(k) != new.get(k))
        if fields:
            changes.changed[record_id] = fields
        elif old.get(PROVENANCE) != new.get(PROVENANCE):
            changes.provenance_only.append(record_id)
        else:
            changes.unchanged += 1
    return changes


def _id_list(ids: list[str]) -> list[str]:
    return [f"- `{i}`" for i in ids] or ["(none)"]


def render_changelog(version: str, changes: Changes) -> str:
    """CHANGELOG.md of a release: every added, removed and changed record id."""
    since = f"since {changes.previous}" if changes.previous else "(first release: every record is new)"
    lines = [f"# Changelog of {version}", "", f"Record changes {since}.", "",
             "| added | removed | changed | provenance only | unchanged |",
             "| ---: | ---: | ---: | ---: | ---: |",
             f"| {len(changes.added)} | {len(changes.removed)} | {len(changes.changed)} "
             f"| {len(changes.provenance_only)} | {changes.unchanged} |", "",
             "## Added", "", *_id_list(changes.added), "",
             "## Removed", "", *_id_list(changes.removed), "",
             "## Changed", ""]
    lines += [f"- `{i}`: {', '.join(fields)}" for i, fields in changes.changed.items()] or ["(none)"]
    lines += ["", "## Provenance only", "",
              "Records whose content is the same but whose provenance (builder or parser version, raw file) changed.",
              "", *_id_list(changes.provenance_only), ""]
    return "\n".join(lines)
