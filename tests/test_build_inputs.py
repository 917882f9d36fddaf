"""Which listed files a build treats as pages: never its own manifest, every other file."""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from builder.pipeline.runner import BuildOptions, build

PAGE = (Path(__file__).parent / "fixtures" / "seeds").glob("*.txt")


def _rejected_and_recorded(out: Path) -> set[str]:
    lines = (out / "rejects.jsonl").read_bytes().splitlines()
    rejected = {orjson.loads(line)["raw_path"] for line in lines}
    records = (out / "records.jsonl").read_bytes().splitlines()
    return rejected | {orjson.loads(line)["provenance"]["raw_path"] for line in records}


def test_the_manifest_inside_the_input_folder_is_not_a_page_but_its_namesakes_are(
    tmp_path: Path,
) -> None:
    crawl = tmp_path / "crawl"
    (crawl / "sub").mkdir(parents=True)
    (crawl / "page.txt").write_bytes(sorted(PAGE)[0].read_bytes())
    (crawl / "manifest.csv").write_text("path,url,fetched_at\n")
    (crawl / "sub" / "manifest.csv").write_text("not the manifest\n")  # same name, a page
    os.symlink(crawl, tmp_path / "link")  # the manifest named through a linked folder
    given = tmp_path / "link" / "manifest.csv"
    out = tmp_path / "out"
    build(BuildOptions([crawl], out, manifest=given, workers=1, progress=False, dedup=False))
    assert _rejected_and_recorded(out) == {"page.txt", "sub/manifest.csv"}


def test_a_manifest_given_as_an_input_file_is_read_as_a_page(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url,fetched_at\n")
    out = tmp_path / "out"
    build(BuildOptions([manifest], out, manifest=manifest, workers=1, progress=False, dedup=False))
    assert _rejected_and_recorded(out) == {"manifest.csv"}
