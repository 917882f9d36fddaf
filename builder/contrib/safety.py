"""Safety of contributed bytes: links, sizes, archives, unsafe YAML and active HTML.

Nothing here executes, imports or unpacks anything from a contribution: files are
looked at with lstat, their first bytes are compared with known signatures, YAML is only
tokenized (and later loaded with `yaml.safe_load`), and HTML is only parsed into a tree.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path

import lxml.html
import yaml
from lxml import etree

from ..parse.decode import looks_binary
from .findings import Finding, error, warning

MiB = 1024 * 1024
# Size limits per kind of file. Pages: the biggest real article pages we have seen are
# under 2 MiB of HTML (the build allows 10 MiB for crawls; a pull request should carry
# no page that big). Records: ~4,000 typical records; split bigger batches into files.
SIZE_LIMITS: dict[str, int] = {
    "page": 2 * MiB,
    "records": 16 * MiB,
    "manifest": 1 * MiB,
    "publication": 64 * 1024,
    "readme": 64 * 1024,
}
HEAD_BYTES = 512

# Leading bytes of compressed and archive formats (offset, signature, name), from each
# format's specification; tar's "ustar" sits at offset 257.
ARCHIVE_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),
    (0, b"PK\x07\x08", "zip"),
    (0, b"\x1f\x8b", "gzip"),
    (0, b"\x1f\x9d", "compress"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "rar"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"),
    (0, b"\x04\x22\x4d\x18", "lz4"),
    (0, b"MSCF", "cab"),
    (0, b"WARC/", "warc"),
    (257, b"ustar", "tar"),
    *((0, b"BZh" + bytes([digit]), "bzip2") for digit in b"123456789"),
)

# Elements and attributes that would run code or load other pages in a browser. The
# HTML parser only extracts text, so they are ignored; the warning tells the
# contributor they will not be in the record.
ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet"})
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data")


def link_finding(path: Path, root: Path, shown: str) -> Finding | None:
    """A symlink anywhere between the contribution folder and the file, or an escape from it."""
    absolute = Path(os.path.abspath(path))
    top = Path(os.path.abspath(root))
    if not absolute.is_relative_to(top):
        return error(shown, 1, "outside_contrib", f"not inside the contribution folder {root}")
    current = top
    for part in absolute.relative_to(top).parts:
        current = current / part
        if current.is_symlink():
            where = "" if current == absolute else f" ({current.name} is a link)"
            return error(
                shown, 1, "symlink", f"symbolic links are not accepted{where}: add the file itself"
            )
    if not Path(os.path.realpath(absolute)).is_relative_to(Path(os.path.realpath(top))):
        return error(
            shown, 1, "outside_contrib", f"resolves outside the contribution folder {root}"
        )
    return None


def content_finding(path: Path, shown: str, kind: str) -> Finding | None:
    """Too large, an archive by its magic bytes, or binary data where text belongs."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return error(shown, 1, "wrong_format", "not a regular file (a pipe, socket or device)")
    size, limit = info.st_size, SIZE_LIMITS[kind]
    if size > limit:
        return error(
            shown, 1, "too_large", f"{size} bytes is over the {limit} byte limit for a {kind} file"
        )
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for offset, magic, name in ARCHIVE_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return error(
                shown,
                1,
                "archive",
                f"the file is {name} data, not text: add the pages uncompressed, one file per page",
            )
    if looks_binary(head):
        return error(
            shown,
            1,
            "wrong_format",
            "binary data (an image, PDF or program?): only text files are accepted",
        )
    return None


def _unsafe_token(token: yaml.Token) -> str | None:
    """Why a YAML token is not accepted (it would build objects or share values), if it is not."""
    if isinstance(token, yaml.TagToken):
        tag = "".join(part or "" for part in token.value)
        return f"YAML tag {tag!r} is not accepted: write plain strings and lists"
    if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
        return f"YAML anchor/alias {token.value!r} is not accepted: write each value out"
    if isinstance(token, yaml.DirectiveToken) and token.name == "TAG":
        return "%TAG directives are not accepted"
    return None


def yaml_findings(text: str, shown: str) -> list[Finding]:
    """Tags, anchors, aliases and %TAG directives, found by the tokenizer (no object is built)."""
    found: list[Finding] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            problem = _unsafe_token(token)
            if problem:
                found.append(error(shown, token.start_mark.line + 1, "yaml_unsafe", problem))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        found.append(error(shown, line, "yaml_invalid", f"not valid YAML: {exc.problem or exc}"))
    return found


def _is_script_url(value: str) -> bool:
    compact = "".join(value.split()).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:text/html"))


def active_content(text: str, shown: str) -> Finding | None:
    """One warning naming the scripts, frames and event handlers of an HTML page, if any."""
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return None  # the page check itself reports a page that does not parse
    counts: Counter[str] = Counter()
    first_line = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        kinds = [f"<{element.tag}>"] if element.tag in ACTIVE_TAGS else []
        kinds += [f"{name}=" for name in element.attrib if name.lower().startswith("on")]
        kinds += [
            "javascript: URL" for name in URL_ATTRIBUTES if _is_script_url(element.get(name, ""))
        ]
        if kinds and not first_line:
            first_line = element.sourceline or 1
        counts.update(kinds)
    if not counts:
        return None
    listed = ", ".join(f"{n} x {kind}" for kind, n in sorted(counts.items()))
    return warning(
        shown,
        first_line,
        "active_content",
        f"ignored active content ({listed}): only the "
        "article text is extracted, nothing in the page is run or kept",
    )
