"""dataset.yaml and publication.yaml written to hurt: a one-line error naming the file, fast.

Each hostile file is loaded in a subprocess held to 500 MB and 10 s of CPU (tests/hostile.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import load_config
from builder.contrib.layout import ContribFile
from builder.contrib.publication import check_publication
from builder.errors import ConfigError
from builder.normalize.publications import load_registry
from builder.yamlsafe import MAX_DEPTH, YamlError, load_text

from .conftest import REPO
from .hostile import builder, python
from .release_corpus import write_config

BOMB = "".join(
    f"    {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
    for i in range(9)
)


def _config(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "pages").mkdir(exist_ok=True)
    (tmp_path / "manifest.csv").write_text("path,url,fetched_at\n")
    path = write_config(tmp_path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(extra)
    return path


def _load_config_limited(path: Path) -> str:
    """load_config(path) in a limited child; its one-line error (or 'ok')."""
    code = (
        "import sys\n"
        "from builder.errors import ConfigError\n"
        "from builder.config import load_config\n"
        f"try:\n    load_config(__import__('pathlib').Path({str(path)!r}))\n"
        "except ConfigError as e:\n    print('error:', e); sys.exit(2)\n"
        "print('ok')\n"
    )
    run = python(code)
    assert not run.killed and "Traceback" not in run.stderr, run.stderr[-2000:]
    return run.stdout.strip()


def test_an_alias_bomb_in_release_notes_is_an_error_naming_the_file(tmp_path: Path) -> None:
    # a: one list; each next anchor repeats the previous nine times: 9**9 strings expanded
    path = _config(tmp_path, "bomb:\n    a: &a [x, x, x, x, x, x, x, x, x]\n" + BOMB)
    message = _load_config_limited(path)
    assert message.startswith(f"error: {path}:")
    assert "alias" in message


def test_an_alias_bomb_inside_releases_notes_stops_before_any_check(tmp_path: Path) -> None:
    text = (
        "releases:\n  '1.0.0':\n    date: '2024-01-15'\n    notes:\n"
        "      a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join("  " + line + "\n" for line in BOMB.splitlines())
    )
    path = tmp_path / "dataset.yaml"
    path.write_text(text)
    assert "alias" in _load_config_limited(path)


def test_a_100_mb_config_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "dataset.yaml"
    with path.open("wb") as handle:  # sparse: 100 MB that costs no disk
        handle.truncate(100 * 1024 * 1024)
    message = _load_config_limited(path)
    assert message.startswith(f"error: {path}:1:") and "byte limit" in message


def test_50k_deep_nesting_is_an_error_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "dataset.yaml"
    path.write_text("name: " + "[" * 50_000 + "]" * 50_000 + "\n")
    message = _load_config_limited(path)
    assert message.startswith(f"error: {path}:1:") and "nest" in message


def test_dev_zero_as_config_is_refused(tmp_path: Path) -> None:
    message = _load_config_limited(Path("/dev/zero"))
    assert message.startswith("error: /dev/zero:1:")


def test_an_impossible_unquoted_release_date_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = _config(tmp_path)
    text = path.read_text().replace("date: '2024-01-15'", "date: 2025-02-30")
    assert "2025-02-30" in text
    path.write_text(text)
    message = r"releases\.1\.0\.0\.date: '2025-02-30' is not a calendar date: give YYYY-MM-DD"
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_a_valid_unquoted_release_date_still_loads(tmp_path: Path) -> None:
    path = _config(tmp_path)
    path.write_text(path.read_text().replace("date: '2024-01-15'", "date: 2024-01-15"))
    assert load_config(path).note("1.0.0").date == "2024-01-15"


@pytest.mark.parametrize("license_id", ["cc-by-sa-3.0", "cc-by-nc-sa-3.0", "afl-3.0", "odc-by"])
def test_every_hub_license_id_is_accepted(tmp_path: Path, license_id: str) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "manifest.csv").write_text("path,url,fetched_at\n")
    assert load_config(write_config(tmp_path, license=license_id)).license == license_id


# --- publication.yaml in a contribution ------------------------------------------------------


def _publication(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "publication.yaml"
    path.write_text(text)
    shown = "contrib/x/publication.yaml"
    file = ContribFile(path, shown, PurePosixPath("x/publication.yaml"), "publication")
    found, _ = check_publication(file, load_registry())
    return [f"{f.line}: {f.code}: {f.message}" for f in found]


def test_an_unclosed_50k_deep_list_in_publication_yaml_is_a_finding_in_bounded_time(
    tmp_path: Path,
) -> None:
    contrib = tmp_path / "contrib"
    shutil.copytree(REPO / "contrib", contrib)
    (contrib / "daily-news-egypt" / "publication.yaml").write_text("[" * 50_000)
    run = builder("validate", "--contrib", str(contrib), "--format", "text", cwd=tmp_path)
    assert not run.killed and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.code == 1
    assert "publication.yaml:1: error: yaml_invalid: not valid YAML" in run.stdout


def test_a_deep_but_closed_list_in_publication_yaml_is_a_finding(tmp_path: Path) -> None:
    [finding] = _publication(tmp_path, "name: " + "[" * 2000 + "]" * 2000 + "\n")
    assert "yaml_invalid" in finding and "nest" in finding


# --- the loader itself: properties --------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.floats(allow_nan=False)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(values)
def test_the_safe_loader_reads_what_safe_dump_writes_like_safe_load(value: object) -> None:
    text = yaml.safe_dump(value)
    assert load_text(text, "x.yaml") == yaml.safe_load(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]{}:-&*!,'\"\n #ab1|>?%@`", max_size=120))
def test_any_text_loads_or_is_a_yaml_error_naming_the_file(text: str) -> None:
    try:
        load_text(text, "x.yaml")
    except YamlError as error:
        assert str(error).startswith("x.yaml:") and error.line >= 1


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=MAX_DEPTH + 1, max_value=MAX_DEPTH * 4))
def test_nesting_past_the_limit_is_always_refused(depth: int) -> None:
    with pytest.raises(YamlError, match="nest"):
        load_text("[" * depth + "]" * depth, "x.yaml")

