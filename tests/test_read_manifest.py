"""Crawl manifests (CSV or JSONL: path, url, fetched_at) and the errors a user gets for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.read.manifest import ManifestEntry, load_manifest

from .conftest import SAMPLES


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CSV = """path,url,fetched_at
a/page.txt,https://ex.org/a,2024-01-02T03:04:05Z
./b/page.html,,2024-01-02T05:04:05+02:00
c\\page.txt,https://example.com/c,
"""
JSONL = """{"path": "a/page.txt", "url": "https://ex.org/a", "fetched_at": "2024-01-02T03:04:05Z"}

{"path": "./b/page.html", "url": null, "fetched_at": "2024-01-02T05:04:05+02:00"}
{"path": "c\\\\page.txt", "url": "https://example.com/c"}
"""
EXPECTED = {
    "a/page.txt": ManifestEntry("https://ex.org/a", "2024-01-02T03:04:05Z"),
    "b/page.html": ManifestEntry(None, "2024-01-02T03:04:05Z"),  # converted to UTC
    "c/page.txt": ManifestEntry("https://example.com/c", None),
}


@pytest.mark.parametrize(
    ("name", "text"),
    [("m.csv", CSV), ("m.jsonl", JSONL), ("m.csv", "\ufeff" + CSV)],
    ids=["csv", "jsonl", "csv-with-bom"],
)
def test_manifest_formats_give_the_same_entries(tmp_path: Path, name: str, text: str) -> None:
    assert load_manifest(_write(tmp_path, name, text)) == EXPECTED


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "m.csv", "status,path,url,fetched_at,bytes\n200,a.txt,https://x.org/a,,513\n"
    )
    assert load_manifest(path) == {"a.txt": ManifestEntry("https://x.org/a", None)}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "m.csv",
            "path,url\na.txt,https://x.org/\n",
            "m.csv:1: the CSV header lacks column(s) fetched_at",
        ),
        (
            "m.csv",
            "file,link,time\n",
            "m.csv:1: the CSV header lacks column(s) path, url, fetched_at",
        ),
        ("m.csv", "path,url,fetched_at\n,https://x.org/,\n", "m.csv:2: 'path' is empty"),
        (
            "m.csv",
            "path,url,fetched_at\na.txt,,2024-01-02\nb.txt,,yesterday\n",
            "m.csv:3: fetched_at 'yesterday' is not an ISO 8601 time",
        ),
        (
            "m.csv",
            "path,url,fetched_at\na.txt,,10:00\n",
            "m.csv:2: fetched_at '10:00' is not an ISO 8601 time",
        ),
        (
            "m.csv",
            "path,url,fetched_at\na.txt,,\n./a.txt,,\n",
            "m.csv:3: path 'a.txt' is listed twice",
        ),
        ("m.jsonl", '{"path": "a.txt"}\n{"path": "b.txt",\n', "m.jsonl:2: not valid JSON"),
        (
            "m.jsonl",
            '["a.txt", "https://x.org/", null]\n',
            "m.jsonl:1: each line must be a JSON object",
        ),
        ("m.jsonl", '{"url": "https://x.org/"}\n', "m.jsonl:1: 'path' is empty"),
        (
            "m.jsonl",
            '{"path": "a.txt", "url": 42}\n',
            "m.jsonl:1: 'url' must be a string or empty, not 42",
        ),
    ],
)
def test_bad_manifest_is_a_config_error_naming_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        load_manifest(path)
    assert str(caught.value).startswith(str(tmp_path / message.split(":", 1)[0]) + ":")
    assert message.split(":", 1)[1] in str(caught.value)


def test_unreadable_manifest_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read manifest"):
        load_manifest(tmp_path / "missing.csv")
    (tmp_path / "latin1.csv").write_bytes(b"path,url,fetched_at\ncaf\xe9.txt,,\n")
    with pytest.raises(ConfigError, match="latin1.csv: cannot read manifest"):
        load_manifest(tmp_path / "latin1.csv")


def test_sample_manifest_names_only_files_that_exist() -> None:
    manifest = load_manifest(SAMPLES / "manifest.csv")
    assert len(manifest) >= 10
    for key in manifest:
        assert (SAMPLES / "pages" / key).is_file(), key
