"""YAML from files the user or a contributor wrote, loaded within limits.

`yaml.safe_load` constructs nothing dangerous, but it trusts the shape of the text: an
alias bomb (anchors that repeat each other) makes a value whose expansion grows
exponentially, a 50,000-deep `[[[` ends in a `RecursionError`, and a huge file holds
the loader for minutes. Here the event stream (an iterative parser, no recursion) is
walked first with limits on depth and on the size of the value with every alias
expanded; only then is the text composed or loaded. Every error names the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

# Configuration files are a few KiB; 1 MiB is hundreds of times the largest we expect.
MAX_YAML_BYTES = 1024 * 1024
# Nesting: dataset.yaml goes four levels deep; 64 leaves room and stays far below
# Python's recursion limit, which the composer and constructor use.
MAX_DEPTH = 64
# Nodes of the value with every alias expanded: a 1 MiB file without aliases has at most
# about half a million, so a value bigger than that can only come from alias expansion.
MAX_EXPANDED_NODES = 500_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ConfigError):
    """A YAML file that is unreadable, invalid or over a limit; `line` is 1-based."""

    def __init__(self, shown: str, line: int, problem: str) -> None:
        super().__init__(f"{shown}:{line}: {problem}")
        self.shown, self.line, self.problem = shown, line, problem


class _LenientTimestampLoader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2025-02-30) stay text for the caller to report."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # datetime refuses the day; the config check names the key
        return loader.construct_scalar(node)


_LenientTimestampLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def check_limits(text: str, shown: str) -> None:
    """Raise YamlError when the text nests too deep or its aliases expand too far."""
    # Each open collection: [nodes so far, anchor]; `sizes` is each anchor's expanded size.
    stack: list[list[Any]] = [[0, None]]
    sizes: dict[str, int] = {}
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                stack[-1][0] += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                stack[-1][0] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_DEPTH:
                    raise YamlError(shown, _line(event), f"nested over {MAX_DEPTH} levels deep")
                stack.append([1, event.anchor])
            elif isinstance(event, yaml.CollectionEndEvent):
                count, anchor = stack.pop()
                if anchor:
                    sizes[anchor] = count
                stack[-1][0] += count
            else:
                continue
            if stack[-1][0] > MAX_EXPANDED_NODES:
                raise YamlError(
                    shown,
                    _line(event),
                    f"aliases expand to over {MAX_EXPANDED_NODES} values (an alias bomb?)",
                )
    except yaml.MarkedYAMLError as exc:
        raise _invalid(exc, shown) from None
    except yaml.YAMLError as exc:
        raise YamlError(shown, 1, f"not valid YAML: {exc}") from None


def _invalid(exc: yaml.MarkedYAMLError, shown: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    return YamlError(shown, mark.line + 1 if mark else 1, f"not valid YAML: {exc.problem}")


def read_text(path: Path, max_bytes: int = MAX_YAML_BYTES, shown: str | None = None) -> str:
    """The file's UTF-8 text, read no further than the limit (a device never ends)."""
    shown = shown or str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlError(shown, 1, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise YamlError(shown, 1, f"over the {max_bytes} byte limit of a YAML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(shown, line, f"not UTF-8 text: {exc.reason}") from None


def compose_text(text: str, shown: str) -> yaml.Node | None:
    """The node tree of the text (nothing constructed), within the limits."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlError(shown, 1, f"over the {MAX_YAML_BYTES} byte limit of a YAML file")
    check_limits(text, shown)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _invalid(exc, shown) from None


def load_text(text: str, shown: str) -> Any:
    """The text's value as `yaml.safe_load` builds it, within the limits.

    A timestamp that is no real date (2025-02-30) is kept as its text, so the caller can
    report it against its key instead of a `ValueError` escaping from the loader.
    """
    if len(text) > MAX_YAML_BYTES:
        raise YamlError(shown, 1, f"over the {MAX_YAML_BYTES} byte limit of a YAML file")
    check_limits(text, shown)
    try:
        return yaml.load(text, Loader=_LenientTimestampLoader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        raise _invalid(exc, shown) from None
    except yaml.YAMLError as exc:
        raise YamlError(shown, 1, f"not valid YAML: {exc}") from None


def load_file(path: Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """The value of a YAML file, read and loaded within the limits; errors name the file."""
    return load_text(read_text(path, max_bytes), str(path))

