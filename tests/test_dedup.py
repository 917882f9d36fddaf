"""The dedup stage: which records merge, which survive, and what the survivors remember."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from builder.dedup import DedupParams, deduplicate
from builder.errors import BuilderError, ConfigError
from builder.pipeline.runner import process_page
from builder.read.files import InputFile, read_file
from builder.write.jsonl import dumps_line

from .conftest import SHARED_SEEDS

SEED = SHARED_SEEDS / "000_77fc086e0be398ab.txt"

# Two unrelated articles on the same kind of event, with one title template: the names
# and stock phrases repeat, the reporting does not.
FM_GAZA = (
    "Egypt's Foreign Minister Sameh Shoukry discussed on Sunday with a delegation of US senators "
    "the latest efforts to reach a ceasefire in Gaza and to speed up the entry of humanitarian aid "
    "through the Rafah crossing, the foreign ministry said in a statement. Shoukry warned that the "
    "continued escalation threatens the stability of the whole region and stressed the need to "
    "protect civilians. The senators praised Egypt's role in mediating between the two sides and "
    "said Washington would keep working with Cairo to secure the release of hostages and prisoners."
)
FM_NILE = (
    "Egypt's Foreign Minister Sameh Shoukry discussed on Tuesday with his Sudanese counterpart the "
    "negotiations over the Grand Ethiopian Renaissance Dam, stressing that any filling of the "
    "reservoir without a binding agreement would harm the water rights of downstream countries, "
    "the foreign ministry said in a statement. The two ministers agreed to coordinate their "
    "positions before the next round of talks in Addis Ababa and to form a joint technical "
    "committee on the operation of the dam during drought years."
)


def record(rid: str, text: str, **fields: Any) -> dict[str, Any]:
    """A record as the parse stage writes it, with only what a test varies set."""
    provenance = {
        "raw_path": fields.pop("raw_path", f"pages/{rid}.html"),
        "raw_sha256": "0" * 64,
        "source_format": "html",
        "container": "file",
        "warc_record_id": None,
        "fetched_at": fields.pop("fetched_at", None),
        "parser": "html",
        "parser_version": "test",
        "builder_version": "test",
    }
    base = {
        "id": rid,
        "title": "A title",
        "text": text,
        "publication": "Ahram Online",
        "publish_date": "2024-03-10",
        "source_url": None,
        "language": "en",
        "authors": [],
        "merged_copies": [],
        "provenance": provenance,
    }
    base.update(fields)
    return base


def words(seed: int, count: int = 120) -> str:
    """An article-like text of distinct words: unrelated to any other seed's text."""
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(10**6)}" for _ in range(count)) + "."


def edited(text: str, every: int) -> str:
    """The text with one word in `every` replaced: an edited syndicated copy."""
    tokens = text.split()
    return " ".join("edited" if i % every == 0 else t for i, t in enumerate(tokens))


def removed_ids(result: Any) -> list[tuple[str, str, str]]:
    return sorted((row["removed_id"], row["kept_id"], row["method"]) for row in result.report)


def _seed_record(path: Path) -> dict[str, Any]:
    [page] = list(read_file(InputFile(path, path.name), {}, 10_000_000))
    result = process_page(page)
    assert isinstance(result, dict), result
    return result


@pytest.mark.skipif(not SEED.exists(), reason="shared seeds are not beside the repo")
def test_rescrapes_of_the_seed_page_with_another_ticker_collapse(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    ticker = "    ".join(
        [
            "Egypt's FM discusses Gaza, Nile dam with US senators",
            "Federal Reserve maintains interest rates",
            "Three ancient tombs found",
        ]
    )
    rescrape = tmp_path / "000_rescrape.txt"
    rescrape.write_text("\n".join([ticker, *lines[1:]]), encoding="utf-8")
    first, second = _seed_record(SEED), _seed_record(rescrape)
    assert first["provenance"]["raw_sha256"] != second["provenance"]["raw_sha256"]
    result = deduplicate([first, second])
    assert len(result.survivors) == 1
    [row] = result.report
    assert row["method"] == "exact" and row["similarity"] == 1.0
    assert {row["raw_path"], result.survivors[0]["provenance"]["raw_path"]} == {
        SEED.name,
        rescrape.name,
    }


def test_unrelated_articles_with_one_title_template_stay_apart() -> None:
    title = "Egypt's FM discusses Gaza, Nile dam with US senators"
    a = record("aaaaaaaaaaaaaaaa", FM_GAZA, title=title)
    b = record("bbbbbbbbbbbbbbbb", FM_NILE, title=title, publication="Egypt Independent")
    result = deduplicate([a, b])
    assert [r["id"] for r in result.survivors] == [a["id"], b["id"]]
    assert result.report == []


@pytest.mark.parametrize(
    ("url_a", "url_b"),
    [
        ("https://www.site.example/news/1", "https://m.site.example/news/1"),
        ("https://site.example/news/1", "https://site.example/news/1/amp"),
        ("https://site.example/news/1", "https://site.example/amp/news/1"),
        ("https://site.example/news/1?id=3", "http://site.example/news/1?amp=1&id=3"),
        ("https://site.example/news/1", "https://site.example/news/1/"),
    ],
)
def test_one_article_at_two_urls_merges_by_url(url_a: str, url_b: str) -> None:
    # Different texts (a re-fetch after an edit): only the URL says they are one article.
    a = record("aaaaaaaaaaaaaaaa", words(1), source_url=url_a)
    b = record("bbbbbbbbbbbbbbbb", words(2), source_url=url_b)
    assert removed_ids(deduplicate([a, b])) == [("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa", "url")]


def test_different_paths_on_one_site_do_not_merge() -> None:
    a = record("aaaaaaaaaaaaaaaa", words(1), source_url="https://site.example/news/1")
    b = record("bbbbbbbbbbbbbbbb", words(2), source_url="https://site.example/news/2")
    assert deduplicate([a, b]).report == []


def test_exact_text_ignores_case_spacing_punctuation_and_unicode_form() -> None:
    text = "Égypte’s minister said: the “talks” will resume on Monday. " + words(3)
    variant = text.upper().replace(" ", "  ").replace(":", " -").replace("É", "E\u0301")
    a = record("aaaaaaaaaaaaaaaa", text)
    b = record("bbbbbbbbbbbbbbbb", variant, publication="Egypt Today")
    assert removed_ids(deduplicate([a, b])) == [("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa", "exact")]


def test_short_equal_texts_are_not_duplicates() -> None:
    a = record("aaaaaaaaaaaaaaaa", "Details to follow.")
    b = record("bbbbbbbbbbbbbbbb", "Details to follow.", publication="Egypt Today")
    assert deduplicate([a, b]).report == []


def test_near_duplicates_chain_into_one_cluster() -> None:
    # Paragraphs 0-9, 3-12 and 6-15: A~B and B~C share 7 of 10 paragraphs (coverage about
    # 0.7 on both sides), A and C only 4 (0.4 on both sides: each has most of its own).
    paragraphs = [words(100 + n, 30) for n in range(16)]
    texts = [" ".join(paragraphs[start : start + 10]) for start in (0, 3, 6)]
    docs = [
        record("aaaaaaaaaaaaaaaa", texts[0], publication="Reuters"),
        record("bbbbbbbbbbbbbbbb", texts[1], publication="Egypt Today"),
        record("cccccccccccccccc", texts[2], publication="Egypt Independent"),
    ]
    result = deduplicate(docs)
    assert [r["id"] for r in result.survivors] == ["aaaaaaaaaaaaaaaa"]
    rows = {row["removed_id"]: row for row in result.report}
    assert rows["bbbbbbbbbbbbbbbb"]["matched_id"] == "aaaaaaaaaaaaaaaa"
    assert rows["cccccccccccccccc"]["matched_id"] == "bbbbbbbbbbbbbbbb"  # merged through B
    assert all(row["method"] == "near" and row["coverage_removed"] >= 0.6 for row in rows.values())
    apart = deduplicate([docs[0], docs[2]])
    assert len(apart.survivors) == 2  # without B, A and C are not duplicates


def test_syndicated_copies_are_all_remembered_by_the_survivor() -> None:
    text = words(5, 200)
    outlets = [
        ("aaaaaaaaaaaaaaaa", "Reuters", "https://reuters.example/a", "2024-03-10"),
        ("bbbbbbbbbbbbbbbb", "Egypt Today", "https://egypttoday.example/b", "2024-03-11"),
        ("cccccccccccccccc", "Ahram Online", None, "2024-03-10"),
    ]
    docs = [
        record(rid, edited(text, 20 + n), publication=pub, source_url=url, publish_date=day)
        for n, (rid, pub, url, day) in enumerate(outlets)
    ]
    [survivor] = deduplicate(docs).survivors
    assert survivor["id"] == "aaaaaaaaaaaaaaaa"  # URL and date known, earliest date
    assert survivor["merged_copies"] == [
        {
            "id": "bbbbbbbbbbbbbbbb",
            "publication": "Egypt Today",
            "source_url": "https://egypttoday.example/b",
            "publish_date": "2024-03-11",
        },
        {
            "id": "cccccccccccccccc",
            "publication": "Ahram Online",
            "source_url": None,
            "publish_date": "2024-03-10",
        },
    ]


@pytest.mark.parametrize(
    ("fields_a", "fields_b", "winner"),
    [
        # more complete provenance wins, even over an earlier date and a smaller id
        (
            {"publish_date": "2024-01-02", "source_url": "https://x.example/1"},
            {"publish_date": "2024-01-01"},
            "a",
        ),
        # equal provenance: the earliest publish date
        ({"publish_date": "2024-01-02"}, {"publish_date": "2024-01-01"}, "b"),
        # all equal: the smallest id
        ({}, {}, "a"),
        # a fetch time is provenance too
        ({}, {"fetched_at": "2024-01-03T10:00:00Z"}, "b"),
    ],
)
def test_survivor_rule(fields_a: dict[str, Any], fields_b: dict[str, Any], winner: str) -> None:
    text = words(6)
    a = record("aaaaaaaaaaaaaaaa", text, **fields_a)
    b = record("bbbbbbbbbbbbbbbb", text, publication="Egypt Today", **fields_b)
    for order in ([a, b], [b, a]):
        [survivor] = deduplicate(order).survivors
        assert survivor["id"] == {"a": a["id"], "b": b["id"]}[winner]


def test_refetches_of_one_page_keep_the_latest_fetch() -> None:
    old = record(
        "aaaaaaaaaaaaaaaa", words(7), fetched_at="2024-03-10T08:00:00Z", raw_path="a/1.html"
    )
    new = record(
        "aaaaaaaaaaaaaaaa",
        words(7) + " Update: talks resumed.",
        fetched_at="2024-03-11T08:00:00Z",
        raw_path="a/2.html",
    )
    result = deduplicate([old, new])
    [survivor] = result.survivors
    assert survivor["provenance"]["raw_path"] == "a/2.html"
    assert survivor["merged_copies"] == []  # same id: the report, not the copies, tells it
    [row] = result.report
    assert (row["removed_id"], row["raw_path"], row["method"]) == (
        "aaaaaaaaaaaaaaaa",
        "a/1.html",
        "id",
    )


def test_the_report_explains_every_removed_record() -> None:
    from benchmarks.dedup.generate import generate

    records, _ = generate(400, seed=5)
    result = deduplicate(records)
    assert len(result.report) == len(records) - len(result.survivors) > 50
    kept = {r["id"] for r in result.survivors}
    paths = [r["provenance"]["raw_path"] for r in result.survivors] + [
        row["raw_path"] for row in result.report
    ]
    assert sorted(paths) == sorted(r["provenance"]["raw_path"] for r in records)
    for row in result.report:
        assert row["kept_id"] in kept and row["method"] in ("url", "exact", "id", "near")
        assert 0.0 <= row["similarity"] <= 1.0
        assert set(row) >= {
            "removed_id",
            "kept_id",
            "matched_id",
            "publication",
            "source_url",
            "publish_date",
            "raw_path",
        }
    assert result.stats["removed_records"] == sum(result.stats["removed_by_method"].values())


def test_quality_on_a_small_labelled_corpus() -> None:
    """The benchmark's measures on a corpus small enough for a test (not a speed test)."""
    from benchmarks.dedup.generate import generate
    from benchmarks.dedup.metrics import pair_scores, predicted_clusters

    records, truth = generate(1500, seed=7)
    result = deduplicate(records)
    scores = pair_scores(
        predicted_clusters(result.survivors, result.report),
        {t["raw_path"]: t["story"] for t in truth},
    )
    assert scores["precision"] >= 0.99
    assert scores["recall"] >= 0.9


def _dump(result: Any) -> bytes:
    return b"".join(map(dumps_line, [*result.survivors, *result.report, result.stats]))


def test_output_is_identical_across_input_orders_and_worker_counts() -> None:
    from benchmarks.dedup.generate import generate
    from builder.dedup.params import DedupSizes

    # Several batches, so two workers interleave, and a real pool even for a small input.
    sizes = DedupSizes(batch_docs=64, pool_min_bytes=0)
    records, _ = generate(500, seed=9)
    expected = _dump(deduplicate(records, sizes=sizes))
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert _dump(deduplicate(shuffled, sizes=sizes)) == expected
    assert _dump(deduplicate(list(reversed(records)), workers=2, sizes=sizes)) == expected
    assert _dump(deduplicate(records)) == expected  # the default sizes
    # Batch boundaries never matter either.
    assert _dump(deduplicate(records, sizes=DedupSizes(batch_docs=7))) == expected


# --- against a previous release ---------------------------------------------------------


def test_a_new_copy_of_a_released_article_is_merged_into_it() -> None:
    released = record("ffffffffffffffff", words(8), publication="Reuters")
    copy = record("0000000000000000", words(8), publication="Egypt Today")  # smaller id, same text
    result = deduplicate([copy], previous=[released])
    assert [r["id"] for r in result.survivors] == ["ffffffffffffffff"]
    assert result.survivors[0]["merged_copies"][0]["id"] == "0000000000000000"
    assert removed_ids(result) == [("0000000000000000", "ffffffffffffffff", "exact")]
    assert result.stats["added_records"] == 0


def test_an_update_keeps_the_id_and_the_merged_copies() -> None:
    earlier = {
        "id": "1111111111111111",
        "publication": "MENA",
        "source_url": None,
        "publish_date": None,
    }
    released = record(
        "ffffffffffffffff", words(9), merged_copies=[earlier], source_url="https://site.example/a"
    )
    update = record(
        "ffffffffffffffff",
        words(9) + " Update: the talks resumed on Monday.",
        source_url="https://site.example/a",
        fetched_at="2024-04-01T09:00:00Z",
    )
    result = deduplicate([update], previous=[released])
    [survivor] = result.survivors
    assert survivor["text"] == update["text"]
    assert survivor["merged_copies"] == [earlier]
    assert result.report == [] and result.stats["updated_records"] == 1


def test_released_records_are_never_merged_with_each_other() -> None:
    a = record("aaaaaaaaaaaaaaaa", words(10))
    b = record("bbbbbbbbbbbbbbbb", words(10), publication="Egypt Today")  # same text, both released
    bridge = record("cccccccccccccccc", words(10), publication="Daily News Egypt")
    result = deduplicate([bridge], previous=[a, b])
    assert [r["id"] for r in result.survivors] == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]
    assert removed_ids(result) == [("cccccccccccccccc", "aaaaaaaaaaaaaaaa", "exact")]
    assert result.stats["refused_links"] >= 1


def test_a_previous_release_with_a_repeated_id_is_an_error() -> None:
    a = record("aaaaaaaaaaaaaaaa", words(11))
    with pytest.raises(BuilderError, match="records 1 and 2 have the same id aaaaaaaaaaaaaaaa"):
        deduplicate([], previous=[a, dict(a)])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"text": None}, "input record 1 (id aaaaaaaaaaaaaaaa): 'text' is missing or not a string"),
        ({"id": 7}, "input record 1: 'id' is missing or not a non-empty string"),
        (
            {"merged_copies": [{"x": 1}]},
            "'merged_copies' is not a list of objects with a string 'id'",
        ),
        ({"publish_date": 20240101}, "'publish_date' is not a string or null"),
    ],
)
def test_a_bad_record_is_named_with_what_is_wrong(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(BuilderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        deduplicate([{**record("aaaaaaaaaaaaaaaa", "x"), **bad}])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold must be in (0, 1], got 0"),
        ({"threshold": 1.5}, "threshold must be in (0, 1], got 1.5"),
        ({"num_perm": 0}, "num_perm must be an integer in [1, 1024], got 0"),
        ({"shingle_size": 0}, "shingle_size must be an integer in [1, 16], got 0"),
        ({"bands": 10}, "give both bands and rows, or neither"),
        ({"bands": 100, "rows": 3}, "bands*rows must be between 1 and num_perm=256"),
        ({"lsh_recall": 1.0}, "lsh_recall must be in (0, 1), got 1.0"),
        ({"min_words": -1}, "min_words must be a non-negative integer, got -1"),
        ({"figure_overlap": 2.0}, "figure_overlap must be in [0, 1], got 2.0"),
        ({"num_perm": 4, "threshold": 0.1}, "num_perm=4 is too small to reach lsh_recall=0.98"),
    ],
)
def test_bad_parameters_say_what_is_wrong(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        DedupParams(**kwargs)
    assert message in str(error.value)


def test_parameters_record_the_banding_used() -> None:
    params = DedupParams()
    bands, rows = params.banding
    assert bands * rows <= params.num_perm and params.candidate_probability >= params.lsh_recall
    assert params.to_json()["bands"] == bands and DedupParams(bands=8, rows=4).banding == (8, 4)


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    """A dedup worker killed mid-run (out of memory, a signal) must stop the run with a
    message; a process pool that silently lost the task would wait forever."""
    import os

    from builder.dedup.executor import LocalExecutor

    with pytest.raises(BuilderError, match="a worker process died twice"):
        with LocalExecutor(2) as executor:
            list(executor.map(os._exit, [3, 3, 3]))
