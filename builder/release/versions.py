"""Release versions: semantic version parsing, the previous release, and the bump rules.

Rules (see docs/releases.md): a new version must be greater than every release in
dist/; a schema change that removes or retypes a field needs a major bump, and one that
adds a field needs at least a minor bump, because loaders written for the previous
release break (or silently see a new column) otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..schema_features import Field, ListOf, Struct, iter_leaves, record_fields, type_label

# MAJOR.MINOR.PATCH with no leading zeros (semver.org 2.0.0); pre-release and build
# suffixes are not allowed: a release directory name must sort and compare plainly.
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def parse_version(text: str) -> Version:
    match = VERSION_PATTERN.match(text.strip())
    if not match:
        raise ConfigError(
            f"version {text!r} is not a semantic version MAJOR.MINOR.PATCH (like 1.0.0)"
        )
    major, minor, patch = (int(g) for g in match.groups())
    return Version(major, minor, patch)


def released_versions(dist: Path) -> list[Version]:
    """Versions already in dist/, oldest first; other entries (staging folders) are ignored."""
    if not dist.is_dir():
        return []
    return sorted(
        parse_version(p.name)
        for p in dist.iterdir()
        if p.is_dir() and VERSION_PATTERN.match(p.name)
    )


def previous_release(dist: Path, version: Version) -> Version | None:
    """The newest release older than `version`."""
    older = [v for v in released_versions(dist) if v < version]
    return older[-1] if older else None


def check_new_version(dist: Path, version: Version) -> None:
    """The version is new and greater than the last release; an existing one is never rebuilt."""
    if (dist / str(version)).exists():
        raise ConfigError(
            f"{dist / str(version)} already exists: releases are immutable; choose a new version"
        )
    released = released_versions(dist)
    if released and version <= released[-1]:
        raise ConfigError(f"version {version} is not greater than the last release {released[-1]}")


def _column_types(schema: dict[str, Any]) -> dict[str, str]:
    return {path: _signature(field) for path, field in iter_leaves(record_fields(schema))}


def _signature(field: Field) -> str:
    # Structs are compared through their leaves, so a struct's own signature is "struct"
    # whatever its members; nullability is part of the type a loader sees.
    inner = field.type
    label = "struct" if isinstance(inner, Struct) else type_label(inner)
    if isinstance(inner, ListOf) and isinstance(inner.item, Struct):
        label = "list of struct"
    return f"{label}{' | null' if field.nullable else ''}"


@dataclass(frozen=True)
class SchemaChange:
    removed: tuple[str, ...]
    retyped: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def breaking(self) -> bool:
        return bool(self.removed or self.retyped)


def schema_change(old: dict[str, Any], new: dict[str, Any]) -> SchemaChange:
    """Fields removed, retyped and added between two schemas, by dotted path."""
    before, after = _column_types(old), _column_types(new)
    return SchemaChange(
        removed=tuple(sorted(set(before) - set(after))),
        retyped=tuple(sorted(p for p in set(before) & set(after) if before[p] != after[p])),
        added=tuple(sorted(set(after) - set(before))),
    )


def check_schema_bump(previous: Version, version: Version, change: SchemaChange) -> None:
    """A breaking schema change needs a major bump, an added field at least a minor one."""
    if change.breaking and version.major == previous.major:
        what = [f"removed {p}" for p in change.removed] + [f"retyped {p}" for p in change.retyped]
        raise ConfigError(
            f"the schema changed incompatibly since {previous} ({'; '.join(what)}): "
            f"release it as {previous.major + 1}.0.0 or later"
        )
    if change.added and (version.major, version.minor) == (previous.major, previous.minor):
        raise ConfigError(
            f"the schema gained field(s) {', '.join(change.added)} since {previous}: "
            f"release it as {previous.major}.{previous.minor + 1}.0 or later"
        )
