"""Reading input files and folders: order, names, gzip, size limit, and what is not a page."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.model import Page, Reject
from builder.read.files import InputFile, iter_pages, list_inputs, read_file
from builder.read.manifest import ManifestEntry

from .conftest import SAMPLES

PAGE = b"Title\nPublished in Ahram Online on 07 - 02 - 2020\n\nBody.\n"


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _only(
    item: InputFile, manifest: dict[str, ManifestEntry] | None = None, max_bytes: int = 10_000_000
) -> Page | Reject:
    [result] = list(read_file(item, manifest or {}, max_bytes))
    return result


def test_folder_tree_is_listed_sorted_by_relative_path(tmp_path: Path) -> None:
    _tree(tmp_path, {"b/2.txt": PAGE, "a/z.html": PAGE, "a/b/c.txt.gz": PAGE, "0.warc": PAGE})
    assert [f.raw_path for f in list_inputs([tmp_path])] == [
        "0.warc",
        "a/b/c.txt.gz",
        "a/z.html",
        "b/2.txt",
    ]


def test_hidden_files_and_folders_and_the_manifest_are_skipped(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".git/config": b"x",
            ".DS_Store": b"x",
            "a/.hidden.txt": PAGE,
            "a/page.txt": PAGE,
            "manifest.csv": b"path,url,fetched_at\n",
        },
    )
    found = list_inputs([tmp_path], exclude=[tmp_path / "manifest.csv"])
    assert [f.raw_path for f in found] == ["a/page.txt"]


def test_a_single_file_input_is_named_by_its_file_name(tmp_path: Path) -> None:
    _tree(tmp_path, {"deep/folder/page.txt": PAGE})
    [item] = list_inputs([tmp_path / "deep" / "folder" / "page.txt"])
    assert item.raw_path == "page.txt"


def test_missing_input_is_a_config_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope: no such file or folder"):
        list_inputs([tmp_path / "nope"])


@pytest.mark.parametrize(
    ("name", "container", "hint"),
    [
        ("page.txt", "file", None),
        ("page.html", "file", "html"),
        ("page.HTM", "file", "html"),
        ("page.txt.gz", "gzip", None),
        ("page.html.gz", "gzip", "html"),
    ],
)
def test_page_files(tmp_path: Path, name: str, container: str, hint: str | None) -> None:
    stored = gzip.compress(PAGE) if name.endswith(".gz") else PAGE
    _tree(tmp_path, {name: stored})
    page = _only(InputFile(tmp_path / name, name))
    assert isinstance(page, Page)
    assert page.data == PAGE
    assert (page.container, page.format_hint) == (container, hint)
    # The hash is of the file as stored, so `sha256sum raw_path` checks it.
    assert page.raw_sha256 == hashlib.sha256(stored).hexdigest()


@pytest.mark.parametrize(
    "name", ["notes.log", "photo.jpg", "data.json", "archive.zip", "page.gz", "page.pdf.gz"]
)
def test_other_file_names_are_unsupported_file(tmp_path: Path, name: str) -> None:
    _tree(tmp_path, {name: PAGE})
    reject = _only(InputFile(tmp_path / name, name))
    assert isinstance(reject, Reject)
    assert (reject.raw_path, reject.reason) == (name, "unsupported_file")


def test_file_over_the_limit_is_too_large_without_being_read(tmp_path: Path) -> None:
    _tree(tmp_path, {"big.txt": b"x" * 101})
    reject = _only(InputFile(tmp_path / "big.txt", "big.txt"), max_bytes=100)
    assert isinstance(reject, Reject) and reject.reason == "too_large"
    assert "101 bytes" in reject.message and "100" in reject.message


def test_gzip_that_inflates_over_the_limit_is_too_large(tmp_path: Path) -> None:
    _tree(tmp_path, {"bomb.txt.gz": gzip.compress(b" " * 5000)})
    reject = _only(InputFile(tmp_path / "bomb.txt.gz", "bomb.txt.gz"), max_bytes=1000)
    assert isinstance(reject, Reject) and reject.reason == "too_large"


@pytest.mark.parametrize(
    "stored",
    [
        gzip.compress(PAGE)[:-12],  # cut before the end
        b"\x1f\x8b\x08\x00garbage-not-deflate",
        b"not gzip at all",
    ],
)
def test_broken_gzip_is_corrupt_archive(tmp_path: Path, stored: bytes) -> None:
    _tree(tmp_path, {"page.txt.gz": stored})
    reject = _only(InputFile(tmp_path / "page.txt.gz", "page.txt.gz"))
    assert isinstance(reject, Reject) and reject.reason == "corrupt_archive"


def test_manifest_gives_url_and_fetch_time_by_relative_path(tmp_path: Path) -> None:
    _tree(tmp_path, {"a/page.txt": PAGE, "b/page.txt": PAGE})
    manifest = {"a/page.txt": ManifestEntry("https://example.com/a", "2024-01-02T03:04:05Z")}
    pages = [p for p in iter_pages(list_inputs([tmp_path]), manifest) if isinstance(p, Page)]
    assert [(p.raw_path, p.url, p.fetched_at) for p in pages] == [
        ("a/page.txt", "https://example.com/a", "2024-01-02T03:04:05Z"),
        ("b/page.txt", None, None),
    ]


def test_sample_folder_tree_lists_every_format() -> None:
    names = [f.raw_path for f in list_inputs([SAMPLES / "pages"])]
    suffixes = {".txt", ".html", ".txt.gz", ".html.gz", ".warc", ".warc.gz"}
    for suffix in suffixes:
        assert any(name.endswith(suffix) for name in names), suffix
    assert names == sorted(names)


@pytest.mark.parametrize("name", ["gone.txt", "gone.warc"])
def test_a_file_that_cannot_be_read_is_unreadable_file(tmp_path: Path, name: str) -> None:
    # Listed, then removed before it is read: what a crawler cleaning up mid-run does.
    path = tmp_path / name
    path.write_bytes(b"placeholder")
    item = InputFile(path, name)
    path.unlink()
    [reject] = list(read_file(item, {}, 1 << 20))
    assert isinstance(reject, Reject)
    assert (reject.raw_path, reject.reason) == (name, "unreadable_file")
    assert "No such file" in reject.message
