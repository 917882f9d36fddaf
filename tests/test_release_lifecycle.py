"""A dataset that lives: three releases of one small corpus.

1.0.0 from eight articles; 1.1.0 with one correction (a page without a URL retitled and
edited in place), one takedown (by URL, with `builder takedown`), one new page and one
page gone from the inputs; 1.2.0 with the taken-down article crawled again under a URL
variant, and one more new page. Each release is checked for its records, ids and
changelog, loaded with `load_dataset` by folder, and verified.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.errors import BuilderError, ConfigError
from builder.release.make import ReleaseOptions, make_release
from builder.release.shards import read_release_records
from builder.release.verify import verify_release

from .release_corpus import (
    Article,
    Corpus,
    aggregator_page,
    base_corpus,
    paragraphs,
    write_config,
    write_corpus,
)

RELEASES = {
    "1.0.0": {"date": "2024-01-15", "notes": "First."},
    "1.1.0": {"date": "2024-02-15", "notes": "A correction, a takedown, a new page."},
    "1.2.0": {"date": "2024-03-15", "notes": "One more page."},
}
TAKEDOWN_REASON = "Publisher's request of 2024-02-01"


def _new_page(number: int) -> Article:
    return Article(
        f"en/ahram-online/new-{number}.txt",
        f"Fresh report {number} on the harbour",
        "Ahram Online",
        (3, 2, 2024),
        seed=300 + number,
        url=f"https://www.aggregator.example/en/ahram-online/{3000 + number}",
        fetched_at="2024-02-03T10:00:00Z",
    )


def _corpus(version: str) -> Corpus:
    corpus = base_corpus()
    articles = list(corpus.articles)
    if version >= "1.1.0":
        articles = [a for a in articles if a.path != "en/ahram-online/article-7.txt"]
        articles.append(_new_page(1))
    if version >= "1.2.0":
        # the taken-down article 4, crawled again from its mobile URL with a tracking tag
        article = next(a for a in articles if a.path.endswith("article-4.txt"))
        articles.append(
            dataclasses.replace(
                article,
                path="en/recrawl/article-4-again.txt",
                url="https://m.aggregator.example/en/ahram-online/1004?utm_source=feed",
                fetched_at="2024-03-01T09:00:00Z",
            )
        )
        articles.append(_new_page(2))
    return Corpus(articles, broken=corpus.broken)


CORRECTED_TITLE = "Story number 1 about the river, corrected"


def _write_pages(root: Path, version: str) -> None:
    shutil.rmtree(root / "pages", ignore_errors=True)
    corpus = _corpus(version)
    write_corpus(corpus, root)
    if version >= "1.1.0":  # article 1 (no URL) corrected in place: new headline and paragraph
        article = next(a for a in corpus.articles if a.path.endswith("article-1.txt"))
        body = paragraphs(article.seed)[:2] + ["The ministry corrected the figures on Monday."]
        page = aggregator_page(CORRECTED_TITLE, article.publication, article.date, body)
        (root / "pages" / article.path).write_text(page, encoding="utf-8")


def _release(root: Path, version: str, **options: object) -> Path:
    return make_release(
        ReleaseOptions(
            config=root / "dataset.yaml",
            version=version,
            dist=root / "dist",
            load_check=False,
            **options,  # type: ignore[arg-type]
        )
    )


def _records(release: Path) -> dict[str, dict]:
    return {r["id"]: r for r in read_release_records(release)}


def _by_title(records: dict[str, dict], start: str) -> dict:
    return next(r for r in records.values() if r["title"].startswith(start))


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("lifecycle")
    write_config(root, releases=RELEASES)
    out: dict[str, object] = {"root": root}
    _write_pages(root, "1.0.0")
    out["1.0.0"] = _release(root, "1.0.0")
    _write_pages(root, "1.1.0")
    taken = _by_title(_records(out["1.0.0"]), "Story number 4 ")  # type: ignore[arg-type]
    argv = ["takedown", taken["source_url"], "--reason", TAKEDOWN_REASON, "--date", "2024-02-01"]
    argv += ["--config", str(root / "dataset.yaml"), "--dist", str(root / "dist")]
    import contextlib
    import io

    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(argv) == 0
    out["takedown_said"] = said.getvalue()
    out["taken"] = taken
    out["1.1.0"] = _release(root, "1.1.0")
    _write_pages(root, "1.2.0")
    out["1.2.0"] = _release(root, "1.2.0")
    return out


def _changelog(release: Path) -> str:
    return (release / "CHANGELOG.md").read_text(encoding="utf-8")


def _section(text: str, title: str) -> list[str]:
    body = text.split(f"## {title}\n\n", 1)[1].split("\n\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("- ") or line == "(none)"]


def test_first_release(lifecycle: dict) -> None:
    records = _records(lifecycle["1.0.0"])
    assert len(records) == 8
    assert "first release: every record is new" in _changelog(lifecycle["1.0.0"])
    assert json.loads((lifecycle["1.0.0"] / "release.json").read_text())["date"] == "2024-01-15"


def test_takedown_command_says_which_release_drops_what(lifecycle: dict) -> None:
    said, taken = lifecycle["takedown_said"], lifecycle["taken"]
    assert f"record {taken['id']}" in said and "the next release, 1.1.0 (dated 2024-02-15)" in said
    listed = yaml.safe_load((lifecycle["root"] / "takedowns.yaml").read_text())["takedowns"]
    assert [{**e, "date": str(e["date"])} for e in listed] == [
        {"url": taken["source_url"], "reason": TAKEDOWN_REASON, "date": "2024-02-01"}
    ]


def test_second_release_correction_takedown_and_new_page(lifecycle: dict) -> None:
    old, new = _records(lifecycle["1.0.0"]), _records(lifecycle["1.1.0"])
    taken = lifecycle["taken"]
    added = _by_title(new, "Fresh report 1 ")
    assert set(new) == set(old) - {taken["id"]} | {added["id"]}
    # the correction: same id, the new headline and text, provenance of the bytes used
    before = _by_title(old, "Story number 1 ")
    after = new[before["id"]]
    assert after["title"] == CORRECTED_TITLE and after["text"] != before["text"]
    page = lifecycle["root"] / "pages" / after["provenance"]["raw_path"]
    assert after["provenance"]["raw_sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert after["merged_copies"] == []  # never a copy of itself
    # cumulative: the page of article 7 left the inputs, its record stays
    assert _by_title(new, "Story number 7 ") == _by_title(old, "Story number 7 ")
    changelog = _changelog(lifecycle["1.1.0"])
    assert _section(changelog, "Added") == [f"- `{added['id']}`"]
    assert _section(changelog, "Removed") == [
        f"- `{taken['id']}`: taken down: {TAKEDOWN_REASON} (requested 2024-02-01)"
    ]
    assert _section(changelog, "Updated") == [f"- `{before['id']}` (text, title)"]
    report = (lifecycle["1.1.0"] / "reports/dedup_report.jsonl").read_text()
    assert report == ""  # the correction is an update, not a duplicate


def test_taken_down_article_crawled_again_stays_out(lifecycle: dict) -> None:
    previous, new = _records(lifecycle["1.1.0"]), _records(lifecycle["1.2.0"])
    added = _by_title(new, "Fresh report 2 ")
    assert set(new) == set(previous) | {added["id"]}
    assert not any(r["title"].startswith("Story number 4 ") for r in new.values())
    assert all(
        "1004" not in (copy["source_url"] or "")
        for r in new.values()
        for copy in r["merged_copies"]
    )
    changelog = _changelog(lifecycle["1.2.0"])
    assert _section(changelog, "Added") == [f"- `{added['id']}`"]
    assert _section(changelog, "Removed") == ["(none)"]
    assert "1004" not in (lifecycle["1.2.0"] / "reports/dedup_report.jsonl").read_text()
    tombstones = [
        json.loads(line)
        for line in (lifecycle["1.2.0"] / "reports/takedowns.jsonl").read_text().splitlines()
    ]
    # the re-crawl's URL variant gave it another id: the tombstone now holds that one too
    assert {(t["dropped_in"], t["reason"], t["url_key_sha256"]) for t in tombstones} == {
        ("1.1.0", TAKEDOWN_REASON, tombstones[0]["url_key_sha256"])
    }
    assert lifecycle["taken"]["id"] in {t["id"] for t in tombstones} and len(tombstones) == 2
    assert "1004" not in json.dumps(tombstones)  # a hash of the URL, never the URL


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.2.0"])
def test_each_release_verifies_and_loads_by_folder(
    lifecycle: dict, version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datasets

    from builder.schema_features import canonical_json, record_fields

    release = lifecycle[version]
    assert verify_release(release) == []
    schema = json.loads((release / "schema.json").read_text())
    fields = record_fields(schema)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    loaded = datasets.load_dataset(str(release), split="train", cache_dir=str(tmp_path))
    written = [canonical_json(r, fields) for r in read_release_records(release)]
    assert [canonical_json(row, fields) for row in loaded] == written


def test_card_of_the_second_release(lifecycle: dict) -> None:
    card = (lifecycle["1.1.0"] / "README.md").read_text(encoding="utf-8")
    assert "**Version 1.1.0**, released 2024-02-15" in card
    assert "Since 1.0.0: 1 added, 1 removed (1 taken down), 1 updated" in card
    assert "This release keeps 1 tombstone(s)." in card
    assert "This dataset is **cumulative**" in card


def test_a_version_without_its_releases_entry_is_refused(lifecycle: dict, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(lifecycle["1.2.0"], dist / "1.2.0")
    with pytest.raises(
        ConfigError, match=r'(?s)no entry for 1.3.0.*"1.3.0":\n    date: YYYY-MM-DD'
    ):
        make_release(ReleaseOptions(lifecycle["root"] / "dataset.yaml", "1.3.0", dist))
    assert sorted(p.name for p in dist.iterdir()) == ["1.2.0"]


def test_an_unchanged_release_needs_allow_unchanged(lifecycle: dict, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(lifecycle["root"], root, ignore=shutil.ignore_patterns("dist"))
    shutil.copytree(lifecycle["1.2.0"], root / "dist" / "1.2.0")
    write_config(root, releases={**RELEASES, "1.2.1": {"date": "2024-03-20"}})
    with pytest.raises(BuilderError, match="changes no record since 1.2.0.*--allow-unchanged"):
        _release(root, "1.2.1")
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["1.2.0"]
    again = _release(root, "1.2.1", allow_unchanged=True)
    assert _records(again) == _records(lifecycle["1.2.0"])


def test_snapshot_mode_drops_records_whose_pages_are_gone(tmp_path: Path) -> None:
    write_config(tmp_path, releases=RELEASES, mode="snapshot")
    _write_pages(tmp_path, "1.0.0")
    first = _records(_release(tmp_path, "1.0.0"))
    _write_pages(tmp_path, "1.1.0")  # article 7's page is gone
    release = _release(tmp_path, "1.1.0")
    gone = _by_title(first, "Story number 7 ")
    assert gone["id"] not in _records(release)
    changelog = _changelog(release)
    assert f"- `{gone['id']}`: not in this release's inputs (snapshot release)" in changelog
    assert "Each release is a **snapshot** of its inputs" in (release / "README.md").read_text()
