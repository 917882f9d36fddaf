"""The one table of input formats: what reading, the contribution check and the docs use."""

from __future__ import annotations

import pytest

from builder.read.formats import FORMATS, HTML_SUFFIXES, PAGE_SUFFIXES, WARC_SUFFIXES, format_of

from .conftest import REPO


@pytest.mark.parametrize(
    ("name", "format_name"),
    [("a.txt", "text"), ("a.TXT.gz", "text"), ("b.html", "html"), ("b.htm.gz", "html"),
     ("b.xhtml", "html"), ("c.warc", "warc"), ("c.WARC.GZ", "warc"), ("d.pdf", None),
     ("e.gz", None), ("f.html.zip", None), ("txt", None)],
)
def test_a_file_name_has_one_format(name: str, format_name: str | None) -> None:
    found = format_of(name)
    assert (found.name if found else None) == format_name


def test_the_derived_suffix_lists_follow_the_table() -> None:
    assert PAGE_SUFFIXES == (".txt", ".html", ".htm", ".xhtml")
    assert HTML_SUFFIXES == (".html", ".htm", ".xhtml")
    assert WARC_SUFFIXES == (".warc", ".warc.gz")


def test_the_docs_name_every_suffix() -> None:
    docs = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    for file_format in FORMATS:
        for suffix in file_format.suffixes:
            assert f"`*{suffix}`" in docs, suffix  # the table of docs/formats.md


def test_contributions_accept_every_single_page_format() -> None:
    from builder.contrib.layout import PAGE_SUFFIXES as CONTRIB_PAGES

    assert CONTRIB_PAGES == PAGE_SUFFIXES  # .xhtml included, as the build reads it
