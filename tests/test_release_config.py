"""dataset.yaml is checked on load with every problem named; versions follow the bump rules."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.config import load_config, parse_size
from builder.errors import ConfigError
from builder.release.versions import (
    Version,
    check_new_version,
    check_schema_bump,
    parse_version,
    previous_release,
    schema_change,
)
from builder.schema_features import ListOf, Scalar, Struct, features_from_schema, record_fields
from builder.validate.schema import load_schema

from .release_corpus import config_dict, write_config

REPO = Path(__file__).resolve().parents[1]


def test_the_repository_config_is_valid() -> None:
    config = load_config(REPO / "dataset.yaml")
    assert config.name and config.license and config.languages
    assert all(path.is_absolute() for path in config.inputs)


def test_a_valid_config_loads_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "manifest.csv").write_text("path,url,fetched_at\n")
    config = load_config(write_config(tmp_path, shard_size="2KiB"))
    assert config.inputs == (tmp_path.resolve() / "pages",)
    assert config.shard_bytes == 2048
    assert config.note("1.0.0").date == "2024-01-15" and config.note("2.0.0").date is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"license": "CC-BY"}, "license: 'CC-BY' is not a Hub license id"),
        ({"license": "other"}, "license_name: is missing"),
        ({"languages": ["english"]}, "languages: 'english' is not a language code"),
        ({"languages": []}, "languages: must be a non-empty list"),
        ({"task_categories": ["news"]}, "task_categories: 'news' is not one of"),
        ({"name": "My Dataset"}, "name: 'My Dataset' must be lower-case"),
        ({"homepage": "example.org"}, "homepage: 'example.org' must be an http(s) URL"),
        ({"inputs": ["missing-folder"]}, "missing-folder does not exist"),
        ({"shard_size": "lots"}, "shard_size: 'lots' must be a size"),
        ({"shard_size": 10}, "shard_size: 10 must be a size of at least 1024"),
        ({"dedup": ["exact"]}, "dedup: must be a mapping"),
        (
            {"releases": {"1.0.0": {"date": "2024-02-30"}}},
            "releases.1.0.0.date: '2024-02-30' is not a calendar date: give YYYY-MM-DD",
        ),
        ({"repo_id": "no-slash"}, "repo_id: 'no-slash' must look like ORG/NAME"),
        ({"licence": "mit"}, "licence: unknown key"),
    ],
)
def test_config_problems_are_named(tmp_path: Path, overrides: dict[str, Any], message: str) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "manifest.csv").write_text("path,url,fetched_at\n")
    with pytest.raises(ConfigError) as error:
        load_config(write_config(tmp_path, **overrides))
    assert message in str(error.value)
    assert str(tmp_path / "dataset.yaml") in str(error.value)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    raw = config_dict(license="x", languages=["xx-invalid"], pretty_name="")
    (tmp_path / "dataset.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "dataset.yaml")
    text = str(error.value)
    assert text.startswith("5 problem(s)")
    for key in ("license:", "languages:", "pretty_name:", "inputs:", "manifest:"):
        assert key in text


@pytest.mark.parametrize("text", ["", "- a list", "name: [unclosed"])
def test_unreadable_config_is_a_clear_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "dataset.yaml").write_text(text)
    with pytest.raises(ConfigError, match="dataset.yaml"):
        load_config(tmp_path / "dataset.yaml")


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (4096, 4096),
        ("64MiB", 64 * 1024**2),
        ("500 KB", 500_000),
        ("1GB", 10**9),
        ("ten", None),
        (True, None),
    ],
)
def test_parse_size(value: Any, size: int | None) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc1", "01.0.0", "1.0.0.0", ""])
def test_versions_must_be_plain_semver(text: str) -> None:
    with pytest.raises(ConfigError, match="semantic version"):
        parse_version(text)


def test_versions_compare_numerically_and_must_grow(tmp_path: Path) -> None:
    assert parse_version("1.10.0") > parse_version("1.9.3")
    for name in ("1.0.0", "1.9.0", "1.10.0", ".staging-2.0.0-x", "notes"):
        (tmp_path / name).mkdir()
    assert previous_release(tmp_path, parse_version("2.0.0")) == Version(1, 10, 0)
    assert previous_release(tmp_path, parse_version("1.9.5")) == Version(1, 9, 0)
    with pytest.raises(ConfigError, match="already exists: releases are immutable"):
        check_new_version(tmp_path, parse_version("1.9.0"))
    with pytest.raises(ConfigError, match="not greater than the last release 1.10.0"):
        check_new_version(tmp_path, parse_version("1.9.5"))
    check_new_version(tmp_path, parse_version("1.10.1"))


def _schema_with(change: str) -> dict[str, Any]:
    schema = copy.deepcopy(load_schema())
    props = schema["properties"]
    if change == "remove":
        del props["authors"]
    elif change == "retype":
        props["publish_date"]["format"] = "date-time"
    elif change == "retype-nested":
        props["provenance"]["properties"]["container"]["type"] = ["string", "null"]
    elif change == "add":
        props["added_list"] = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "url": {"type": ["string", "null"]}},
            },
        }
    return schema


@pytest.mark.parametrize(
    ("change", "new", "error"),
    [
        ("remove", "1.1.0", "removed authors"),
        ("remove", "2.0.0", None),
        ("retype", "1.5.0", "retyped publish_date"),
        ("retype-nested", "1.0.1", "retyped provenance.container"),
        ("retype", "2.0.0", None),
        ("add", "1.0.1", "gained field(s) added_list"),
        ("add", "1.1.0", None),
        ("none", "1.0.1", None),
    ],
)
def test_schema_changes_need_the_right_bump(change: str, new: str, error: str | None) -> None:
    diff = schema_change(load_schema(), _schema_with(change))
    if error is None:
        check_schema_bump(Version(1, 0, 0), parse_version(new), diff)
    else:
        with pytest.raises(ConfigError, match=re.escape(error)):
            check_schema_bump(Version(1, 0, 0), parse_version(new), diff)


def test_features_are_derived_generically_from_the_schema() -> None:
    import datasets

    schema = _schema_with("add")
    fields = {f.name: f for f in record_fields(schema)}
    assert fields["added_list"].type == ListOf(
        Struct(
            record_fields({"properties": schema["properties"]["added_list"]["items"]["properties"]})
        )
    )
    assert fields["publish_date"].type == Scalar("date") and fields["publish_date"].nullable
    features = features_from_schema(schema)
    assert features["added_list"] == datasets.List(
        {"id": datasets.Value("string"), "url": datasets.Value("string")}
    )
    assert features["provenance"]["fetched_at"] == datasets.Value("timestamp[s, tz=UTC]")
    assert list(features) == list(schema["properties"])


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"type": ["string", "integer"]}, "exactly one non-null 'type'"),
        ({"type": "array"}, "an array needs an 'items' object"),
        ({"type": "object"}, "an object needs 'properties'"),
        ({"oneOf": [{"type": "string"}]}, "exactly one non-null 'type'"),
    ],
)
def test_schema_constructs_without_a_column_type_are_named(
    node: dict[str, Any], message: str
) -> None:
    schema = {"type": "object", "properties": {"odd": node}}
    with pytest.raises(ConfigError, match=message) as error:
        record_fields(schema)
    assert "/properties/odd" in str(error.value)
