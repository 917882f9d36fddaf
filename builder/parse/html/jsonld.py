"""JSON-LD in a page: lenient parsing, @graph flattening, @id references, the article node."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from .selectors import ARTICLE_TYPES, PAGE_TYPES

Node = dict[str, Any]
# What CMSs get wrong most often: a comma before a closing bracket, an HTML comment or
# CDATA wrapper around the JSON. Raw newlines inside strings are accepted by strict=False.
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def _loads(raw: str) -> Any:
    """The script's JSON, repaired for the usual CMS mistakes; None when beyond repair."""
    text = _WRAPPER.sub("", raw.strip())
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _types(node: Node) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    # "http://schema.org/NewsArticle" and "schema:NewsArticle" name the same type.
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if v}


def _top_nodes(data: Any) -> list[Node]:
    """The nodes a script declares at its top level or in its @graph, not nested ones.

    Nested nodes (an ItemList's articles, a page's `hasPart`) describe other things;
    only top-level nodes can describe the page itself.
    """
    items = data if isinstance(data, list) else [data]
    nodes: list[Node] = []
    for item in items:
        if isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                nodes.extend(n for n in graph if isinstance(n, dict))
            else:
                nodes.append(item)
    return nodes


@dataclass
class JsonLd:
    """The JSON-LD of one page: its top-level nodes and an index of nodes by @id."""

    nodes: list[Node] = field(default_factory=list)
    by_id: dict[str, Node] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """A `{"@id": ...}` reference replaced by the node it names (when the page has it)."""
        if isinstance(value, dict) and set(value) <= {"@id", "name", "@type"} and "@id" in value:
            target = self.by_id.get(str(value["@id"]))
            if target is not None:
                return {**target, **value}
        return value

    def article(self, canonical: str | None = None) -> Node | None:
        """The node describing this page's article: the one naming the canonical URL,
        else the first."""
        articles = [n for n in self.nodes if _types(n) & ARTICLE_TYPES]
        if canonical:
            for node in articles:
                if canonical in _node_urls(node):
                    return node
        return articles[0] if articles else None

    def page(self) -> Node | None:
        return next((n for n in self.nodes if _types(n) & PAGE_TYPES), None)

    def first_of(self, types: frozenset[str]) -> Node | None:
        return next((n for n in self.nodes if _types(n) & types), None)


def _node_urls(node: Node) -> set[str]:
    """Every URL a node names for itself; real sites put lists and nodes where one string
    is expected (`"mainEntityOfPage": [{"@id": ...}]`), so each value is flattened."""
    found: list[Any] = []
    for value in (node.get("url"), node.get("@id"), node.get("mainEntityOfPage")):
        for item in value if isinstance(value, list) else [value]:
            found.append(item.get("@id") or item.get("url") if isinstance(item, dict) else item)
    return {u.split("#", 1)[0] for u in found if isinstance(u, str)}


def read_jsonld(tree: HtmlElement) -> JsonLd:
    """All JSON-LD scripts of the page, parsed leniently; unparseable scripts are skipped."""
    found = JsonLd()
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads(script.text or "")
        if data is None:
            continue
        for node in _top_nodes(data):
            found.nodes.append(node)
            if isinstance(node.get("@id"), str):
                found.by_id[node["@id"]] = node
    return found


def node_url(node: Node | None) -> str | None:
    """The URL a node gives for itself: `url`, `mainEntityOfPage`, then `@id`."""
    if not node:
        return None
    for value in (node.get("url"), node.get("mainEntityOfPage"), node.get("@id")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value.split("#", 1)[0]
    return None


def text_value(value: Any) -> str | None:
    """A string property (or the first of a list, or a node's name) as clean text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None
