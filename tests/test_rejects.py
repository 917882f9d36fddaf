"""Every reject reason is reached by the sample corpus and reported with path and message."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from builder.errors import REJECT_REASONS
from builder.read.files import list_inputs

from .conftest import REPO, SAMPLES, SampleBuild

# (raw path, reason) of every deliberately broken sample; nothing else may be rejected.
EXPECTED_REJECTS = {
    ("broken/bad-date.txt", "bad_date"),  # "on 31 - 02 - 2023"
    ("broken/bad-manifest-url.txt", "schema_invalid"),  # manifest URL with a space in the host
    ("broken/crawler.log", "unsupported_file"),
    ("broken/editor-note.txt", "unknown_format"),
    ("broken/no-body.txt", "no_body"),
    ("broken/no-publication.txt", "no_publication"),  # no date line, no manifest URL
    ("broken/no-title.txt", "no_title"),
    ("broken/link-to-a-page.txt", "symlink"),  # links are not followed
    ("broken/truncated-download.html", "no_body"),  # HTML cut inside <head>
    ("broken/whitespace-only.txt", "empty_file"),
    ("generated/broken/bom-then-cp1256.txt", "undecodable"),
    ("generated/broken/empty.txt", "empty_file"),
    ("generated/broken/oversized.txt.gz", "too_large"),  # inflates past the 10 MiB page limit
    ("generated/broken/photo-saved-as-page.html", "binary_file"),
    ("generated/broken/truncated-download.txt.gz", "corrupt_archive"),
    ("generated/warc/crawl-2023-11.warc.gz", "unsupported_content_type"),  # the PNG response
    ("generated/warc/dne-2024-06.warc", "http_error"),  # the 404 response
    ("generated/warc/crawl-interrupted.warc.gz", "corrupt_archive"),  # cut inside the 2nd record
}


def _rejects(build: SampleBuild) -> list[dict]:
    return [orjson.loads(line) for line in (build.out / "rejects.jsonl").read_bytes().splitlines()]


def test_the_broken_samples_and_only_they_are_rejected(sample_build: SampleBuild) -> None:
    assert sample_build.exit_code == 0
    assert {(r["raw_path"], r["reason"]) for r in _rejects(sample_build)} == EXPECTED_REJECTS


# Reasons a committed file cannot show (git keeps no unreadable files and no FIFOs, and
# CI runs as root); tests/test_read_files.py and tests/test_hostile_read.py reach them
# with a simulated failure or a FIFO made by the test.
# internal_error is a bug met by a page: tests/test_internal_error.py injects one.
NOT_SAMPLEABLE = {"unreadable_file", "internal_error", "special_file"}


def test_every_reject_reason_is_reached_by_the_samples(sample_build: SampleBuild) -> None:
    reached = {r["reason"] for r in _rejects(sample_build)}
    assert reached == set(REJECT_REASONS) - NOT_SAMPLEABLE


def test_each_reject_names_its_path_reason_and_a_one_line_message(
    sample_build: SampleBuild,
) -> None:
    pages = SAMPLES / "pages"
    for reject in _rejects(sample_build):
        assert set(reject) == {"raw_path", "reason", "message", "url", "warc_record_id"}
        assert (pages / reject["raw_path"]).is_file()
        assert reject["reason"] in REJECT_REASONS
        assert reject["message"].strip() and "\n" not in reject["message"]
        assert "Traceback" not in reject["message"]


def test_rejects_from_warc_records_name_the_record(sample_build: SampleBuild) -> None:
    for reject in _rejects(sample_build):
        if reject["raw_path"].endswith(".warc.gz"):
            assert reject["warc_record_id"].startswith("<urn:uuid:")
            assert reject["url"].startswith("https://")


def test_no_broken_sample_is_dropped_silently(sample_build: SampleBuild) -> None:
    rejected = {r["raw_path"] for r in _rejects(sample_build)}
    broken = [f.raw_path for f in list_inputs([SAMPLES / "pages"]) if "broken/" in f.raw_path]
    assert broken and set(broken) <= rejected


def test_summary_counts_the_rejects_by_reason(sample_build: SampleBuild) -> None:
    summary = orjson.loads((sample_build.out / "summary.json").read_bytes())
    expected: dict[str, int] = {}
    for _, reason in EXPECTED_REJECTS:
        expected[reason] = expected.get(reason, 0) + 1
    assert summary["rejects_by_reason"] == expected
    assert summary["rejects"] == len(EXPECTED_REJECTS)


def _documented_reasons(path: Path) -> dict[str, str]:
    """The table of the "# Rejects" section of docs/formats.md: | `reason` | meaning | ..."""
    section = path.read_text(encoding="utf-8").split("\n# Rejects\n", 1)[1]
    rows = re.findall(r"^\|\s*`([a-z_]+)`\s*\|\s*([^|]+?)\s*\|", section, re.MULTILINE)
    return dict(rows)


def test_docs_list_every_reject_reason_with_its_meaning() -> None:
    assert _documented_reasons(REPO / "docs" / "formats.md") == REJECT_REASONS
