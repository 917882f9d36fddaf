"""BuildOptions: refused values, and the fields `builder parse` and the contribution check
build with (manifest entries in hand, their own publication registry)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import orjson
import pytest

from builder.cli import main
from builder.errors import ConfigError
from builder.normalize.publications import DEFAULT_REGISTRY
from builder.pipeline import runner
from builder.pipeline.runner import BuildOptions, build
from builder.read.manifest import ManifestEntry

from .conftest import FIXTURE_SEEDS

SEED = sorted(FIXTURE_SEEDS.glob("101_*.txt"))[0]  # an Ahram Online page without a URL


def _records(out: Path) -> list[dict]:
    return [orjson.loads(line) for line in (out / "records.jsonl").read_bytes().splitlines()]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"workers": 0}, "workers must be at least 1"),
        ({"max_bytes": 0}, "at least 1 byte"),
        ({"backend": "slurm"}, "unknown backend 'slurm'"),
        (
            {"manifest": Path("m.csv"), "manifest_entries": {}},
            "as a file or as entries, not both",
        ),
        ({"registry": Path("no-such-registry.yaml")}, "no such publication registry file"),
    ],
)
def test_bad_options_are_refused_before_any_work(
    tmp_path: Path, fields: dict, words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        BuildOptions([SEED], tmp_path / "out", **fields)
    assert not (tmp_path / "out").exists()


def test_manifest_entries_give_a_page_its_url(tmp_path: Path) -> None:
    url = "https://english.ahram.org.eg/News/1.aspx"
    entries = {SEED.name: ManifestEntry(url, "2023-02-08T09:00:00Z")}
    out = tmp_path / "out"
    summary = build(BuildOptions([SEED], out, manifest_entries=entries, progress=False,
                                 dedup=False))
    [record] = _records(out)
    assert (record["source_url"], record["provenance"]["fetched_at"]) == (
        url, "2023-02-08T09:00:00Z")
    assert summary.extra["manifest_rows_unused"] == 0


def test_a_registry_file_of_its_own_names_the_publication(tmp_path: Path) -> None:
    registry = tmp_path / "publications.yaml"
    registry.write_text("- name: Ahram English\n  aliases: [Ahram Online]\n", encoding="utf-8")
    build(BuildOptions([SEED], tmp_path / "default", progress=False, dedup=False))
    build(BuildOptions([SEED], tmp_path / "own", progress=False, dedup=False, registry=registry))
    assert _records(tmp_path / "default")[0]["publication"] == "Ahram Online"
    own = _records(tmp_path / "own")[0]
    assert (own["publication"], own["provenance"]["publication_source"]) == (
        "Ahram English", "registry")


def test_the_registry_is_part_of_what_a_resumed_build_compares(tmp_path: Path) -> None:
    registry = tmp_path / "publications.yaml"
    shutil.copyfile(DEFAULT_REGISTRY, registry)
    same = BuildOptions([SEED], tmp_path / "out", registry=registry)
    assert runner._settings(same) == runner._settings(BuildOptions([SEED], tmp_path / "out"))
    registry.write_text("- name: Ahram English\n  aliases: [Ahram Online]\n", encoding="utf-8")
    assert runner._settings(same) != runner._settings(BuildOptions([SEED], tmp_path / "out"))


def test_builder_parse_builds_in_a_folder_it_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert main(["parse", str(SEED), "--url", "https://english.ahram.org.eg/News/1.aspx"]) == 0
    assert orjson.loads(capsys.readouterr().out)["source_url"].endswith("/News/1.aspx")
    assert list(scratch.iterdir()) == []
