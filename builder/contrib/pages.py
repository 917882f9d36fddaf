"""Contributed raw pages: each goes through the build's own read → parse → normalize → validate."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import PageError
from ..model import Page, Record, Reject
from ..normalize.publications import Registry
from ..parse.aggregator_markers import DATE_LINE
from ..parse.decode import decode
from ..parse.detect import detect_format
from ..pipeline.runner import process_page
from ..read.files import InputFile, read_file
from ..read.manifest import ManifestEntry
from .findings import Finding, error, warning
from .layout import ContribFile
from .manifest import ContribManifest
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


def check_page(
    file: ContribFile, manifest: ContribManifest | None, registry: Registry
) -> tuple[list[Finding], Located | None]:
    """Findings of one page and its record (None when it does not parse).

    The page goes through the build's own stages, with `registry` resolving its
    publication (the one its publication.yaml proposes).
    """
    row = manifest.rows.get(file.page_key) if manifest else None
    entries = {file.page_key: row.entry if row else ManifestEntry(None, None)}
    found: list[Finding] = []
    for item in read_file(InputFile(file.path, file.page_key), entries, SIZE_LIMITS["page"]):
        result = item if isinstance(item, Reject) else process_page(item, registry)
        if not isinstance(item, Reject):
            found += [f for f in [_active_content(item, file.shown)] if f]
        if isinstance(result, Reject):
            line = 1 if isinstance(item, Reject) else _reason_line(item, result.reason)
            return found + [
                error(file.shown, line, "not_parsed", f"{result.reason}: {result.message}")
            ], None
        return found + _provenance(result, file, manifest), Located(result, file.shown, 1)
    return [error(file.shown, 1, "not_parsed", "the file holds no page")], None
