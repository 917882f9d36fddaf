"""publication.yaml: the registry entry a contribution proposes for a new publication."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..normalize.publications import DEFAULT_REGISTRY, Registry, alias_key
from ..yamlsafe import YamlError, check_limits, compose_text
from .findings import Finding, error
from .layout import ContribFile
from .safety import yaml_findings

KEYS = ("name", "aliases", "domains")
# A bare host name, lower case, as the registry stores domains (no scheme, no path).
HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@dataclass
class Proposal:
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


def _strings(node: yaml.Node, shown: str, key: str) -> tuple[list[str], list[Finding]]:
    if not isinstance(node, yaml.SequenceNode):
        return [], [
            error(
                shown,
                node.start_mark.line + 1,
                "yaml_invalid",
                f"'{key}' must be a list of strings",
            )
        ]
    values, found = [], []
    for item in node.value:
        if isinstance(item, yaml.ScalarNode) and str(item.value).strip():
            values.append(str(item.value).strip())
        else:
            found.append(
                error(
                    shown,
                    item.start_mark.line + 1,
                    "yaml_invalid",
                    f"'{key}' items must be non-empty strings",
                )
            )
    return values, found


def _read(text: str, shown: str) -> tuple[Proposal, list[Finding]]:
    """Walk the composed node tree: nothing is constructed from the file, only strings read."""
    root = compose_text(text, shown)  # limits on size, depth and alias expansion
    if not isinstance(root, yaml.MappingNode):
        return Proposal(), [
            error(shown, 1, "yaml_invalid", "expected a mapping with name, aliases, domains")
        ]
    proposal, found = Proposal(), []
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key not in KEYS:
            found.append(
                error(
                    shown,
                    line,
                    "yaml_invalid",
                    f"unknown key {key!r} (the keys are {', '.join(KEYS)})",
                )
            )
        elif key == "name":
            if isinstance(value_node, yaml.ScalarNode) and str(value_node.value).strip():
                proposal.name = str(value_node.value).strip()
            else:
                found.append(
                    error(shown, line, "yaml_invalid", "'name' must be a non-empty string")
                )
        else:
            values, problems = _strings(value_node, shown, key)
            setattr(proposal, key, values)
            found += problems
    if not proposal.name and not found:
        found.append(
            error(
                shown, 1, "yaml_invalid", "'name' is missing: give the publication's canonical name"
            )
        )
    for alias in [proposal.name, *proposal.aliases]:
        if proposal.name and not alias_key(alias):  # the registry could not look it up
            found.append(
                error(
                    shown,
                    _line_of(text, alias),
                    "yaml_invalid",
                    f"{alias!r} has no letter or digit: a name or alias must have some",
                )
            )
    for domain in proposal.domains:
        if not HOST.match(domain):
            found.append(
                error(
                    shown,
                    _line_of(text, domain),
                    "yaml_invalid",
                    f"domain {domain!r} must be a lower-case host name such as news.example.com",
                )
            )
    return proposal, found


def _line_of(text: str, value: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if value in line:
            return number
    return 1


def _conflicts(proposal: Proposal, registry: Registry, text: str, shown: str) -> list[Finding]:
    found = []
    for alias in [proposal.name, *proposal.aliases]:
        # The registry's own look-up key: spellings it treats as one name conflict too.
        owner = registry.by_alias.get(alias_key(alias))
        if owner and owner != proposal.name:
            found.append(
                error(
                    shown,
                    _line_of(text, alias),
                    "registry_conflict",
                    f"alias {alias!r} already names {owner!r} in the publication registry",
                )
            )
    for domain in proposal.domains:
        owner = registry.by_domain.get(domain)
        if owner and owner != proposal.name:
            found.append(
                error(
                    shown,
                    _line_of(text, domain),
                    "registry_conflict",
                    f"domain {domain!r} already belongs to {owner!r} in the publication registry",
                )
            )
    return found


def registry_file(proposal: Proposal, path: Path) -> Path:
    """Write the registry with the proposal added, as a maintainer would add it, to `path`."""
    entry = {"name": proposal.name, "aliases": proposal.aliases, "domains": proposal.domains}
    added = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    base = DEFAULT_REGISTRY.read_text(encoding="utf-8")
    path.write_text(f"{base.rstrip()}\n# proposed by the contribution\n{added}", encoding="utf-8")
    return path


def check_publication(
    file: ContribFile, registry: Registry
) -> tuple[list[Finding], Proposal | None]:
    """Findings of one publication.yaml, and its entry when the registry can take it (its
    pages are then parsed with the registry and the entry: `registry_file`)."""
    try:
        text = file.path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [error(file.shown, 1, "yaml_invalid", f"not UTF-8 text: {exc}")], None
    try:
        # Depth and aliases first, by libyaml's parser: the pure-Python tokenizer of the
        # safety check is quadratic in nesting depth (50,000 `[` took a minute).
        check_limits(text, file.shown)
    except YamlError as exc:
        return [error(file.shown, exc.line, "yaml_invalid", exc.problem)], None
    unsafe = yaml_findings(text, file.shown)
    if unsafe:
        return unsafe, None
    try:
        proposal, found = _read(text, file.shown)
    except YamlError as exc:
        return [error(file.shown, exc.line, "yaml_invalid", exc.problem)], None
    if found:
        return found, None
    conflicts = _conflicts(proposal, registry, text, file.shown)
    return conflicts, None if conflicts else proposal
