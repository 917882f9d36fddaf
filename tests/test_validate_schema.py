"""The record schema: the shipped one is a valid JSON Schema, a bad one is a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from builder.errors import ConfigError
from builder.validate.schema import RecordValidator, load_schema, schema_path


def test_the_shipped_schema_is_a_valid_json_schema() -> None:
    # load_schema() does not check the shipped schema at every start: this test does.
    Draft202012Validator.check_schema(json.loads(schema_path().read_text(encoding="utf-8")))


def test_a_schema_given_by_path_that_is_not_json_schema_names_file_and_place(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "record.schema.json"
    bad.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "strng"}}}))
    with pytest.raises(ConfigError, match=r"record\.schema\.json: not a valid JSON Schema at "
                       r"properties/id/type"):
        load_schema(bad)


def test_a_schema_given_by_path_that_is_not_an_object_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "schema.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="schema.json: the record schema must be a JSON object"):
        load_schema(bad)


def test_invalid_record_lists_every_problem_with_its_pointer() -> None:
    problems = RecordValidator(load_schema()).problems({"id": 5})
    pointers = {p.pointer for p in problems}
    assert "/id" in pointers  # wrong type, explained by jsonschema
    assert any("required" in p.message for p in problems if p.pointer == "")


def test_a_build_imports_no_json_schema_explainer_and_no_progress_bar_when_quiet(
    tmp_path: Path,
) -> None:
    # Both are tenths of a second of every build's startup and needed by none of the
    # pages of a normal build (an invalid record, a shown bar would load them).
    pages = tmp_path / "pages"
    pages.mkdir()
    code = (
        "import sys; from builder.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in ('jsonschema', 'tqdm') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "build", str(pages), "--out", str(tmp_path / "out"),
         "--quiet", "--workers", "1"],
        capture_output=True, text=True, check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
