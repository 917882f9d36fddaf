"""End to end: pages → `builder release` → dist/VERSION.

Twice in a row, rebuilt, broken, published.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import BuilderError, ConfigError
from builder.release import make
from builder.release.make import ReleaseOptions, make_release
from builder.release.publish import publish_release
from builder.release.shards import read_release_records
from builder.validate.schema import load_schema

from .release_corpus import Article, Corpus, base_corpus, paragraphs, write_config, write_corpus

# The dedup stage adds `merged_copies` to every record (schema 1.1). The releases here
# use the repository's schema, extended with that field as the dedup stage writes it
# when the schema file does not declare it yet.
MERGED_COPIES = {
    "description": "Records merged into this one as duplicates.",
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "publication", "source_url", "publish_date"],
        "properties": {
            "id": {"type": "string"},
            "publication": {"type": "string"},
            "source_url": {"type": ["string", "null"]},
            "publish_date": {"type": ["string", "null"], "format": "date"},
        },
    },
}
RELEASE_FILES = {
    "README.md",
    "CHANGELOG.md",
    "SHA256SUMS",
    "schema.json",
    "croissant.json",
    "release.json",
    "figures/records_per_month.png",
    "figures/text_length.png",
    "reports/rejects.jsonl",
    "reports/dedup_report.jsonl",
    "reports/takedowns.jsonl",
    "LICENSE.md",  # the test config leaves the texts to their publishers
}


def second_corpus() -> Corpus:
    """The base corpus plus two new articles, one corrected article and one duplicate page."""
    corpus = base_corpus()
    articles = [dataclasses.replace(a) for a in corpus.articles]
    # Article 0 is corrected: same URL (so the same id), one more paragraph.
    corrected = articles[0]
    articles[0] = dataclasses.replace(corrected, seed=100)
    # A mirror of article 2 under another path and URL: the same text, so a duplicate.
    mirror = dataclasses.replace(
        articles[2], path="en/mirror/copy-of-2.txt", url="https://mirror.example/news/2"
    )
    new = [
        Article(
            f"en/ahram-online/new-{i}.txt",
            f"Fresh report {i} on the {w}",
            "Ahram Online",
            (3, 4, 2023),
            seed=200 + i,
            url=f"https://www.aggregator.example/en/ahram-online/{2000 + i}",
        )
        for i, w in enumerate(("ferry", "refinery"))
    ]
    return Corpus(articles + [mirror] + new, broken=corpus.broken)


def _project(root: Path, corpus: Corpus) -> Path:
    write_corpus(corpus, root)
    return write_config(
        root, releases={"1.0.0": {"date": "2024-01-15"}, "1.1.0": {"date": "2024-02-15"}}
    )


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    schema = copy.deepcopy(load_schema())
    schema["properties"].setdefault("merged_copies", MERGED_COPIES)
    path = tmp_path_factory.mktemp("schema") / "record.schema.json"
    path.write_text(json.dumps(schema, indent=2))
    return path


def _release(
    config: Path, dist: Path, version: str, schema: Path, workers: int = 1, load_check: bool = False
) -> Path:
    return make_release(
        ReleaseOptions(
            config=config,
            version=version,
            dist=dist,
            schema=schema,
            workers=workers,
            load_check=load_check,
        )
    )


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory, schema_file: Path) -> dict[str, Path]:
    """dist/ with 1.0.0 and 1.1.0 built from the two corpora (the second loaded with datasets)."""
    root = tmp_path_factory.mktemp("flow")
    dist = root / "dist"
    first = _release(_project(root / "v1", base_corpus()), dist, "1.0.0", schema_file)
    second = _release(
        _project(root / "v2", second_corpus()), dist, "1.1.0", schema_file, load_check=True
    )
    return {"root": root, "dist": dist, "1.0.0": first, "1.1.0": second}


def _tree(release: Path) -> dict[str, bytes]:
    return {
        p.relative_to(release).as_posix(): p.read_bytes()
        for p in sorted(release.rglob("*"))
        if p.is_file()
    }


def test_release_tree(dists: dict[str, Path]) -> None:
    files = set(_tree(dists["1.0.0"]))
    data = {f for f in files if f.startswith("data/")}
    assert files - data == RELEASE_FILES
    assert data and all(
        f.startswith("data/train-") and f.endswith(f"-of-{len(data):05d}.jsonl.gz") for f in data
    )
    assert sorted(p.name for p in dists["dist"].iterdir()) == ["1.0.0", "1.1.0"]  # no staging left


def test_rejects_are_listed_with_reasons(dists: dict[str, Path]) -> None:
    rejects = [
        json.loads(line)
        for line in (dists["1.0.0"] / "reports/rejects.jsonl").read_text().splitlines()
    ]
    assert {(r["raw_path"], r["reason"]) for r in rejects} == {
        ("en/other/empty.txt", "empty_file"),
        ("en/other/notes.pdf", "unsupported_file"),
    }


def test_second_release_changelog(dists: dict[str, Path]) -> None:
    old = {r["id"]: r for r in read_release_records(dists["1.0.0"])}
    new = {r["id"]: r for r in read_release_records(dists["1.1.0"])}
    info = json.loads((dists["1.1.0"] / "release.json").read_text())
    changes = info["changes"]
    assert (changes["added"], changes["removed"]) == (2, 0)
    assert set(new) - set(old) == {r for r in new if new[r]["title"].startswith("Fresh report")}
    changelog = (dists["1.1.0"] / "CHANGELOG.md").read_text()
    corrected = next(i for i, r in old.items() if r["title"].startswith("Story number 0 "))
    mirrored = next(i for i, r in old.items() if r["title"].startswith("Story number 2 "))
    assert f"- `{corrected}` (text)" in changelog
    assert f"- `{mirrored}` (merged_copies)" in changelog
    assert changes["updated"] == 2 and changes["unchanged"] == len(old) - 2


def test_ids_of_unchanged_articles_never_change(dists: dict[str, Path]) -> None:
    old = {r["id"]: r for r in read_release_records(dists["1.0.0"])}
    new = {r["id"]: r for r in read_release_records(dists["1.1.0"])}
    assert set(old) <= set(new)
    same = [i for i in old if old[i]["text"] == new[i]["text"]]
    assert len(same) == len(old) - 1 and all(old[i]["title"] == new[i]["title"] for i in same)


def test_duplicate_page_is_reported_and_merged(dists: dict[str, Path]) -> None:
    report = [
        json.loads(line)
        for line in (dists["1.1.0"] / "reports/dedup_report.jsonl").read_text().splitlines()
    ]
    assert [r["raw_path"] for r in report] == ["en/mirror/copy-of-2.txt"]
    card = (dists["1.1.0"] / "README.md").read_text()
    assert f"| {report[0]['method']} | 1 |" in card
    assert "Since 1.0.0: 2 added, 0 removed, 2 updated" in card


def test_same_inputs_rebuild_byte_identical(
    dists: dict[str, Path], tmp_path: Path, schema_file: Path
) -> None:
    config = _project(tmp_path / "again", base_corpus())
    rebuilt = _release(config, tmp_path / "dist", "1.0.0", schema_file, workers=2)
    assert _tree(rebuilt) == _tree(dists["1.0.0"])


def test_existing_or_older_versions_are_refused(dists: dict[str, Path], schema_file: Path) -> None:
    config = dists["root"] / "v2" / "dataset.yaml"
    before = _tree(dists["1.0.0"])
    with pytest.raises(ConfigError, match="already exists: releases are immutable"):
        _release(config, dists["dist"], "1.0.0", schema_file)
    with pytest.raises(ConfigError, match="not greater than the last release 1.1.0"):
        _release(config, dists["dist"], "1.0.5", schema_file)
    assert _tree(dists["1.0.0"]) == before


def test_a_failed_release_leaves_nothing_in_dist(
    dists: dict[str, Path], tmp_path: Path, schema_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(dists["dist"] / "1.0.0", dist / "1.0.0")
    config = _project(tmp_path / "p", second_corpus())

    def broken_verify(release: Path, load: bool = False, progress: bool = False) -> list[str]:
        assert (release / "README.md").is_file()  # the release was fully written before failing
        return [f"{release}/README.md: made up problem"]

    monkeypatch.setattr(make, "verify_release", broken_verify)
    with pytest.raises(BuilderError, match="failed verification; nothing was published"):
        _release(config, dist, "1.1.0", schema_file)
    assert sorted(p.name for p in dist.iterdir()) == ["1.0.0"]


def test_cli_release_and_publish_dry_run(
    dists: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    release = dists["1.1.0"]
    lines = list(publish_release(release, "example/test-news", dry_run=True))
    listed = {line.split()[0] for line in lines if line.startswith("  ")}
    assert listed == set(_tree(release))
    assert lines[-1] == "tag that commit 1.1.0"
    assert (
        main(
            [
                "publish",
                "1.1.0",
                "--dist",
                str(dists["dist"]),
                "--repo-id",
                "example/test-news",
                "--dry-run",
            ]
        )
        == 0
    )
    assert "dry run: nothing uploaded" in capsys.readouterr().out


def test_publish_without_network_is_a_clear_error(
    dists: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert (
        main(["publish", "1.1.0", "--dist", str(dists["dist"]), "--repo-id", "example/test-news"])
        == 2
    )
    err = capsys.readouterr().err
    assert "cannot publish" in err and "HF_HUB_OFFLINE" in err and "Traceback" not in err
    assert (
        main(["publish", "1.1.0", "--dist", str(dists["dist"]), "--repo-id", "bad id", "--dry-run"])
        == 2
    )
    assert "must look like ORG/NAME" in capsys.readouterr().err


def test_cli_release_reports_config_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "release",
                "1.0.0",
                "--config",
                str(tmp_path / "missing.yaml"),
                "--dist",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "missing.yaml" in (err := capsys.readouterr().err) and "cannot read" in err
    assert main(["release", "v1", "--config", str(tmp_path / "missing.yaml")]) == 2


def test_paragraph_generator_is_deterministic() -> None:
    assert paragraphs(3) == paragraphs(3) != paragraphs(4)


def test_sample_corpus_release_loads_typed_and_exact(tmp_path: Path, schema_file: Path) -> None:
    """The repository's own dataset.yaml over samples/.

    Both loaders give back every value written.
    """
    import datasets

    from builder.card.render import split_card
    from builder.release.shards import shard_paths
    from builder.schema_features import canonical_json, features_from_schema, record_fields

    repo = Path(__file__).resolve().parents[1]
    release = _release(repo / "dataset.yaml", tmp_path / "dist", "1.0.0", schema_file)
    schema = json.loads((release / "schema.json").read_text())
    features, fields = features_from_schema(schema), record_fields(schema)
    written = [canonical_json(r, fields) for r in read_release_records(release)]
    meta, _ = split_card((release / "README.md").read_text(encoding="utf-8"))
    assert meta["dataset_info"]["splits"][0]["num_examples"] == len(written) > 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        by_folder = datasets.load_dataset(
            str(release), split="train", cache_dir=str(tmp_path / "c1")
        )
        by_json = datasets.load_dataset(
            "json",
            data_files=[str(p) for p in shard_paths(release)],
            features=features,
            split="train",
            cache_dir=str(tmp_path / "c2"),
        )
    for dataset in (by_folder, by_json):
        assert dataset.features == features
        assert [canonical_json(row, fields) for row in dataset] == written


def test_release_streams_without_the_list_apis(
    dists: dict[str, Path], tmp_path: Path, schema_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The release path never holds a dataset in a list: the in-memory dedup API and the
    whole-release reader are off limits, and the release is still the same bytes."""
    import builder.dedup
    import builder.dedup.core
    from builder.release import shards

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the release flow called a list API")

    for module, name in (
        (builder.dedup, "deduplicate"),
        (builder.dedup.core, "deduplicate"),
        (shards, "read_release_records"),
    ):
        monkeypatch.setattr(module, name, refused)
    dist = tmp_path / "dist"
    shutil.copytree(dists["dist"] / "1.0.0", dist / "1.0.0")
    config = _project(tmp_path / "p", second_corpus())
    rebuilt = _release(config, dist, "1.1.0", schema_file, load_check=True)
    assert _tree(rebuilt) == _tree(dists["1.1.0"])


def test_an_interrupted_release_build_is_resumed_to_the_same_release(
    dists: dict[str, Path], tmp_path: Path, schema_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # builder release builds through pipeline.build: an interruption keeps the build's
    # finished shards in dist/.build-VERSION, and --resume goes on from them.
    from builder.pipeline import runner as pipeline
    from builder.pipeline.batches import WorkSizes

    config = _project(tmp_path / "p", base_corpus())
    dist = tmp_path / "dist"
    real, calls = pipeline.process_batch, []

    def interrupted(task: tuple) -> list:
        if calls:
            raise KeyboardInterrupt
        calls.append(task)
        return real(task)

    monkeypatch.setattr(pipeline, "process_batch", interrupted)
    small = WorkSizes(shard_files=2, batch_files=2)  # shards of one batch of two files
    with pytest.raises(KeyboardInterrupt):
        make_release(ReleaseOptions(config=config, version="1.0.0", dist=dist,
                                    schema=schema_file, load_check=False, sizes=small))
    assert (dist / ".build-1.0.0" / ".parts").is_dir() and not (dist / "1.0.0").exists()
    monkeypatch.setattr(pipeline, "process_batch", real)
    resumed = make_release(ReleaseOptions(config=config, version="1.0.0", dist=dist,
                                          schema=schema_file, load_check=False, resume=True,
                                          sizes=small))
    assert _tree(resumed) == _tree(dists["1.0.0"])
    assert sorted(p.name for p in dist.iterdir()) == ["1.0.0"]
