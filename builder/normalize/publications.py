"""Publication names: aliases and site domains map to one canonical name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import ConfigError
from .text import casefold_key, clean_inline
from .urls import host_of, registrable_domain

DEFAULT_REGISTRY = Path(__file__).with_name("publications.yaml")

# Spellings that differ only in these ways name one publication: hamza forms of alif,
# taa marbuta/haa and alif maqsura/yaa (Arabic sites and aggregators write both),
# tatweel and harakat, and punctuation such as "Al-Ahram" vs "Al Ahram".
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}
)
_PUNCTUATION = re.compile(r"[^\w\s]|_")


# Cached: a crawl names a few hundred publications over and over, and the key folds
# character by character in Python.
@lru_cache(maxsize=4096)
def alias_key(name: str) -> str:
    """A name's look-up key: case, spacing, punctuation and Arabic letter variants folded."""
    folded = casefold_key(name).translate(_ARABIC_FOLD)
    folded = "".join(
        c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn"
    )
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


@dataclass(frozen=True)
class Registry:
    by_alias: dict[str, str]
    by_domain: dict[str, str]

    def find(self, name: str | None, url: str | None = None) -> tuple[str, str] | None:
        """A page's publication and where it came from (provenance.publication_source).

        In order: the registry's name for the page's own name, else that name as the page
        writes it; the registry's name for the URL's host or a parent domain; the URL's
        registrable domain. None only for a page with neither a name nor a URL: an
        article from an unknown site is never lost for a missing display name.
        """
        if name:
            cleaned = clean_inline(name)
            found = self.by_alias.get(alias_key(cleaned))
            if found:
                return found, "registry"
            if cleaned:
                return cleaned, "page"
        host = host_of(url)
        while host:
            if host in self.by_domain:
                return self.by_domain[host], "registry_domain"
            _, _, host = host.partition(".")  # news.example.com -> example.com
        domain = registrable_domain(url)
        return (domain, "url_domain") if domain else None

    def canonical(self, name: str | None, url: str | None = None) -> str | None:
        """The publication name alone (see `find`)."""
        found = self.find(name, url)
        return found[0] if found else None


def _entries(path: Path) -> list[dict]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read publication registry: {exc}") from None
    if not isinstance(loaded, list):
        raise ConfigError(f"{path}: the registry must be a YAML list of entries")
    return loaded


def _claim(table: dict[str, str], key: str, name: str, what: str, where: str) -> None:
    """Add key -> name; a key another publication already has is an error, not an override."""
    if not key:
        raise ConfigError(f"{where}: an empty {what}")
    if table.get(key, name) != name:
        raise ConfigError(f"{where}: {what} {key!r} already belongs to {table[key]!r}")
    table[key] = name


def _list(entry: dict, field: str, where: str) -> list[str]:
    values = entry.get(field) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: '{field}' must be a list of strings")
    return values


@lru_cache(maxsize=8)
def load_registry(path: Path = DEFAULT_REGISTRY) -> Registry:
    """Read and check a registry file; a malformed entry is a fatal error naming it."""
    by_alias: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for number, entry in enumerate(_entries(path), start=1):
        where = f"{path}: entry {number}"
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not entry["name"].strip()
        ):
            raise ConfigError(f"{where} needs a 'name' string")
        name = entry["name"]
        for alias in [name, *_list(entry, "aliases", where)]:
            _claim(by_alias, alias_key(alias), name, "alias", where)
        for domain in _list(entry, "domains", where):
            _claim(by_domain, domain.strip().lower(), name, "domain", where)
    return Registry(by_alias, by_domain)
