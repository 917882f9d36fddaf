"""Walk input files and folders and yield Pages (or Rejects) in a deterministic order."""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..model import Page, Reject
from .manifest import ManifestEntry
from .warc import iter_warc

# 10 MiB: the longest real article pages we have seen are under 2 MiB of HTML; larger
# files are feeds, archives or mistakes. WARC files themselves have no limit, only
# each response inside them.
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True)
class InputFile:
    path: Path
    raw_path: str  # relative to its input root, forward slashes


def _walk(root: Path, folder: Path, prefix: str, excluded: set[Path]) -> Iterator[InputFile]:
    """Files under `folder` in the order of their relative paths, one folder listed at a time.

    Sorting a folder's entries by name, with "/" appended to sub-folder names, gives
    exactly the order of sorting all relative path strings, without holding them all.
    Hidden entries (a leading dot) and symbolic links are skipped, as before.
    """
    excluded_names = {p.name for p in excluded}
    with os.scandir(folder) as scan:
        entries = [e for e in scan if not e.name.startswith(".") and not e.is_symlink()]
    entries.sort(key=lambda e: e.name + "/" if e.is_dir(follow_symlinks=False) else e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(root, Path(entry.path), f"{prefix}{entry.name}/", excluded)
        elif entry.is_file(follow_symlinks=False):
            path = Path(entry.path)
            # Links are never listed, so only a file with an excluded file's name can be
            # one: resolving every path (a system call per component) was most of the
            # parent's listing time in a build of small files.
            if entry.name not in excluded_names or path.resolve() not in excluded:
                yield InputFile(path, prefix + entry.name)


def iter_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[InputFile]:
    """Files under the inputs, sorted by relative path so runs never depend on disk order.

    A stream: memory stays flat however many files a crawl has (one folder's listing).
    A missing input is reported at the call, before any file is listed.
    """
    excluded = {p.resolve() for p in exclude}
    streams: list[Iterator[InputFile]] = []
    for root in inputs:
        if not root.exists():
            raise ConfigError(f"{root}: no such file or folder")
        if root.is_file():
            streams.append(iter([InputFile(root, root.name)]))
        else:
            streams.append(_walk(root, root, "", excluded))
    return heapq.merge(*streams, key=lambda f: (f.raw_path, str(f.path)))


def list_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> list[InputFile]:
    """All of `iter_inputs` as a list."""
    return list(iter_inputs(inputs, exclude))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_limited(path: Path, raw_path: str, max_bytes: int) -> tuple[bytes, str] | Reject:
    """The page bytes (gunzipped for .gz) and the SHA-256 of the stored file."""
    # The size of the open file, not of its path: two path look-ups fewer per page.
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            return Reject(
                raw_path, "too_large", f"file is {size} bytes, over the {max_bytes} limit"
            )
        stored = handle.read()
    sha = hashlib.sha256(stored).hexdigest()
    if not path.name.lower().endswith(".gz"):
        return stored, sha
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(stored)) as handle:
            data = handle.read(max_bytes + 1)  # bounded: a gzip bomb stops at the limit
    except (OSError, EOFError, zlib.error) as exc:
        return Reject(raw_path, "corrupt_archive", f"gzip data is truncated or corrupt: {exc}")
    if len(data) > max_bytes:
        return Reject(
            raw_path, "too_large", f"file decompresses to over the {max_bytes} byte limit"
        )
    return data, sha


def _page_name(raw_path: str) -> str:
    name = raw_path.lower()
    return name[:-3] if name.endswith(".gz") else name


def read_file(
    item: InputFile, manifest: dict[str, ManifestEntry], max_bytes: int
) -> Iterator[Page | Reject]:
    """The pages of one input file: one for a page file, one per HTML response for WARC.

    A file the system cannot read (permissions, I/O error, deleted mid-run) becomes an
    `unreadable_file` reject, so one bad disk block never stops a build.
    """
    try:
        yield from _read_file(item, manifest, max_bytes)
    except OSError as exc:
        yield Reject(
            item.raw_path, "unreadable_file", f"cannot read the file: {exc.strerror or exc}"
        )


def _read_file(
    item: InputFile, manifest: dict[str, ManifestEntry], max_bytes: int
) -> Iterator[Page | Reject]:
    name = item.raw_path.lower()
    if name.endswith(WARC_SUFFIXES):
        with item.path.open("rb") as stream:
            yield from iter_warc(stream, item.raw_path, _sha256_file(item.path), max_bytes)
        return
    page_name = _page_name(item.raw_path)
    if not page_name.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
        yield Reject(
            item.raw_path,
            "unsupported_file",
            "not a page file: expected .txt, .html, .htm, .warc or any of them .gz",
        )
        return
    loaded = _read_limited(item.path, item.raw_path, max_bytes)
    if isinstance(loaded, Reject):
        yield loaded
        return
    data, sha = loaded
    entry = manifest.get(item.raw_path) or ManifestEntry(None, None)
    yield Page(
        raw_path=item.raw_path,
        data=data,
        raw_sha256=sha,
        container="gzip" if name.endswith(".gz") else "file",
        url=entry.url,
        fetched_at=entry.fetched_at,
        format_hint="html" if page_name.endswith(HTML_SUFFIXES) else None,
    )


def iter_pages(
    files: Iterable[InputFile],
    manifest: dict[str, ManifestEntry] | None = None,
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
) -> Iterator[Page | Reject]:
    for item in files:
        yield from read_file(item, manifest or {}, max_bytes)
