"""Contributed raw pages: a publication's pages go through a build (pipeline.build), the
same read → parse → normalize → validate as every build, then back to findings per file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import PageError
from ..model import Page, Record, Reject
from ..normalize.publications import DEFAULT_REGISTRY
from ..parse.aggregator_markers import DATE_LINE
from ..parse.decode import decode
from ..parse.detect import detect_format
from ..pipeline.runner import BuildOptions, build
from ..read.files import InputFile, read_file
from ..read.manifest import ManifestEntry
from ..write.jsonl import read_jsonl
from .findings import Finding, error, warning
from .layout import ContribFile
from .manifest import ContribManifest
from .publication import Proposal, registry_file
from .safety import SIZE_LIMITS, active_content

# Reject reasons that are about the "Published in <publication> on <date>" line, so the
# finding points at that line rather than at the top of the page.
DATE_LINE_REASONS = ("bad_date", "no_publication")


@dataclass(frozen=True)
class Located:
    """A record and where it came from, so a duplicate can be reported at its file and line."""

    record: Record
    shown: str
    line: int


def _reason_line(page: Page, reason: str) -> int:
    if reason not in DATE_LINE_REASONS:
        return 1
    for number, line in enumerate(page.data.decode("utf-8", "replace").splitlines(), start=1):
        if DATE_LINE.match(line):
            return number
    return 1


def _active_content(page: Page, shown: str) -> Finding | None:
    try:
        text = decode(page.data, page.charset)
        is_html = detect_format(page, text) == "html"
    except PageError:
        return None  # reported by the parse itself
    return active_content(text, shown) if is_html else None


def _provenance(
    record: Record, file: ContribFile, manifest: ContribManifest | None
) -> list[Finding]:
    where = manifest.shown if manifest else f"contrib/{file.slug}/manifest.csv"
    row = manifest.rows.get(file.page_key) if manifest else None
    fix = (
        f"fill it in on line {row.line} of {where}"
        if row
        else f"add the row '{file.page_key},<url>,<fetched_at>' to {where}"
    )
    found = []
    if record["source_url"] is None:
        found.append(
            error(
                file.shown,
                1,
                "no_url",
                f"no URL anywhere: the page names no canonical URL "
                f"and the manifest gives none; {fix}",
            )
        )
    if record["provenance"]["fetched_at"] is None:
        found.append(error(file.shown, 1, "no_date", f"no fetch date: {fix}"))
    if record["publish_date"] is None:
        found.append(
            warning(
                file.shown,
                1,
                "no_publish_date",
                "no publish date found in the page; the record will have publish_date null",
            )
        )
    return found


@dataclass(frozen=True)
class Publication:
    """What a publication's pages are checked with."""

    manifest: ContribManifest | None
    proposal: Proposal | None  # the registry entry its publication.yaml proposes, if valid


PageFindings = tuple[list[Finding], Located | None]


def check_pages(
    files: list[ContribFile], publications: dict[str, Publication]
) -> dict[ContribFile, PageFindings]:
    """Findings of each page and its record (None when it does not parse): one build per
    publication, whose pages resolve with the registry entry it proposes, so a new
    publication's pages come out as they will once a maintainer merges the entry."""
    found: dict[ContribFile, PageFindings] = {}
    with tempfile.TemporaryDirectory(prefix="builder-contrib-") as folder:
        for slug in sorted({file.slug for file in files}):
            pages = [file for file in files if file.slug == slug]
            work = Path(folder) / slug
            found.update(_check_publication_pages(pages, publications[slug], work))
    return found


def _check_publication_pages(
    files: list[ContribFile], publication: Publication, work: Path
) -> dict[ContribFile, PageFindings]:
    # The build names a page by its path under the input folder, as the manifest does:
    # the pages are laid out so under `work` (copies: a build lists no links).
    inputs = work / "pages"
    for file in files:
        (inputs / file.page_key).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file.path, inputs / file.page_key)
    registry = (DEFAULT_REGISTRY if publication.proposal is None
                else registry_file(publication.proposal, work / "publications.yaml"))
    entries = {file.page_key: _entry(file, publication.manifest) for file in files}
    out = work / "out"
    build(BuildOptions([inputs], out, manifest_entries=entries, max_bytes=SIZE_LIMITS["page"],
                       progress=False, dedup=False, registry=registry))
    results: dict[str, Record | Reject] = {}
    for raw_path, result in _results(out):
        results.setdefault(raw_path, result)  # a page file holds one page
    return {file: _page_findings(file, publication.manifest, results.get(file.page_key))
            for file in files}


def _entry(file: ContribFile, manifest: ContribManifest | None) -> ManifestEntry:
    row = manifest.rows.get(file.page_key) if manifest else None
    return row.entry if row else ManifestEntry(None, None)


def _results(out: Path) -> Iterator[tuple[str, Record | Reject]]:
    """The build's records and rejects, with the page path each came from."""
    for _, record in read_jsonl(out / "records.jsonl"):
        yield record["provenance"]["raw_path"], record
    for _, reject in read_jsonl(out / "rejects.jsonl"):
        yield reject["raw_path"], Reject(reject["raw_path"], reject["reason"],
                                         reject["message"], reject["warc_record_id"],
                                         reject["url"])


def _page_findings(
    file: ContribFile, manifest: ContribManifest | None, result: Record | Reject | None
) -> PageFindings:
    """Findings of one page from its build result, and checks of its raw text."""
    if result is None:
        return [error(file.shown, 1, "not_parsed", "the file holds no page")], None
    entries = {file.page_key: _entry(file, manifest)}
    item = next(read_file(InputFile(file.path, file.page_key), entries, SIZE_LIMITS["page"]), None)
    page = item if isinstance(item, Page) else None  # None: the read itself rejected it
    found = [f for f in [_active_content(page, file.shown)] if f] if page else []
    if isinstance(result, Reject):
        line = _reason_line(page, result.reason) if page else 1
        return found + [
            error(file.shown, line, "not_parsed", f"{result.reason}: {result.message}")
        ], None
    return found + _provenance(result, file, manifest), Located(result, file.shown, 1)
