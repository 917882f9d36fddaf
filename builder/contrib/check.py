"""The contribution check: pick the files, place them in the layout, check each, then duplicates."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import ConfigError
from ..normalize.publications import load_registry
from ..validate.schema import RecordValidator
from .changes import changed_files, shown_path, walk
from .duplicates import duplicate_findings, load_release
from .findings import ERROR, WARNING, Finding, error
from .layout import MANIFEST_NAMES, PAGES_DIR, PUBLICATION_FILE, ContribFile, classify
from .manifest import ContribManifest, read_manifest
from .pages import Located, PageFindings, Publication, check_pages
from .publication import Proposal, check_publication
from .records import check_records
from .safety import content_finding, link_finding

# Releases are looked for in <contribution folder>/../dist/, i.e. the repository's dist/.
DIST = "dist"


@dataclass
class CheckOptions:
    root: Path  # the contribution folder, e.g. contrib/
    paths: list[Path] = field(default_factory=list)  # check these (files or folders)
    base: str | None = None  # else check what changed since this git ref
    release: Path | None = None  # records of the release to find duplicates in


@dataclass
class CheckResult:
    findings: list[Finding]
    checked: list[str]  # the files looked at, as shown
    scope: str  # what was selected, in words
    compared_with: str  # which release duplicates were looked for in
    records: list[Located] = field(default_factory=list)  # what the checked files hold

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


def _candidates(options: CheckOptions) -> tuple[list[Path], list[Finding], str]:
    """The files to look at, findings about the selection itself, and the scope in words."""
    root = options.root
    if not root.is_dir():
        raise ConfigError(f"{root}: no such contribution folder")
    if options.base and options.paths:
        raise ConfigError("give either --base REF or the files to check, not both")
    if options.base:
        return changed_files(root, options.base), [], f"files changed since {options.base}"
    if not options.paths:
        files, found = walk(root)
        return files, found, f"all files in {shown_path(root)}"
    files, found = [], []
    for path in options.paths:
        if path.is_dir() and not path.is_symlink():
            more, linked = walk(path)
            files += more
            found += linked
        else:
            files.append(path)
    return files, found, f"{len(options.paths)} given path(s)"


def _place(path: Path, root: Path) -> ContribFile | Finding | None:
    """Layout and safety checks that come before any content is read."""
    shown = shown_path(path)
    if not path.exists() and not path.is_symlink():
        return None  # deleted, or named by a manifest row that reports it
    linked = link_finding(path, root, shown)
    if linked:
        return linked
    rel = PurePosixPath(Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix())
    placed = classify(path, shown, rel)
    if isinstance(placed, Finding):
        return placed
    return content_finding(path, shown, placed.kind) or placed


class _Context:
    """Per-publication state shared by its files: manifest and registry, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.validator = RecordValidator()
        self.base_registry = load_registry()
        self.manifests: dict[str, ContribManifest | None] = {}
        self.proposals: dict[str, tuple[list[Finding], Proposal | None]] = {}

    def manifest(self, slug: str) -> ContribManifest | None:
        if slug not in self.manifests:
            folder = self.root / slug
            found = [folder / name for name in MANIFEST_NAMES if (folder / name).is_file()]
            self.manifests[slug] = (
                read_manifest(found[0], shown_path(found[0]), folder / PAGES_DIR)
                if found and not found[0].is_symlink()
                else None
            )
        return self.manifests[slug]

    def proposal(self, slug: str) -> tuple[list[Finding], Proposal | None]:
        """The findings of the publication's publication.yaml and the entry it proposes."""
        if slug not in self.proposals:
            path = self.root / slug / PUBLICATION_FILE
            placed = _place(path, self.root) if path.is_file() else None
            if isinstance(placed, ContribFile):
                self.proposals[slug] = check_publication(placed, self.base_registry)
            else:
                self.proposals[slug] = ([placed] if placed else [], None)
        return self.proposals[slug]

    def publication(self, slug: str) -> Publication:
        return Publication(self.manifest(slug), self.proposal(slug)[1])


def _check_file(
    file: ContribFile, context: _Context, pages: dict[ContribFile, PageFindings]
) -> tuple[list[Finding], list[Located]]:
    if file.kind == "manifest":
        manifest = context.manifest(file.slug)
        if manifest is None or manifest.shown != file.shown:
            return [
                error(
                    file.shown,
                    1,
                    "wrong_place",
                    "a publication has one manifest: keep manifest.csv or manifest.jsonl, not both",
                )
            ], []
        return manifest.findings, []
    if file.kind == "publication":
        return context.proposal(file.slug)[0], []
    if file.kind == "records":
        return check_records(file, context.validator)
    if file.kind == "page":
        found, located = pages[file]
        return found, [located] if located else []
    return [], []  # the folder's README


def _with_manifest_pages(files: list[ContribFile], context: _Context) -> list[ContribFile]:
    """A changed manifest re-checks every page it lists: their provenance may have changed."""
    known = {f.path for f in files}
    more: list[ContribFile] = []
    for file in [f for f in files if f.kind == "manifest"]:
        manifest = context.manifest(file.slug)
        for key in manifest.rows if manifest else ():
            page = context.root / file.slug / PAGES_DIR / key
            placed = _place(page, context.root) if page.is_file() else None
            if isinstance(placed, ContribFile) and placed.path not in known:
                known.add(placed.path)
                more.append(placed)
    return files + more


def _clean(located: list[Located], found: list[Finding]) -> list[Located]:
    """Records without errors of their own: only those are looked at for duplicates, so a
    contributor fixes one problem at a time and never sees a broken record twice."""
    bad = {(f.path, f.line) for f in found if f.severity == ERROR}
    return [item for item in located if (item.shown, item.line) not in bad]


def check_contribution(options: CheckOptions) -> CheckResult:
    """Every finding about the selected contribution files, sorted by file and line."""
    candidates, found, scope = _candidates(options)
    context = _Context(options.root)
    files: list[ContribFile] = []
    for path in candidates:
        placed = _place(path, options.root)
        if isinstance(placed, Finding):
            found.append(placed)
        elif placed is not None:
            files.append(placed)
    files = _with_manifest_pages(files, context)
    page_files = [file for file in files if file.kind == "page"]
    pages = check_pages(page_files, {f.slug: context.publication(f.slug) for f in page_files})
    located: list[Located] = []
    for file in files:
        more, records = _check_file(file, context, pages)
        found += more
        # A page's errors are all reported at line 1 or at its date line: any error
        # means its record is not checked further.
        located += [] if file.kind == "page" and any(f.severity == ERROR for f in more) else records
    release = load_release(options.release, options.root.parent / DIST)
    found += duplicate_findings(_clean(located, found), release)
    compared = (
        f"compared with {release.describe()}"
        if release
        else f"no release in {shown_path(options.root.parent / DIST)}/; compared within "
        "the contribution only"
    )
    checked = sorted({shown_path(p) for p in candidates} | {f.shown for f in files})
    return CheckResult(sorted(set(found)), checked, scope, compared, records=located)
