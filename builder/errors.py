"""One base exception for the toolkit, and the per-page error that becomes a reject.

Fatal problems (bad configuration, a release that cannot be written) raise a
`BuilderError` whose message says what to do; the CLI prints it on one line and exits 2.
A page that cannot be used raises `PageError` inside a stage; the pipeline turns it into
a `Reject` value with its reason code, so it is written to the rejects file, never lost.
"""

from __future__ import annotations


class BuilderError(Exception):
    """A problem the user must fix before the run can go on."""


class ConfigError(BuilderError):
    """A configuration, manifest or argument problem."""


class PageError(BuilderError):
    """A page that cannot be turned into a record; `reason` is one of REJECT_REASONS."""

    def __init__(self, reason: str, message: str) -> None:
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        self.message = message


# Every reason a page can be rejected for; tests check each one is reachable.
REJECT_REASONS: dict[str, str] = {
    "empty_file": "the file has no bytes (or only white space)",
    "unreadable_file": (
        "the file (or a folder: its path ends in /) could not be read "
        "(permissions, I/O error, removed mid-run)"
    ),
    "symlink": "a symbolic link inside an input folder: links are not followed",
    "special_file": "a FIFO, socket or device: not a regular file, never opened",
    "too_large": "the file is over the size limit",
    "binary_file": "the bytes are not text (NUL or control bytes)",
    "undecodable": "the bytes decode in no supported text encoding",
    "corrupt_archive": "a gzip or WARC container is truncated or malformed",
    "unsupported_file": "the file name is not one of the supported page formats",
    "unsupported_content_type": "a WARC response that is not an HTML page",
    "http_error": "a WARC response with an HTTP error status (4xx or 5xx): not an article",
    "unknown_format": "the text is neither an aggregator dump nor an HTML page",
    "no_title": "no title could be found",
    "no_body": "no article body could be found",
    "no_publication": "the page names no publication and has no URL (page, manifest or WARC)",
    "bad_date": "the publish date is not a real calendar date",
    "schema_invalid": "the normalized record does not validate against the schema",
    "internal_error": (
        "a bug met by this page: an unexpected exception in a stage, named with its file:line"
    ),
}
