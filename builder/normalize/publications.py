"""Publication names: aliases and site domains map to one canonical name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import ConfigError
from .text import casefold_key, clean_inline
from .urls import host_of

DEFAULT_REGISTRY = Path(__file__).with_name("publications.yaml")


@dataclass(frozen=True)
class Registry:
    by_alias: dict[str, str]
    by_domain: dict[str, str]

    def canonical(self, name: str | None, url: str | None = None) -> str | None:
        """The registry's name for a page's publication name, else its domain's, else the name."""
        if name:
            cleaned = clean_inline(name)
            found = self.by_alias.get(casefold_key(cleaned))
            if found or cleaned:
                return found or cleaned
        host = host_of(url)
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            _, _, host = host.partition(".")  # news.example.com -> example.com
        return None


def _entries(path: Path) -> list[dict]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read publication registry: {exc}") from None
    if not isinstance(loaded, list):
        raise ConfigError(f"{path}: the registry must be a YAML list of entries")
    return loaded


@lru_cache(maxsize=8)
def load_registry(path: Path = DEFAULT_REGISTRY) -> Registry:
    """Read and check a registry file; a malformed entry is a fatal error naming it."""
    by_alias: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for number, entry in enumerate(_entries(path), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(f"{path}: entry {number} needs a 'name' string")
        name = entry["name"]
        for alias in [name, *entry.get("aliases", [])]:
            by_alias[casefold_key(str(alias))] = name
        for domain in entry.get("domains", []):
            by_domain[str(domain).lower()] = name
    return Registry(by_alias, by_domain)
