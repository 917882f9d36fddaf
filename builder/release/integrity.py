"""What `builder verify` checks beyond each file's checksum: the release is self-contained
and its files agree with each other, and, given the published SHA256SUMS, with what was
published.

A checksum file that was recomputed after an edit agrees with the edited files: only a
copy of SHA256SUMS kept elsewhere (the one published with the release) shows the edit.
Everything else here is consistency: an edit that changes the card, release.json and
croissant.json together, and recomputes SHA256SUMS, is caught by `--against` alone.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from ..digests import sha256_file
from . import layout
from .checksums import SUMS_NAME, release_files
from .croissant import LICENSE_URLS

# A published SHA256SUMS lists a few dozen files; 16 MiB is thousands of times that.
MAX_SUMS_BYTES = 16 * 1024 * 1024
FETCH_SECONDS = 60


def check_paths(release: Path) -> list[str]:
    """Links anywhere in the release, and SHA256SUMS names that leave it.

    A data shard replaced by a link to a file outside the release hashes like the file
    it points to: the checksums cannot see it, so links are refused outright.
    """
    problems = []
    for folder, folders, files in os.walk(release):  # never follows a link
        for name in sorted(folders + files):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(
                    f"{path}: a symbolic link (to {os.readlink(path)}): "
                    "a release holds its files, never links"
                )
    sums = release / SUMS_NAME
    if sums.is_file() and not sums.is_symlink():
        for name in _sums(sums.read_text(encoding="utf-8", errors="replace")):
            if _leaves(name):
                problems.append(f"{sums}: {name!r} is a path outside the release")
    return problems


def _leaves(name: str) -> bool:
    pure = PurePosixPath(name)
    return pure.is_absolute() or ".." in pure.parts or "\\" in name


def _sums(text: str) -> dict[str, str]:
    """name -> digest of the lines of a SHA256SUMS text (`sha256sum` format)."""
    found = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if sep:
            found[name.removeprefix("*")] = digest.strip()
    return found


def check_release_info(
    release: Path, info: Any, croissant: Any, schema: dict[str, Any], rows: int
) -> list[str]:
    """release.json against its folder, the data, the schema and croissant.json."""
    where = f"{release / layout.RELEASE_INFO}"
    if not isinstance(info, dict):
        return [f"{where}: missing or not a JSON object"]
    problems = []
    if info.get("version") != release.name:
        problems.append(
            f"{where}: version {info.get('version')!r} is not the folder's name {release.name!r}"
        )
    expected_schema = schema.get("x-schema-version")
    if info.get("schema_version") != expected_schema:
        problems.append(
            f"{where}: schema_version {info.get('schema_version')!r} is not schema.json's "
            f"{expected_schema!r}"
        )
    shards = sorted(p for p in release_files(release) if p.startswith("data/"))
    if "data_files" in info and info["data_files"] != shards:
        problems.append(f"{where}: data_files {info['data_files']} are not the shards {shards}")
    records = (info.get("counts") or {}).get("records")
    if records is not None and records != rows:
        problems.append(f"{where}: counts.records {records} but the data has {rows} rows")
    if isinstance(croissant, dict):
        for key, theirs in (("name", "name"), ("version", "version"), ("date", "datePublished")):
            if info.get(key) != croissant.get(theirs):
                problems.append(
                    f"{where}: {key} {info.get(key)!r} but croissant.json says "
                    f"{croissant.get(theirs)!r}"
                )
    return problems


def check_card_facts(release: Path, meta: dict[str, Any], croissant: Any) -> list[str]:
    """The card's license and languages against croissant.json, written from the same config."""
    if not isinstance(croissant, dict):
        return []
    where = f"{release / layout.CARD}: metadata"
    problems = []
    if not _license_agrees(meta, croissant.get("license")):
        problems.append(
            f"{where}: license {meta.get('license')!r} does not match croissant.json's "
            f"{croissant.get('license')!r} (was the card edited?)"
        )
    if list(meta.get("language") or []) != list(croissant.get("inLanguage") or []):
        problems.append(
            f"{where}: language {meta.get('language')} does not match croissant.json's "
            f"{croissant.get('inLanguage')}"
        )
    return problems


def _license_agrees(meta: dict[str, Any], croissant_license: Any) -> bool:
    """Whether the card's license block says what croissant.json's license says.

    Both come from dataset.yaml's `license`; the card says `other` (with a license_name
    `<license>-metadata-...` and LICENSE.md) when the texts are under other rights
    (builder/card/data.py), and croissant.json gives a known license as its URL.
    """
    ids = {url: key for key, url in LICENSE_URLS.items()}
    dataset_license = ids.get(croissant_license, croissant_license)
    card_license = meta.get("license")
    if card_license == dataset_license:
        return True
    if card_license != "other":
        return False
    name = str(meta.get("license_name") or "")
    return name.startswith(f"{dataset_license}-metadata-") or meta.get("license_link") == (
        croissant_license
    )


def read_published_sums(source: str) -> tuple[dict[str, str] | None, str]:
    """The published SHA256SUMS (a path or an http(s) URL), or None and why not."""
    try:
        if source.startswith(("https://", "http://")):
            with urllib.request.urlopen(source, timeout=FETCH_SECONDS) as response:  # noqa: S310
                data = response.read(MAX_SUMS_BYTES + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_SUMS_BYTES + 1)
    except (OSError, ValueError) as exc:
        return None, f"{source}: cannot read the published {SUMS_NAME}: {exc}"
    if len(data) > MAX_SUMS_BYTES:
        return None, f"{source}: over {MAX_SUMS_BYTES} bytes: not a {SUMS_NAME} file"
    sums = _sums(data.decode("utf-8", errors="replace"))
    if not sums:
        return None, f"{source}: no `DIGEST  NAME` line: not a {SUMS_NAME} file"
    return sums, ""


def check_against(
    release: Path, source: str, digest: Callable[[Path], str] = sha256_file
) -> list[str]:
    """Every file of the release against the published SHA256SUMS, not the release's own;
    `digest` hashes a file (as for `check_sums`)."""
    published, why = read_published_sums(source)
    if published is None:
        return [why]
    problems = []
    present = set(release_files(release))
    for name, published_digest in sorted(published.items()):
        path = release / name
        if _leaves(name) or name not in present:
            problems.append(f"{path}: in the published {SUMS_NAME} ({source}) but not here")
        elif digest(path) != published_digest:
            problems.append(
                f"{path}: SHA-256 differs from the published {SUMS_NAME} ({source}): "
                "the file was changed after publication"
            )
    for name in sorted(present - set(published)):
        problems.append(f"{release / name}: not in the published {SUMS_NAME} ({source})")
    return problems
