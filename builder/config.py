"""The dataset config file (dataset.yaml).

What the dataset is called, where its pages are, how it is cut.
Read leniently, then checked strictly: every problem in the file is reported at once,
each naming the key and what to write instead, before any release work starts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .yamlsafe import load_file as load_yaml_file

DEFAULT_CONFIG_NAME = "dataset.yaml"

# Where a release's records are, named by the Hub's data-file convention
# (`data/<split>-NNNNN-of-MMMMM.jsonl.gz`), so the split is recognised even without the
# card's `configs`; the card, Croissant and the release's writer and verifier all use them.
DATA_DIR = "data"
SPLIT = "train"
DATA_FILES_GLOB = f"{DATA_DIR}/{SPLIT}-*.jsonl.gz"
PARQUET_DIR = "parquet"
PARQUET_GLOB = f"{PARQUET_DIR}/{SPLIT}-*.parquet"


def _hub_licenses() -> frozenset[str]:
    """The Hub's documented license ids (hub_licenses.txt); anything else is "other"."""
    text = resources.files(__package__).joinpath("hub_licenses.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


HUB_LICENSES = _hub_licenses()

# Hub task categories a text corpus can declare (from the Hub's task list).
HUB_TASK_CATEGORIES = frozenset(
    {
        "text-generation",
        "text-classification",
        "token-classification",
        "summarization",
        "fill-mask",
        "translation",
        "question-answering",
        "feature-extraction",
        "sentence-similarity",
        "zero-shot-classification",
        "text-retrieval",
    }
)
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,95}$")
SIZE_PATTERN = re.compile(r"^\s*(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$")
SIZE_UNITS = {
    None: 1,
    "B": 1,
    "KB": 1000,
    "KiB": 1024,
    "MB": 1000**2,
    "MiB": 1024**2,
    "GB": 1000**3,
    "GiB": 1024**3,
}
# 1 KiB: smaller shards would only make many tiny files; the Hub suggests files of a few
# hundred MB at most, so the default (in dataset.yaml) is well under that.
MIN_SHARD_BYTES = 1024
KNOWN_KEYS = frozenset(
    {
        "name",
        "pretty_name",
        "description",
        "license",
        "license_name",
        "license_link",
        "homepage",
        "languages",
        "task_categories",
        "citation_authors",
        "limitations",
        "inputs",
        "manifest",
        "shard_size",
        "dedup",
        "parquet",
        "releases",
        "repo_id",
        "mode",
        "takedowns",
        "texts_license",
        "tags",
    }
)
# cumulative: a record stays until taken down, even when its page leaves the inputs;
# snapshot: a release holds the records of its own inputs only (docs/releases.md).
MODES = ("cumulative", "snapshot")
PUBLISHERS = "publishers"  # texts_license: the texts remain their publishers' work
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
REPO_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


@lru_cache(maxsize=1)
def hub_language_codes() -> frozenset[str]:
    """Language codes the Hub accepts, as shipped inside the `datasets` package."""
    text = resources.files("datasets.utils.resources").joinpath("languages.json").read_text("utf-8")
    return frozenset(json.loads(text))


@dataclass(frozen=True)
class ReleaseNote:
    date: str | None = None  # YYYY-MM-DD: the only date a release carries (never the wall clock)
    notes: str = ""


@dataclass(frozen=True)
class DatasetConfig:
    path: Path
    name: str
    pretty_name: str
    description: str
    license: str
    homepage: str
    languages: tuple[str, ...]
    task_categories: tuple[str, ...]
    inputs: tuple[Path, ...]
    manifest: Path | None
    shard_bytes: int
    dedup: dict[str, Any] = field(default_factory=dict)
    parquet: bool = False
    license_name: str | None = None
    license_link: str | None = None
    citation_authors: str = ""
    repo_id: str | None = None  # ORG/NAME on the Hub, for the card's loading code and publish
    limitations: str = ""
    releases: dict[str, ReleaseNote] = field(default_factory=dict)
    mode: str = "cumulative"
    takedowns: Path | None = None  # the takedowns file (it may not exist yet)
    texts_license: str = PUBLISHERS  # a Hub license id, or "publishers"
    tags: tuple[str, ...] = ("news",)

    @property
    def cumulative(self) -> bool:
        return self.mode == "cumulative"

    def note(self, version: str) -> ReleaseNote:
        return self.releases.get(version, ReleaseNote())


class _Checker:
    """Collects every problem of the file so the user fixes them in one go."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path, self.raw = path, raw
        self.problems: list[str] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.raw.get(key, default)
        if value in (None, ""):
            if required:
                self.fail(key, "is missing; give a non-empty text")
            return default
        if not isinstance(value, str):
            self.fail(key, f"must be a text, got {type(value).__name__}")
            return default
        return value.strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if isinstance(value, str):
            value = [value]
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v for v in value)
        ):
            self.fail(key, "must be a non-empty list of texts")
            return ()
        return tuple(value)


def parse_size(value: Any) -> int | None:
    """Bytes from an int or a text like '64MiB'; None when it is not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = SIZE_PATTERN.match(str(value))
    return int(match.group(1)) * SIZE_UNITS[match.group(2)] if match else None


def _check_identity(check: _Checker) -> dict[str, Any]:
    name = check.text("name")
    if name and not NAME_PATTERN.match(name):
        check.fail(
            "name",
            f"{name!r} must be lower-case letters, digits, '.', '_' or '-' (a Hub repo name)",
        )
    license_id = check.text("license")
    if license_id and license_id not in HUB_LICENSES:
        check.fail(
            "license",
            f"{license_id!r} is not a Hub license id; use one of the Hub's ids (listed in "
            "builder/hub_licenses.txt, e.g. cc-by-4.0, cc-by-sa-3.0, mit) "
            "or 'other' with license_name and license_link",
        )
    license_name = check.text("license_name", required=license_id == "other") or None
    license_link = check.text("license_link", required=license_id == "other") or None
    homepage = check.text("homepage")
    if homepage and not homepage.startswith(("https://", "http://")):
        check.fail("homepage", f"{homepage!r} must be an http(s) URL")
    languages = check.text_list("languages")
    for code in languages:
        if code not in hub_language_codes():
            check.fail(
                "languages",
                f"{code!r} is not a language code the Hub knows (ISO 639-1 like 'en', 'ar')",
            )
    tasks = check.text_list("task_categories")
    for task in tasks:
        if task not in HUB_TASK_CATEGORIES:
            check.fail(
                "task_categories",
                f"{task!r} is not one of {', '.join(sorted(HUB_TASK_CATEGORIES))}",
            )
    repo_id = check.text("repo_id", required=False) or None
    if repo_id and not REPO_ID_PATTERN.match(repo_id):
        check.fail("repo_id", f"{repo_id!r} must look like ORG/NAME")
    return {
        "name": name,
        "repo_id": repo_id,
        "pretty_name": check.text("pretty_name"),
        "description": check.text("description"),
        "license": license_id,
        "license_name": license_name,
        "license_link": license_link,
        "homepage": homepage,
        "languages": languages,
        "task_categories": tasks,
        "citation_authors": check.text("citation_authors", required=False),
        "limitations": check.text("limitations", required=False),
    }


def _check_inputs(check: _Checker, base: Path) -> dict[str, Any]:
    inputs = tuple(base / p for p in check.text_list("inputs"))
    for path in inputs:
        if not path.exists():
            check.fail("inputs", f"{path} does not exist")
    manifest_name = check.text("manifest", required=False)
    manifest = base / manifest_name if manifest_name else None
    if manifest is not None and not manifest.is_file():
        check.fail("manifest", f"{manifest} is not a file")
    shard_bytes = parse_size(check.raw.get("shard_size", "64MiB"))
    if shard_bytes is None or shard_bytes < MIN_SHARD_BYTES:
        check.fail(
            "shard_size",
            f"{check.raw.get('shard_size')!r} must be a size of at least "
            f"{MIN_SHARD_BYTES} bytes, like 64MiB or 500000",
        )
        shard_bytes = MIN_SHARD_BYTES
    dedup = check.raw.get("dedup") or {}
    if not isinstance(dedup, dict):
        check.fail("dedup", "must be a mapping of dedup parameters (see docs/releases.md)")
        dedup = {}
    parquet = check.raw.get("parquet", False)
    if not isinstance(parquet, bool):
        check.fail("parquet", "must be true or false")
    return {
        "inputs": inputs,
        "manifest": manifest,
        "shard_bytes": shard_bytes,
        "dedup": dict(dedup),
        "parquet": parquet is True,
    }


def _check_lifecycle(check: _Checker, base: Path) -> dict[str, Any]:
    """How releases follow each other, and what the card says about rights and topics."""
    mode = check.text("mode", required=False, default="cumulative")
    if mode not in MODES:
        check.fail("mode", f"{mode!r} must be one of {', '.join(MODES)} (see docs/releases.md)")
    takedowns = check.text("takedowns", required=False) or "takedowns.yaml"
    texts = check.text("texts_license", required=False, default=PUBLISHERS)
    if texts != PUBLISHERS and texts not in HUB_LICENSES - {"other"}:
        check.fail(
            "texts_license",
            f"{texts!r} must be {PUBLISHERS!r} (the texts remain their publishers' work) "
            "or the Hub license id the texts are under",
        )
    tags = check.text_list("tags") if "tags" in check.raw else ("news",)
    for tag in tags:
        if not TAG_PATTERN.match(tag):
            check.fail("tags", f"{tag!r} must be lower-case letters, digits and '-'")
    return {"mode": mode, "takedowns": base / takedowns, "texts_license": texts, "tags": tags}


def _check_releases(check: _Checker) -> dict[str, ReleaseNote]:
    raw = check.raw.get("releases") or {}
    if not isinstance(raw, dict):
        check.fail("releases", "must map versions ('1.0.0') to {date, notes}")
        return {}
    notes = {}
    for version, entry in raw.items():
        entry = entry or {}
        date = entry.get("date") if isinstance(entry, dict) else None
        if isinstance(date, dt.date):  # YAML reads an unquoted 2025-01-31 as a date
            date = date.isoformat()
        if not isinstance(entry, dict):
            check.fail(f"releases.{version}", "must be {date: YYYY-MM-DD, notes: text}")
            continue
        if date is not None and not _is_day(str(date)):
            check.fail(
                f"releases.{version}.date",
                f"{str(date)[:40]!r} is not a calendar date: give YYYY-MM-DD",
            )
            continue
        notes[str(version)] = ReleaseNote(
            str(date) if date else None, str(entry.get("notes") or "").strip()
        )
    return notes


def _is_day(text: str) -> bool:
    try:
        return len(text) == 10 and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def load_config(path: Path) -> DatasetConfig:
    """Read and validate dataset.yaml; relative paths in it are relative to its folder."""
    # Within limits on size, nesting and alias expansion; an error names the file and line.
    raw = load_yaml_file(path)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: must be a YAML mapping (name: ..., license: ..., inputs: [...])"
        )
    check = _Checker(path, raw)
    for key in sorted(set(raw) - KNOWN_KEYS, key=str):
        check.fail(str(key), f"unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    values = {
        **_check_identity(check),
        **_check_inputs(check, path.resolve().parent),
        **_check_lifecycle(check, path.resolve().parent),
        "releases": _check_releases(check),
    }
    if check.problems:
        raise ConfigError(
            f"{len(check.problems)} problem(s) in the dataset config:\n" + "\n".join(check.problems)
        )
    return DatasetConfig(path=path, **values)
