"""What a contribution check reports: one finding per problem, at a file and line."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# Every code a finding can carry, with what it means; CONTRIBUTING.md lists the same
# codes and tests check that each one is reachable.
CODES: dict[str, str] = {
    "outside_contrib": "the path is not inside the contribution folder",
    "symlink": "symbolic links are not accepted",
    "bad_name": "file and folder names must be plain ASCII letters, digits, '.', '_' or '-'",
    "wrong_place": "the file is not where the contribution layout puts it",
    "wrong_format": "the file's type or content is not one the layout accepts",
    "archive": "archives and compressed files are not accepted",
    "too_large": "the file is over the size limit for its kind",
    "yaml_unsafe": "YAML tags, anchors or aliases are not accepted",
    "yaml_invalid": "the YAML file is malformed or has the wrong keys",
    "registry_conflict": "a publication alias or domain already belongs to another publication",
    "manifest_invalid": "a manifest row is malformed",
    "path_escape": "a path leaves its folder (absolute, '..' or a backslash)",
    "not_parsed": "the page could not be turned into a record",
    "schema": "the record breaks the record schema",
    "bad_id": "the record id is not the one derived from its URL or title",
    "no_url": "no source URL anywhere (page, manifest or record)",
    "no_date": "no fetch date (fetched_at) in the manifest or record",
    "no_publish_date": "no publish date could be found",
    "duplicate": "the article duplicates another contributed one or one already released",
    "active_content": "HTML scripts, frames or event handlers were found; they are ignored",
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: `path:line: severity: code: message`; line 1 for whole-file problems."""

    path: str
    line: int
    severity: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"unknown severity {self.severity!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.code}: {self.message}"


def error(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, max(line, 1), ERROR, code, message)


def warning(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, max(line, 1), WARNING, code, message)
