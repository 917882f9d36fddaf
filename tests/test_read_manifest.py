"""Crawl manifests (CSV or JSONL: path, url, fetched_at) and the errors a user gets for bad ones."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.cli import main
from builder.errors import ConfigError
from builder.read.manifest import Manifest, ManifestEntry, load_manifest, page_key

from .conftest import SAMPLES, SampleBuild


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


# --- rows that match no input page ---------------------------------------------------------

PAGE = SAMPLES / "pages" / "aggregator" / "en" / "ahram-online" / "power-grid-sudan.txt"


def test_unclaimed_rows_are_named_in_file_order_with_their_lines(tmp_path: Path) -> None:
    rows = "".join(f"p{n}.txt,,\n" for n in range(8))
    manifest = Manifest.load(_write(tmp_path, "m.csv", "path,url,fetched_at\n" + rows))
    assert manifest.claim("p3.txt") == ManifestEntry(None, None)
    assert manifest.claim("p3.txt") == ManifestEntry(None, None)  # a second input, same path
    assert manifest.claim("elsewhere.txt") is None
    where = tmp_path / "m.csv"
    assert manifest.unused_warning() == "\n".join(
        [
            f"warning: 7 row(s) of the manifest {where} match no input page "
            "(a mistyped path? paths are relative to the input folder):",
            f"  {where}:2: p0.txt",
            f"  {where}:3: p1.txt",
            f"  {where}:4: p2.txt",
            f"  {where}:6: p4.txt",
            f"  {where}:7: p5.txt",
            "  and 2 more",
        ]
    )
    for name in ("p0.txt", "p1.txt", "p2.txt", "p4.txt", "p5.txt", "p6.txt", "p7.txt"):
        manifest.claim(name)
    assert manifest.unclaimed == {} and manifest.unused_warning() is None


def test_no_manifest_has_no_rows() -> None:
    manifest = Manifest.load(None)
    assert manifest.claim("a.txt") is None and manifest.unused_warning() is None


@pytest.mark.parametrize(
    ("rows", "unused", "named"),
    [
        ("grid.txt,https://x.org/grid,\n", 0, []),
        (
            "grid.txt,https://x.org/grid,\npages/grid.txt,,\nmissing.txt,,\n",
            2,
            [":3: pages/grid.txt", ":4: missing.txt"],
        ),
    ],
    ids=["all-used", "mistyped-and-missing"],
)
def test_build_counts_and_names_unused_manifest_rows(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: str,
    unused: int,
    named: list[str],
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "grid.txt").write_bytes(PAGE.read_bytes())
    manifest = _write(tmp_path, "manifest.csv", "path,url,fetched_at\n" + rows)
    out = tmp_path / "out"
    argv = ["build", str(pages), "--manifest", str(manifest), "--out", str(out)]
    code = main([*argv, "--quiet", "--workers", "1", "--no-dedup"])
    printed, err = capsys.readouterr()
    summary = orjson.loads((out / "summary.json").read_bytes())
    assert code == 0 and summary["records"] == 1
    assert summary["manifest_rows_unused"] == unused
    assert (f"manifest rows unused:   {unused} " in printed) == bool(unused)
    warned = [line for line in err.splitlines() if "match no input page" in line]
    assert len(warned) == (1 if unused else 0)
    for line in named:
        assert f"  {manifest}{line}\n" in err


def test_sample_build_uses_every_manifest_row(sample_build: SampleBuild) -> None:
    summary = orjson.loads((sample_build.out / "summary.json").read_bytes())
    assert summary["manifest_rows_unused"] == 0
    assert "match no input page" not in sample_build.stderr


_PATH_PARTS = st.sampled_from(["a", "b.txt", ".", "..", "", " ", "x y", "é"])
_SEPARATORS = st.sampled_from(["/", "//", "\\", "/./", "./"])


@given(st.lists(st.tuples(_PATH_PARTS, _SEPARATORS), max_size=6), _PATH_PARTS)
def test_page_key_shortcut_names_paths_as_pureposixpath_does(
    parts: list[tuple[str, str]], last: str
) -> None:
    # The shortcut skips PurePosixPath for paths that are already plain; it must give the
    # same key for every path, or a manifest row would silently miss its page.
    raw = "".join(part + separator for part, separator in parts) + last
    assert page_key(raw) == PurePosixPath(raw.strip().replace("\\", "/")).as_posix()
