"""Where each contributed file belongs: contrib/<publication>/{manifest.csv,pages/,records/}.

The layout (also in CONTRIBUTING.md):

    contrib/README.md                         this folder's own note
    contrib/<publication>/manifest.csv        path,url,fetched_at per page (or manifest.jsonl)
    contrib/<publication>/publication.yaml    optional: name, aliases, domains of a new publication
    contrib/<publication>/pages/<name>.txt    raw pages: aggregator text dumps,
    contrib/<publication>/pages/<name>.html   or saved HTML article pages (.html, .htm)
    contrib/<publication>/records/<name>.jsonl  ready records, one JSON object per line
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..read.formats import PAGE_SUFFIXES
from .findings import Finding, error

MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
PUBLICATION_FILE = "publication.yaml"
RECORDS_SUFFIX = ".jsonl"
ROOT_FILES = ("README.md",)
PAGES_DIR = "pages"
RECORDS_DIR = "records"

# Compressed and archive formats, by name; the same formats are also caught by their
# magic bytes (safety.py), so renaming an archive to .txt does not get it through.
ARCHIVE_SUFFIXES = frozenset(
    {
        ".zip",
        ".tar",
        ".tgz",
        ".tbz2",
        ".txz",
        ".gz",
        ".bz2",
        ".xz",
        ".zst",
        ".lz",
        ".lzma",
        ".lz4",
        ".7z",
        ".rar",
        ".cab",
        ".jar",
        ".z",
        ".warc",
    }
)

# Portable, shell-safe names: no spaces, no hidden files, nothing a reviewer could misread.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Publication folders are slugs of the publication's name, e.g. ahram-online.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ContribFile:
    """A contributed file in its place: what kind it is and which publication it belongs to."""

    path: Path  # on disk
    shown: str  # as reported to the contributor (relative to the working folder)
    rel: PurePosixPath  # relative to the contribution folder
    kind: str  # "page" | "manifest" | "publication" | "records" | "readme"

    @property
    def slug(self) -> str:
        return self.rel.parts[0]

    @property
    def page_key(self) -> str:
        """A page's path relative to its pages/ folder: the manifest's `path` column."""
        return PurePosixPath(*self.rel.parts[2:]).as_posix()


def _archive_suffix(name: str) -> str | None:
    lowered = name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return suffix
    return None


def _root_shown(rel: PurePosixPath, shown: str) -> str:
    """The contribution folder as the contributor sees it, for hints like 'move it to …'."""
    tail = rel.as_posix()
    return shown[: -len(tail)].rstrip("/") if shown.endswith(tail) else "contrib"


def _publication_level(rel: PurePosixPath, shown: str) -> str | Finding:
    """The kind of a file directly inside contrib/<publication>/."""
    name, slug = rel.name, f"{_root_shown(rel, shown)}/{rel.parts[0]}"
    if name in MANIFEST_NAMES:
        return "manifest"
    if name == PUBLICATION_FILE:
        return "publication"
    if name.lower().endswith(PAGE_SUFFIXES):
        hint = f"move it to {slug}/{PAGES_DIR}/{name}"
    elif name.lower().endswith(RECORDS_SUFFIX):
        hint = f"move it to {slug}/{RECORDS_DIR}/{name}"
    elif name.lower().endswith((".yml", ".yaml")):
        hint = f"the only YAML file accepted here is {PUBLICATION_FILE}"
    else:
        hint = (
            f"a publication folder holds {', '.join(MANIFEST_NAMES)}, {PUBLICATION_FILE}, "
            f"{PAGES_DIR}/ and {RECORDS_DIR}/"
        )
    return error(shown, 1, "wrong_place", f"not part of the contribution layout: {hint}")


def _nested_level(rel: PurePosixPath, shown: str) -> str | Finding:
    """The kind of a file inside contrib/<publication>/<folder>/."""
    folder, name = rel.parts[1], rel.name.lower()
    if folder == PAGES_DIR:
        if name.endswith(PAGE_SUFFIXES):
            return "page"
        return error(
            shown, 1, "wrong_format",
            f"pages must be plain text or HTML files ({', '.join(PAGE_SUFFIXES)})",
        )
    if folder == RECORDS_DIR and len(rel.parts) == 3:
        if name.endswith(RECORDS_SUFFIX):
            return "records"
        return error(
            shown, 1, "wrong_format", "records files must be JSON Lines files named *.jsonl"
        )
    folder = f"{_root_shown(rel, shown)}/{rel.parts[0]}"
    return error(
        shown,
        1,
        "wrong_place",
        f"unknown folder: pages go in {folder}/{PAGES_DIR}/, "
        f"records files in {folder}/{RECORDS_DIR}/",
    )


def classify(path: Path, shown: str, rel: PurePosixPath) -> ContribFile | Finding:
    """Place the file in the layout, or say why it has no place there."""
    for part in rel.parts:
        if not NAME.match(part):
            return error(
                shown,
                1,
                "bad_name",
                f"{part!r} is not an accepted name: use ASCII letters, "
                "digits, '.', '_' and '-', not starting with '.' or '-' (no hidden files)",
            )
    suffix = _archive_suffix(rel.name)
    if suffix:
        return error(
            shown,
            1,
            "archive",
            f"{suffix} files are not accepted: add the pages uncompressed, "
            "one file per page, so they can be reviewed in the pull request",
        )
    if len(rel.parts) == 1:
        if rel.name in ROOT_FILES:
            return ContribFile(path, shown, rel, "readme")
        return error(
            shown,
            1,
            "wrong_place",
            "files go in a publication folder: "
            f"{_root_shown(rel, shown)}/<publication>/{PAGES_DIR}/{rel.name}",
        )
    if not SLUG.match(rel.parts[0]):
        return error(
            shown,
            1,
            "bad_name",
            f"publication folder {rel.parts[0]!r} must be lower-case "
            "letters and digits joined by '-', e.g. ahram-online",
        )
    kind = _publication_level(rel, shown) if len(rel.parts) == 2 else _nested_level(rel, shown)
    return kind if isinstance(kind, Finding) else ContribFile(path, shown, rel, kind)
