"""URL normalization: one URL per article, whatever case, port, fragment or tracking."""

from __future__ import annotations

import pytest

from builder.normalize.urls import host_of, normalize_url

CANONICAL = "https://www.aggregator.example/en/ahram-online/5512034"


@pytest.mark.parametrize(
    "raw",
    [
        CANONICAL,
        "HTTPS://WWW.Aggregator.example:443/en/ahram-online/5512034?utm_source=newsletter&utm_medium=email#comments",
        "https://www.aggregator.example/en/ahram-online/5512034?fbclid=IwAR2sample",
        "https://www.aggregator.example./en/ahram-online/5512034?gclid=x&UTM_Campaign=y&mc_cid=z",
        "  https://www.aggregator.example/en/ahram-online/5512034#top  ",
    ],
)
def test_spellings_of_one_url_normalize_to_one(raw: str) -> None:
    assert normalize_url(raw) == CANONICAL


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://example.com", "http://example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),  # a real port stays
        (
            "https://example.com/a?id=3&utm_source=x&page=2",
            "https://example.com/a?id=3&page=2",
        ),  # content params stay
        (
            "https://example.com/Path/Case",
            "https://example.com/Path/Case",
        ),  # paths are case-sensitive
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
        (
            "https://www.youm7.com/story/محافظ",
            "https://www.youm7.com/story/%D9%85%D8%AD%D8%A7%D9%81%D8%B8",
        ),
        ("https://مثال.إختبار/خبر", "https://xn--mgbh0fb.xn--kgbechtv/%D8%AE%D8%A8%D8%B1"),
        ("https://example.com/?utm_source=x", "https://example.com/"),  # nothing left of the query
        ("https://example.com/a?", "https://example.com/a"),
        ("https://a..example.com/x", "https://a..example.com/x"),  # IDNA refuses it: host kept
        (f"https://{'a' * 64}.com/x", f"https://{'a' * 64}.com/x"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "ftp://example.com/a",
        "/relative/path",
        "mailto:desk@example.com",
        "javascript:void(0)",
        "https://",
        "http://[::1",
        "https://example.com:99999/",
    ],
)
def test_non_http_or_broken_urls_are_none(raw: str | None) -> None:
    assert normalize_url(raw) is None


def test_normalized_url_is_stable() -> None:
    once = normalize_url("HTTPS://Example.com:443/a b/محافظ?utm_x=1&q=2#f")
    assert once is not None and normalize_url(once) == once


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.youm7.com/story/1", "youm7.com"),
        ("https://m.youm7.com/story/1", "youm7.com"),
        ("https://amp.dailynewsegypt.com/x", "dailynewsegypt.com"),
        ("https://english.ahram.org.eg/News/1.aspx", "english.ahram.org.eg"),
        (None, None),
    ],
)
def test_host_of(url: str | None, host: str | None) -> None:
    assert host_of(url) == host
