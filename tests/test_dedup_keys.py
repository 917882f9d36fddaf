"""What makes two texts or URLs "the same" for dedup, and features that never depend on batching."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.dedup.features import comparison_bytes, figure_sets, index_features
from builder.dedup.keys import _digit_table, figure_bytes, figures, tokens, url_key
from builder.dedup.params import DedupParams, band_probability, derive_banding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Egypt's FM, US envoy discuss Gaza!", "egypt s fm us envoy discuss gaza"),
        ("  Spaces\tand\n\nlines  ", "spaces and lines"),
        ("Égypte — «Le Caire»", "egypte le caire"),  # accents and quotes
        ("E\u0301gypte", "egypte"),  # decomposed form equals composed
        ("ﬁnance №5", "finance no5"),  # compatibility forms
        ("مُحَمَّد أحمد ـــ", "محمد احمد"),  # harakat, hamza seat and tatweel
        ("snake_case and 4,650.20", "snake case and 4 650 20"),
        ("...", ""),
    ],
)
def test_comparison_tokens(text: str, expected: str) -> None:
    assert " ".join(tokens(text)) == expected
    assert comparison_bytes(text).split() == expected.encode().split()


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.site.example/a/b", "site.example/a/b"),
        ("http://m.site.example/a/b/", "site.example/a/b"),
        ("https://amp.site.example/a/b/amp", "site.example/a/b"),
        ("https://site.example/amp/a/b?amp=1", "site.example/a/b"),
        ("https://site.example:443/a?b=2&a=1&outputType=amp", "site.example/a?a=1&b=2"),
        ("https://news.site.example/", "news.site.example/"),
        ("https://m.example/x", "m.example/x"),  # a two-label host keeps its name
        (None, None),
    ],
)
def test_url_key(url: str | None, key: str | None) -> None:
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("EGP 4,650.20 per gram, 21-karat", ["4650.20", "21"]),
        ("up 1.5%, in 2024.", ["1.5", "2024"]),
        ("٣٥ درجة", ["35"]),
        ("versions 1.2.3 and 3..4", ["1.2.3", "3", "4"]),
        ("no figures here", []),
    ],
)
def test_figures(text: str, found: list[str]) -> None:
    assert figures(text) == found


def test_batch_figure_sets_find_the_figures_of_each_text() -> None:
    texts = ["EGP 4,650.20\n\nand 21 and 21", "", "٣٥ then 7", "none"]
    values, offsets = figure_sets(texts)
    assert np.diff(offsets).tolist() == [len(set(figures(t))) for t in texts]
    alone = [figure_sets([t])[0].tolist() for t in texts]
    assert [values[offsets[i] : offsets[i + 1]].tolist() for i in range(len(texts))] == alone


def test_features_of_a_text_never_depend_on_its_batch() -> None:
    texts = [
        f"Report {n}: the minister said {n * 7} projects would open in 2025." * 5 for n in range(6)
    ]
    params = DedupParams()
    together = index_features(texts, params)
    for i, text in enumerate(texts):
        alone = index_features([text], params)
        assert np.array_equal(alone.exact[0], together.exact[i])
        assert np.array_equal(alone.bands[0], together.bands[i])
        assert np.array_equal(alone.sketch[0], together.sketch[i])
        sets = together.set_values[together.set_offsets[i] : together.set_offsets[i + 1]]
        assert np.array_equal(alone.set_values, sets)


def test_text_keys_ignore_spacing_but_not_words() -> None:
    params = DedupParams()
    features = index_features(
        [
            "The  talks resumed\n\non Monday.",
            "the talks, resumed on monday",
            "The talks resumed on Sunday.",
        ],
        params,
    )
    assert np.array_equal(features.exact[0], features.exact[1])
    assert not np.array_equal(features.exact[0], features.exact[2])
    assert features.word_counts.tolist() == [5, 5, 5]


def test_a_text_shorter_than_a_shingle_is_one_shingle() -> None:
    params = DedupParams(shingle_size=4)
    features = index_features(["two words", "", "one two three four five"], params)
    assert np.diff(features.set_offsets).tolist() == [1, 0, 2]


@pytest.mark.parametrize("threshold", [0.3, 0.4, 0.5, 0.7, 0.9])
def test_derived_banding_finds_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = derive_banding(threshold, 256, 0.98)
    assert bands * rows <= 256
    assert band_probability(threshold, bands, rows) >= 0.98
    assert band_probability(threshold / 4, bands, rows) < 0.5  # and few far below it


def test_lsh_buckets_give_every_pair_once_in_bounded_tasks() -> None:
    """A key shared by thousands of documents (a boilerplate sentence holding the minimum)
    must not list millions of pairs at once, and no pair may be lost or repeated."""
    from builder.dedup import lsh
    rng = np.random.default_rng(3)
    docs = np.sort(rng.choice(50_000, 1_500, replace=False))
    keys = rng.integers(0, 30, size=len(docs)).astype(np.uint32)
    keys[:400] = 7  # one bucket of 400+ documents: about 80,000 pairs
    tasks = list(lsh.band_buckets(keys, docs, max_bucket=10_000, max_task_pairs=5_000))
    found = [lsh.bucket_pairs(task) for task in tasks]
    assert max(len(pairs) for pairs in found) <= 2 * 5_000
    expected = {
        (int(a), int(b))
        for key in np.unique(keys)
        for i, a in enumerate(docs[keys == key])
        for b in docs[keys == key][i + 1 :]
    }
    listed = [tuple(pair) for pairs in found for pair in pairs.tolist()]
    assert len(listed) == len(expected) and set(listed) == expected


_SCRIPTS = st.characters(
    codec="utf-8", categories=("L", "M", "N", "P", "Z", "S"), exclude_characters="\x00"
)
_HARD = ["مُحَمَّد أحمد ـــ", "Straße İstanbul ﬁ №5", "٣٥٫٢ و ۴۵", "E\u0301gypte\n\nx", "𝟙𝟚 😀 ٣ a"]


@settings(deadline=None)  # a correctness property; the machine may be shared (no timing)
@given(st.text(_SCRIPTS, max_size=60) | st.sampled_from(_HARD))
def test_fast_unicode_paths_give_the_defining_answers(text: str) -> None:
    """The per-code-point tables (codepoints.py) against the definitions: keys.tokens,
    and figure bytes as translate + encode('ascii', 'replace') give them."""
    assert comparison_bytes(text).split() == " ".join(tokens(text)).encode().split()
    defined = text.translate(_digit_table()).encode("ascii", "replace")
    assert figure_bytes(text) == defined.replace(b",", b"").replace(b"\n", b" ")
