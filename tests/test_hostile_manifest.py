"""Broken and hostile manifests stop the build with one `file:line: what is wrong` error."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import ConfigError
from builder.read.manifest import MAX_LINE_CHARS, ManifestEntry, load_manifest

from .conftest import REPO
from .hostile import builder, one_line_error

PAGE = "Published in Ahram Online on 01 - 02 - 2023\n\nA title\n\nA body paragraph here.\n"
TIME = "2024-01-02T03:04:05Z"


def _load_error(tmp_path: Path, text: str, name: str = "m.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(path)
    return str(caught.value).replace(str(tmp_path) + "/", "")


def test_an_unbalanced_quote_is_an_error_naming_its_line_not_a_lost_row(tmp_path: Path) -> None:
    text = (
        "path,url,fetched_at\n"
        f'a.txt,"https://x.org/a,{TIME}\n'
        f"b.txt,https://x.org/b,{TIME}\n"
    )
    message = _load_error(tmp_path, text)
    assert message.startswith("m.csv:2: ") and "quote" in message


def test_a_quote_closed_on_a_later_line_is_an_error_too(tmp_path: Path) -> None:
    text = f'path,url,fetched_at\na.txt,"https://x.org/a\nb.txt",{TIME}\n'
    message = _load_error(tmp_path, text)
    assert message.startswith("m.csv:2: ") and "runs on to line 3" in message


def test_a_column_named_twice_is_an_error_not_another_pages_url(tmp_path: Path) -> None:
    text = f"path,url,fetched_at,url\na.txt,https://x.org/a,{TIME},https://x.org/b\n"
    assert _load_error(tmp_path, text) == "m.csv:1: the CSV header has column(s) url twice"


def test_a_row_with_a_missing_comma_is_an_error(tmp_path: Path) -> None:
    message = _load_error(tmp_path, "path,url,fetched_at\na.txt,https://x.org/a\n")
    assert message.startswith("m.csv:2: ") and "comma" in message


def _url_problem(tmp_path: Path, text: str, name: str = "m.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entry = load_manifest(path)["a.txt"]
    assert entry.url is None and entry.url_problem
    return entry.url_problem.replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(
    "url",
    ["ftp://x.org/a", "/news/2024/a.html", "news/a.html", "javascript:alert(1)", "https://",
     "xhttps://x.org/a", "http://[::1/a"],
)
def test_a_url_that_is_not_absolute_http_is_a_problem_naming_the_line(
    tmp_path: Path, url: str
) -> None:
    problem = _url_problem(tmp_path, f"path,url,fetched_at\nb.txt,,\na.txt,{url},{TIME}\n")
    assert problem.startswith("m.csv:3: url ") and "not an absolute http(s) URL" in problem


def test_a_url_that_is_not_absolute_http_is_a_problem_in_jsonl_too(tmp_path: Path) -> None:
    problem = _url_problem(tmp_path, '{"path": "a.txt", "url": "ftp://x/a"}\n', "m.jsonl")
    assert problem.startswith("m.jsonl:1: url ")


def test_a_bad_manifest_url_is_not_used_and_the_build_warns_naming_its_line(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    dump = (REPO / "samples/pages/aggregator/en/egypt-today/hurghada-regatta.txt").read_bytes()
    (pages / "a.txt").write_bytes(dump)
    (pages / "b.txt").write_bytes(dump)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,url,fetched_at\na.txt,xhttps://x.org/a,{TIME}\n"
                        f"b.txt,https://x.org/b,{TIME}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = builder("build", str(pages), "--manifest", str(manifest), "--out", str(out),
                   "--no-dedup")
    assert done.code == 0, done.stderr
    assert f"{manifest}:2: url 'xhttps://x.org/a' is not an absolute http(s) URL" in done.stderr
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    urls = {r["provenance"]["raw_path"]: r["source_url"] for r in records}
    assert urls == {"a.txt": None, "b.txt": "https://x.org/b"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["manifest_urls_not_used"] == 1

def test_a_line_over_the_limit_is_an_error_not_a_hang(tmp_path: Path) -> None:
    text = "path,url,fetched_at\na.txt,https://x.org/" + "a" * MAX_LINE_CHARS + ",\n"
    message = _load_error(tmp_path, text)
    assert message.startswith("m.csv:2: the line is over")


def test_build_with_manifest_dev_zero_stops_with_one_line_in_bounded_memory(
    tmp_path: Path,
) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text(PAGE)
    run = builder(
        "build", str(tmp_path / "pages"), "--manifest", "/dev/zero",
        "--out", str(tmp_path / "out"), "--quiet", "--workers", "1",
    )
    assert one_line_error(run).startswith("error: /dev/zero:1: the line is over")


def test_build_with_an_unbalanced_quote_exits_non_zero_and_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "pages" / name).write_text(PAGE)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        f'path,url,fetched_at\na.txt,"https://x.org/a,{TIME}\nb.txt,https://x.org/b,{TIME}\n'
    )
    run = builder(
        "build", str(tmp_path / "pages"), "--manifest", str(manifest),
        "--out", str(tmp_path / "out"), "--quiet", "--workers", "1",
    )
    assert one_line_error(run).startswith(f"error: {manifest}:2: not valid CSV")
    assert not (tmp_path / "out" / "records.jsonl").exists()


# --- properties ---------------------------------------------------------------------------------

names = st.text(alphabet="abc/._-,\"'é", min_size=1, max_size=12).filter(
    lambda s: not s.strip().startswith(("/", ".")) and "//" not in s
    and "/." not in s and not s.strip().endswith("/")
)
urls = st.builds(
    lambda host, tail: f"https://{host}.example/{tail}",
    st.text(alphabet="abcxyz", min_size=1, max_size=6),
    st.text(alphabet="abc/?=&,\"'%", max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, st.one_of(st.none(), urls), min_size=1, max_size=6))
def test_any_manifest_csv_writes_gives_back_every_row(rows: dict[str, str | None]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "url", "fetched_at"])
    for path, url in rows.items():
        writer.writerow([path, url or "", TIME])
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "m.csv"
        manifest.write_text(buffer.getvalue(), encoding="utf-8")
        entries = load_manifest(manifest)
    assert entries == {
        path: ManifestEntry(url, "2024-01-02T03:04:05Z") for path, url in rows.items()
    }


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab,"\n\r:/.h', max_size=80))
def test_any_text_after_a_header_loads_or_is_an_error_naming_a_line(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "m.csv"
        manifest.write_text("path,url,fetched_at\n" + body, encoding="utf-8")
        try:
            entries = load_manifest(manifest)
        except ConfigError as error:
            assert str(error).startswith(f"{manifest}:")
            return
    for entry in entries.values():
        assert entry.url is None or entry.url.startswith(("http://", "https://"))
