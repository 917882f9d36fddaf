"""The near-duplicate decision on coverage: copies merge, different stories that share
text (background paragraphs, a notice, a quoted statement) never do; the report and
`builder dedup --explain` give the measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from builder.cli import main
from builder.dedup import DedupParams, deduplicate
from builder.dedup.boilerplate import ParagraphCounts, keys_in_order, paragraph_keys, paragraphs
from builder.dedup.coverage import compare, passages
from builder.errors import ConfigError
from builder.write.jsonl import write_jsonl

from .test_dedup import record, words


def paras(seed: int, count: int, size: int = 40) -> list[str]:
    return [words(seed * 100 + n, size) for n in range(count)]


def text(*parts: list[str]) -> str:
    return "\n\n".join(p for part in parts for p in part)


def test_a_followup_reusing_background_is_never_merged_though_jaccard_is_high() -> None:
    earlier = paras(1, 4)
    # The follow-up: its own lead, three of the earlier story's four paragraphs, then two
    # paragraphs of its own: Jaccard about 0.43, over the old threshold of 0.4.
    followup = text(paras(2, 1), earlier[1:], paras(3, 2))
    a, b = record("aaaaaaaaaaaaaaaa", text(earlier)), record("bbbbbbbbbbbbbbbb", followup)
    comparison = compare(a["text"], b["text"], ParagraphCounts(), DedupParams())
    assert comparison.similarity > 0.4
    assert comparison.coverage == pytest.approx((0.75, 0.5), abs=0.03)
    assert not comparison.one_story
    assert deduplicate([a, b]).report == []


def test_a_teaser_and_an_edited_copy_are_merged_with_their_measures() -> None:
    story = paras(4, 8)
    teaser = record("bbbbbbbbbbbbbbbb", text(story[:3]) + " ...")  # Jaccard about 0.37
    copy = record(
        "cccccccccccccccc",
        text([p.replace(p.split()[5], "changed") for p in story]),
        publication="Egypt Today",
    )
    result = deduplicate([record("aaaaaaaaaaaaaaaa", text(story)), teaser, copy])
    rows = {row["removed_id"]: row for row in result.report}
    assert set(rows) == {"bbbbbbbbbbbbbbbb", "cccccccccccccccc"}
    assert rows["bbbbbbbbbbbbbbbb"]["coverage_removed"] == 1.0
    assert rows["bbbbbbbbbbbbbbbb"]["similarity"] < 0.4
    assert rows["bbbbbbbbbbbbbbbb"]["rule"] == "contained"
    assert rows["bbbbbbbbbbbbbbbb"]["shared_passages"] is None  # not what decided
    edited_row = rows["cccccccccccccccc"]
    assert 0.7 < edited_row["coverage_removed"] < 1.0
    assert edited_row["rule"] == "covered"
    assert edited_row["boilerplate_paragraphs"] == [0, 0]


def test_a_heavily_edited_copy_merges_on_its_scattered_passages() -> None:
    story = text(paras(5, 8))
    tokens = story.split(" ")
    # one word in eight changed: half the shingles lost on each side, but the
    # shared text is cut into many passages, in order: an edited copy, not a reused block
    copy = " ".join("changed" if i % 8 == 3 else t for i, t in enumerate(tokens))
    a, b = record("aaaaaaaaaaaaaaaa", story), record("bbbbbbbbbbbbbbbb", copy, publication="X")
    comparison = compare(a["text"], b["text"], ParagraphCounts(), DedupParams())
    assert 0.47 <= min(comparison.coverage) < 0.55
    (row,) = deduplicate([a, b]).report
    assert row["rule"] == "scattered"
    assert row["shared_passages"] >= 20 and row["in_order"] == 1.0


def test_stories_sharing_a_long_notice_stay_apart_unless_boilerplate_is_off() -> None:
    notice = paras(9, 3, 60)  # 180 words, at the end of 25 short stories of one outlet
    docs = [
        record(f"{n:016x}", text([words(1000 + n, 30)], notice)) for n in range(25)
    ]
    assert deduplicate(docs).report == []
    merged = deduplicate(docs, params=DedupParams(boilerplate_docs=0))
    assert len(merged.survivors) < 5  # without the counts the notice makes them one story


def test_a_wire_story_printed_whole_by_many_outlets_is_still_merged() -> None:
    """Every paragraph of it is frequent: such a text is compared whole."""
    story = paras(11, 5)
    docs = [
        record(f"{n:016x}", text(story[:4] if n % 2 else story), publication=f"Outlet {n}")
        for n in range(24)
    ]
    assert len(deduplicate(docs).survivors) == 1


def test_key_matches_have_no_coverage_fields() -> None:
    a = record("aaaaaaaaaaaaaaaa", words(1), source_url="https://example.com/a")
    b = record("bbbbbbbbbbbbbbbb", words(2), source_url="https://m.example.com/a")
    (row,) = deduplicate([a, b]).report
    assert row["method"] == "url"
    assert row["coverage_removed"] is None and row["shared_passages"] is None


def test_against_a_release_a_followup_is_new_and_a_teaser_is_merged() -> None:
    earlier = paras(12, 4)
    released = record("ffffffffffffffff", text(earlier), publication="Reuters")
    followup = record("1111111111111111", text(paras(13, 1), earlier[1:], paras(14, 2)))
    teaser = record("2222222222222222", text(earlier[:3]))
    result = deduplicate([followup, teaser], previous=[released])
    assert sorted(r["id"] for r in result.survivors) == ["1111111111111111", "ffffffffffffffff"]
    (row,) = result.report
    assert (row["removed_id"], row["kept_id"]) == ("2222222222222222", "ffffffffffffffff")


def test_passages_are_symmetric_and_count_blocks_in_order() -> None:
    a = text(paras(15, 6))
    swapped = text([paras(15, 6)[i] for i in (0, 1, 3, 2, 4, 5)])
    assert passages(a, swapped, 4) == passages(swapped, a, 4)
    runs, in_order = passages(a, swapped, 4)
    assert runs >= 3 and in_order < 1.0
    assert passages(a, words(99), 4) == (0, 1.0)


def test_paragraph_keys_split_on_blank_lines_and_match_the_in_order_keys() -> None:
    assert paragraphs("One.\n\nTwo.\n\n\n\nThree\nstill three") == [
        "One.", "Two.", "Three\nstill three"
    ]
    texts = ["Read more at our site!\n\nx\n\nx", "Read more at our site!", "read more"]
    keys, offsets = paragraph_keys(texts)
    assert offsets.tolist() == [0, 2, 3, 4]  # distinct keys per text
    assert keys[2] in keys[:2] and keys[3] not in keys[:3]
    in_order, doc = keys_in_order(texts)
    assert doc.tolist() == [0, 0, 0, 1, 2] and in_order[1] == in_order[2]
    assert sorted(set(in_order[:3].tolist())) == keys[:2].tolist()
    counts = ParagraphCounts()
    counts.add(keys)
    assert counts.count(keys[2:3]).tolist() == [2]
    assert counts.frequent(keys[2:3], 0).tolist() == [False]


def test_bad_decision_parameters_are_named() -> None:
    with pytest.raises(ConfigError, match="containment must be in \\[0, 1\\].*boilerplate_docs"):
        DedupParams(containment=1.5, boilerplate_docs=-1)
    with pytest.raises(ConfigError, match="min_passages must be a positive integer"):
        DedupParams(min_passages=0)


def test_explain_prints_the_comparison(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    earlier = paras(16, 4)
    records = [
        record("aaaaaaaaaaaaaaaa", text(earlier)),
        record("bbbbbbbbbbbbbbbb", text(paras(17, 1), earlier[1:], paras(18, 2))),
    ]
    write_jsonl(tmp_path / "in.jsonl", records)
    code = main(["dedup", str(tmp_path / "in.jsonl"), "--explain", *(r["id"] for r in records)])
    out = capsys.readouterr().out
    assert code == 0
    assert "coverage: 0.74" in out and "of B's in A" in out
    assert "different stories (shared text in 1 passage(s)" in out and "a reused block" in out
    assert out.rstrip().endswith("near duplicates: no")
    assert not any(tmp_path.glob("*/"))  # nothing written

    code = main(["dedup", str(tmp_path / "in.jsonl"), "--explain", "aaaaaaaaaaaaaaaa", "nope"])
    err = capsys.readouterr().err
    assert code != 0 and "no record with id nope" in err and "2 records read" in err
    code = main(["dedup", str(tmp_path / "in.jsonl")])
    assert code != 0 and "--out DIR is required" in capsys.readouterr().err


def test_the_index_keeps_one_byte_more_per_record_for_paragraphs() -> None:
    """Paragraph keys go to the spill file beside the shingle set; the index keeps their
    number (uint8) and the build-wide counts table has a fixed size."""
    counts = ParagraphCounts()
    assert counts.table.nbytes == 2 * 4 * (1 << 22)
    keys, _ = paragraph_keys(["\n\n".join(f"p{n}" for n in range(300))])
    assert len(keys) == 255
    assert np.all(np.diff(keys.astype(np.float64)) > 0)  # sorted, distinct
