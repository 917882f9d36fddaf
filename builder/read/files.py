"""Walk input files and folders and yield Pages (or Rejects) in a deterministic order."""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..digests import sha256_file
from ..errors import ConfigError
from ..model import Page, Reject
from .formats import described, format_of
from .manifest import ManifestEntry
from .warc import iter_warc

# 10 MiB: the longest real article pages we have seen are under 2 MiB of HTML; larger
# files are feeds, archives or mistakes. WARC files themselves have no limit, only
# each response inside them.
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class InputFile:
    path: Path
    raw_path: str  # relative to its input root, forward slashes
    # (reason, message) of an entry listed only to be rejected: a link, a FIFO, a folder
    # that cannot be listed. Its `path` is then os.devnull: nothing may open the entry
    # itself (a FIFO blocks its reader, a device never ends, a link leads anywhere).
    problem: tuple[str, str] | None = None


def shown_name(name: str) -> str:
    """A file name as UTF-8 text: bytes that are not UTF-8 become `\\xNN` escapes.

    The system hands such bytes over as lone surrogates, which no JSON writer accepts;
    the escaped name keeps every byte visible in `raw_path` (docs/formats.md).
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _refused(raw_path: str, reason: str, message: str) -> InputFile:
    return InputFile(Path(os.devnull), raw_path, (reason, message))


def _special(entry: os.DirEntry[str] | Path, raw_path: str) -> InputFile | None:
    """The reject of a link or a FIFO, socket or device; None for a file or a folder."""
    if entry.is_symlink():
        return _refused(
            raw_path, "symlink", "a symbolic link: links are not followed; put the file itself"
        )
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return _refused(raw_path, "unreadable_file", f"cannot look at it: {exc.strerror or exc}")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return _refused(raw_path, "special_file", f"{kind}, not a regular file: it is not read")


def _entries(folder: Path, prefix: str) -> tuple[list[os.DirEntry[str]], InputFile | None]:
    """The folder's entries (hidden ones left out, as always), or the reject of the folder."""
    try:
        with os.scandir(folder) as scan:
            return [e for e in scan if not e.name.startswith(".")], None
    except OSError as exc:
        # Not a traceback that ends the build: the folder is one reject, the rest goes on.
        where = prefix or "./"
        message = f"cannot list the folder {folder}: {exc.strerror or exc}"
        return [], _refused(where, "unreadable_file", message)


def _sort_key(entry: os.DirEntry[str]) -> str:
    return shown_name(entry.name) + ("/" if entry.is_dir(follow_symlinks=False) else "")


def _walk(root: Path, folder: Path, prefix: str, excluded: set[Path]) -> Iterator[InputFile]:
    """Files under `folder` in the order of their relative paths, one folder listed at a time.

    Sorting a folder's entries by name, with "/" appended to sub-folder names, gives
    exactly the order of sorting all relative path strings, without holding them all.
    Hidden entries (a leading dot) are skipped; links, FIFOs, sockets, devices and
    folders that cannot be listed are listed as rejects.
    """
    excluded_names = {p.name for p in excluded}
    entries, problem = _entries(folder, prefix)
    if problem is not None:
        yield problem
        return
    entries.sort(key=_sort_key)
    for entry in entries:
        raw_path = prefix + shown_name(entry.name)
        special = _special(entry, raw_path)
        if special is not None:
            yield special
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(root, Path(entry.path), raw_path + "/", excluded)
        else:
            path = Path(entry.path)
            # Links are never listed, so only a file with an excluded file's name can be
            # one: resolving every path (a system call per component) was most of the
            # parent's listing time in a build of small files.
            if entry.name not in excluded_names or path.resolve() not in excluded:
                yield InputFile(path, raw_path)


def iter_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[InputFile]:
    """Files under the inputs, sorted by relative path so runs never depend on disk order.

    A stream: memory stays flat however many files a crawl has (one folder's listing).
    A missing input is reported at the call, before any file is listed. An input given
    by name is followed if it is a link (the user named it); a FIFO, socket or device
    given by name is a reject, never opened.
    """
    excluded = {p.resolve() for p in exclude}
    streams: list[Iterator[InputFile]] = []
    for root in inputs:
        if not root.exists():
            raise ConfigError(f"{root}: no such file or folder")
        if root.is_file():
            streams.append(iter([InputFile(root, shown_name(root.name))]))
        elif root.is_dir():
            streams.append(_walk(root, root, "", excluded))
        else:
            special = _special(root.resolve(), shown_name(root.name))
            streams.append(iter([special] if special else []))
    return heapq.merge(*streams, key=lambda f: (f.raw_path, str(f.path)))


def list_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> list[InputFile]:
    """All of `iter_inputs` as a list."""
    return list(iter_inputs(inputs, exclude))


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


def read_file(
    item: InputFile, manifest: dict[str, ManifestEntry], max_bytes: int
) -> Iterator[Page | Reject]:
    """The pages of one input file: one for a page file, one per HTML response for WARC.

    A file the system cannot read (permissions, I/O error, deleted mid-run) becomes an
    `unreadable_file` reject, so one bad disk block never stops a build.
    """
    if item.problem is not None:
        yield Reject(item.raw_path, *item.problem)
        return
    shown = shown_name(item.raw_path)
    if shown != item.raw_path:  # an API caller's name as the OS spells it: raw_path must be JSON
        item = InputFile(item.path, shown)
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
    file_format = format_of(name)
    if file_format is None:
        yield Reject(item.raw_path, "unsupported_file", f"not a page file: expected {described()}")
        return
    if file_format.many_pages:
        with item.path.open("rb") as stream:
            yield from iter_warc(stream, item.raw_path, sha256_file(item.path), max_bytes)
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
        format_hint="html" if file_format.html else None,
    )


def iter_pages(
    files: Iterable[InputFile],
    manifest: dict[str, ManifestEntry] | None = None,
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
) -> Iterator[Page | Reject]:
    for item in files:
        yield from read_file(item, manifest or {}, max_bytes)
