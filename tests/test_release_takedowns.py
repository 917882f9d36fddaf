"""takedowns.yaml, the tombstones and `builder takedown`, without building pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import ConfigError
from builder.release.takedowns import (
    Takedown,
    TakedownFilter,
    Tombstone,
    append_takedown,
    load_takedowns,
    url_hash,
)

from .release_corpus import make_record, write_test_release


def test_url_spellings_of_one_article_share_a_hash() -> None:
    same = [
        "https://www.example.org/a/1",
        "HTTP://m.example.org:80/a/1/amp?utm_source=x",
        "https://example.org/a/1#comments",
    ]
    assert len({url_hash(u) for u in same}) == 1
    assert url_hash("https://example.org/a/2") != url_hash(same[0])
    assert url_hash(None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("takedowns:\n  - reason: r\n    date: 2024-01-01\n", "give the record's id or its url"),
        ("takedowns:\n  - id: XYZ\n    reason: r\n    date: 2024-01-01\n", "is not a record id"),
        ("takedowns:\n  - url: ftp://x/y\n    reason: r\n    date: 2024-01-01\n", "not an http"),
        ("takedowns:\n  - id: 0123456789abcdef\n    date: 2024-01-01\n", "reason is missing"),
        (
            "takedowns:\n  - id: 0123456789abcdef\n    reason: r\n    date: 2024-13-01\n",
            "YYYY-MM-DD",
        ),
        (
            "takedowns:\n  - id: 0123456789abcdef\n    reason: r\n"
            "    date: 2024-01-01\n    who: x\n",
            "unknown key(s) who",
        ),
        ("takedowns: {id: 1}\n", "must be a list"),
        ("- just a list\n", "must be a mapping"),
        ("takedowns: [\n", "not valid YAML"),
    ],
)
def test_bad_takedowns_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "takedowns.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="takedowns") as error:
        load_takedowns(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_append_keeps_comments_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "takedowns.yaml"
    assert load_takedowns(path) == []  # no file: nothing taken down
    first = Takedown("0123456789abcdef", None, 'Erasure request "A" #12', "2024-02-01")
    second = Takedown(None, "https://example.org/a/1?x=1", "Publisher: retracted", "2024-02-02")
    append_takedown(path, first)
    path.write_text(path.read_text() + "  # a maintainer's note\n")
    append_takedown(path, second)
    assert load_takedowns(path) == [first, second]
    assert "# a maintainer's note" in path.read_text() and path.read_text().startswith("# Records")


def _filter(*entries: Takedown, previous: list[Tombstone] | None = None) -> TakedownFilter:
    return TakedownFilter(previous or [], list(entries), "1.1.0")


def test_filter_drops_records_by_id_or_url_and_strips_copies() -> None:
    by_url = Takedown(None, "http://m.example.org/a/3", "publisher", "2024-02-01")
    by_id = Takedown(make_record(5)["id"], None, "erasure", "2024-02-02")
    takedowns = _filter(by_url, by_id)
    survivor = make_record(
        1,
        merged_copies=[
            {
                "id": make_record(3)["id"],
                "publication": "P",
                "source_url": "https://example.org/a/3",
                "publish_date": None,
            },
            {
                "id": "00000000000000aa",
                "publication": "Q",
                "source_url": None,
                "publish_date": None,
            },
        ],
    )
    assert takedowns.apply(make_record(3)) is None
    assert takedowns.apply(make_record(5)) is None
    kept = takedowns.apply(survivor)
    assert kept is not None and [c["id"] for c in kept["merged_copies"]] == ["00000000000000aa"]
    assert takedowns.apply(make_record(7)) == make_record(7)
    assert set(takedowns.removed) == {make_record(3)["id"], make_record(5)["id"]}
    rows = takedowns.rows()
    # each tombstone learned the other key of the record it matched
    assert {(r["id"], r["url_key_sha256"]) for r in rows} == {
        (make_record(3)["id"], url_hash("https://example.org/a/3")),
        (make_record(5)["id"], url_hash("https://example.org/a/5")),
    }
    assert {r["dropped_in"] for r in rows} == {"1.1.0"}


def test_tombstones_of_earlier_releases_stay_in_force() -> None:
    old = Tombstone(
        "0000000000000003", url_hash("https://example.org/a/3"), "publisher", "2024-01-01", "1.0.0"
    )
    again = Takedown(None, "https://example.org/a/3", "publisher", "2024-01-01")
    takedowns = _filter(again, previous=[old])  # still listed: no second tombstone
    assert takedowns.apply(make_record(3)) is None
    assert takedowns.rows() == [old.to_json()]
    gone = _filter(previous=[old])  # the entry left takedowns.yaml: the tombstone stays
    assert gone.apply(make_record(3, id="ffffffffffffffff")) is None  # same URL, other id
    assert [r["dropped_in"] for r in gone.rows()] == ["1.0.0", "1.0.0"]


def test_takedown_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = write_test_release(tmp_path, [make_record(i) for i in range(3)])
    dist = tmp_path / "dist"
    dist.mkdir()
    release.rename(dist / "1.0.0")
    base = ["--config", str(tmp_path / "dataset.yaml"), "--dist", str(dist)]
    record = make_record(1)
    assert main(["takedown", record["source_url"], "--reason", "asked", *base]) == 0
    out = capsys.readouterr().out
    assert f"has it: record {record['id']} 'Title 1'" in out
    assert "the next release after 1.0.0 (add its `releases:` entry" in out
    # the same article again, by id: already listed under its URL
    assert main(["takedown", "https://m.example.org/a/1", "--reason", "again", *base]) == 2
    assert "already listed (entry 1" in capsys.readouterr().err
    assert (
        main(["takedown", "0123456789abcdef", "--reason", "gone", "--date", "2024-05-06", *base])
        == 0
    )
    assert "no record of" in capsys.readouterr().out
    for bad, message in (
        (["not-an-id", "--reason", "r"], "neither a record id"),
        (["0123456789abcdee", "--reason", " "], "--reason is empty"),
        (["0123456789abcdee", "--reason", "r", "--date", "May 6"], "must be YYYY-MM-DD"),
    ):
        assert main(["takedown", *bad, *base]) == 2
        assert message in capsys.readouterr().err
    entries = load_takedowns(tmp_path / "takedowns.yaml")
    assert [(e.id, e.url, e.date) for e in entries][1] == ("0123456789abcdef", None, "2024-05-06")
    assert len(entries) == 2


def test_the_repository_takedowns_file_is_valid_and_appendable(repo: Path, tmp_path: Path) -> None:
    from builder.config import load_config

    config = load_config(repo / "dataset.yaml")
    assert config.takedowns == (repo / "takedowns.yaml").resolve()
    assert load_takedowns(config.takedowns) == []
    copy = tmp_path / "takedowns.yaml"
    copy.write_text(config.takedowns.read_text())
    entry = Takedown("0123456789abcdef", None, "test", "2024-01-01")
    append_takedown(copy, entry)
    assert load_takedowns(copy) == [entry]
