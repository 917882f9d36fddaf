"""Publication names: the editable registry maps aliases and domains to one canonical name."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.normalize.publications import DEFAULT_REGISTRY, load_registry


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Ahram Online", "Ahram Online"),
        ("AHRAM  ONLINE", "Ahram Online"),
        ("AhramOnline", "Ahram Online"),
        ("Al Ahram", "Al-Ahram"),
        ("al-ahram", "Al-Ahram"),
        ("الأهرام", "Al-Ahram"),
        ("الاهرام", "Al-Ahram"),  # hamza left off, as many sites write it
        ("DNE", "Daily News Egypt"),
        ("EgyptToday", "Egypt Today"),
        ("اليوم السابع", "Youm7"),
        ("المصري اليوم", "Al-Masry Al-Youm"),
        ("Al Masry Al Youm", "Al-Masry Al-Youm"),
        ("Shorouk News", "Al-Shorouk"),
        (
            "  The Cairo Commuter\u00a0Weekly ",
            "The Cairo Commuter Weekly",
        ),  # unknown: kept, cleaned
        ("صوت الصعيد", "صوت الصعيد"),
    ],
)
def test_names_canonicalize(name: str, canonical: str) -> None:
    assert load_registry().canonical(name) == canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.egypttoday.com/Article/4/129870/x", "Egypt Today"),
        ("https://m.youm7.com/story/2023/9/30/6321457", "Youm7"),
        ("https://english.ahram.org.eg/NewsContent/1.aspx", "Ahram Online"),
        ("https://gate.ahram.org.eg/News/1.aspx", "Al-Ahram"),
        ("https://sport.ahram.org.eg/News/1.aspx", "Al-Ahram"),  # subdomain of a listed domain
        # A site in no registry: its registrable domain (Public Suffix List) is the name.
        ("https://www.aggregator.example/en/1", "aggregator.example"),
        ("https://news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://someone.blogspot.com/2020/01/x.html", "someone.blogspot.com"),
        ("http://192.0.2.7/story", "192.0.2.7"),
        ("https://xn--mgbh0fb.example/a", "مثال.example"),
        (None, None),
    ],
)
def test_domains_give_the_name_when_the_page_has_none(
    url: str | None, canonical: str | None
) -> None:
    registry = load_registry()
    assert registry.canonical(None, url) == canonical
    assert registry.canonical("   ", url) == canonical


def test_page_name_wins_over_the_domain() -> None:
    # A syndicated wire story: the page says who published it, the URL is the aggregator's.
    assert (
        load_registry().canonical("MENA", "https://www.dailynewsegypt.com/x")
        == "Middle East News Agency"
    )


def _registry(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "publications.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_edited_registry_is_used(tmp_path: Path) -> None:
    path = _registry(
        tmp_path, "- name: Nile Valley Courier\n  aliases: [NVC]\n  domains: [nvcourier.example]\n"
    )
    registry = load_registry(path)
    assert registry.canonical("nvc") == "Nile Valley Courier"
    assert registry.canonical(None, "https://www.nvcourier.example/a") == "Nile Valley Courier"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: not a list\n", "must be a YAML list"),
        ("- aliases: [x]\n", "entry 1 needs a 'name' string"),
        ("- name: A\n- name: ''\n", "entry 2 needs a 'name' string"),
        ("- name: A\n  aliases: B\n", "entry 1: 'aliases' must be a list of strings"),
        (
            "- name: A\n  aliases: [X]\n- name: B\n  aliases: [x]\n",
            "entry 2: alias 'x' already belongs to 'A'",
        ),
        (
            "- name: A\n  domains: [a.example]\n- name: B\n  domains: [A.example]\n",
            "entry 2: domain 'a.example' already belongs to 'A'",
        ),
        ("- name: A\n  aliases: [[unclosed\n", "cannot read publication registry"),
    ],
)
def test_bad_registry_is_a_config_error_naming_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_registry(_registry(tmp_path, text))
    assert str(caught.value).startswith(str(tmp_path / "publications.yaml"))
    assert message in str(caught.value)


def test_shipped_registry_loads() -> None:
    registry = load_registry(DEFAULT_REGISTRY)
    assert len(set(registry.by_alias.values())) >= 10


@pytest.mark.parametrize(
    ("name", "url", "found"),
    [
        ("MENA", "https://www.dailynewsegypt.com/x", ("Middle East News Agency", "registry")),
        ("The Daily Blog", "https://www.dailynewsegypt.com/x", ("The Daily Blog", "page")),
        (None, "https://m.youm7.com/story/1", ("Youm7", "registry_domain")),
        (None, "https://www.zeit.de/2019/43/x", ("zeit.de", "url_domain")),
        ("  ", None, None),
    ],
)
def test_find_says_where_the_publication_came_from(
    name: str | None, url: str | None, found: tuple[str, str] | None
) -> None:
    assert load_registry().find(name, url) == found
