"""The input file formats: the one table that reading, the contribution check and the
docs (tests/test_formats.py) take their file names from.

Adding a format is one row here and one parser module (parse/detect.py chooses it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFormat:
    name: str
    suffixes: tuple[str, ...]  # lower case; any of them may end in GZIP too
    many_pages: bool  # a container of captures (WARC), not one page
    html: bool  # its pages are HTML whatever their first bytes look like


FORMATS = (
    # A text file is an aggregator dump, or an HTML page by its first bytes.
    FileFormat("text", (".txt",), many_pages=False, html=False),
    FileFormat("html", (".html", ".htm", ".xhtml"), many_pages=False, html=True),
    # A WARC file's HTML responses are its pages (read/warc.py).
    FileFormat("warc", (".warc",), many_pages=True, html=True),
)
GZIP = ".gz"

PAGE_SUFFIXES = tuple(s for f in FORMATS if not f.many_pages for s in f.suffixes)
HTML_SUFFIXES = tuple(s for f in FORMATS if f.html and not f.many_pages for s in f.suffixes)
WARC_SUFFIXES = tuple(
    s + gz for f in FORMATS if f.many_pages for s in f.suffixes for gz in ("", GZIP)
)


def format_of(name: str) -> FileFormat | None:
    """The format of a file by its name (`a.HTML.gz` is html); None for none."""
    lower = name.lower()
    if lower.endswith(GZIP):
        lower = lower[: -len(GZIP)]
    return next((f for f in FORMATS if lower.endswith(f.suffixes)), None)


def described() -> str:
    """The accepted names for a message: `.txt, .html, .htm, .xhtml, .warc or any of them .gz`."""
    names = [s for f in FORMATS for s in f.suffixes]
    return f"{', '.join(names)} or any of them {GZIP}"
