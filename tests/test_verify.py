"""`builder verify` finds every kind of damage to a release and names the file and what is wrong."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli import main
from builder.release.checksums import write_sums
from builder.release.shards import shard_paths
from builder.release.verify import verify_release

from .release_corpus import make_record, write_test_release


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_release(
        tmp_path_factory.mktemp("verify"), [make_record(i) for i in range(10)]
    )


@pytest.fixture
def release(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / pristine.name
    shutil.copytree(pristine, copy)
    return copy


def _rewrite_first_shard(release: Path, edit: Callable[[list[dict]], list[dict]]) -> Path:
    shard = shard_paths(release)[0]
    rows = [json.loads(line) for line in gzip.open(shard, "rt", encoding="utf-8")]
    with gzip.open(shard, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, sort_keys=True) + "\n" for r in edit(rows))
    return shard


def test_a_fresh_release_verifies(pristine: Path) -> None:
    assert verify_release(pristine) == []


def test_a_changed_shard_fails_its_checksum(release: Path) -> None:
    shard = _rewrite_first_shard(release, lambda rows: rows)
    assert (
        verify_release(release)[0]
        == f"{shard}: SHA-256 differs from SHA256SUMS (the file was changed)"
    )


def test_an_invalid_record_is_named_by_shard_line_and_pointer(release: Path) -> None:
    def break_second(rows: list[dict]) -> list[dict]:
        rows[1]["publish_date"] = "2021-02-30"
        del rows[1]["language"]
        return rows

    shard = _rewrite_first_shard(release, break_second)
    write_sums(release)  # resummed, so only the record problems remain (besides card sizes)
    problems = verify_release(release)
    assert f"{shard}:2: /: 'language' is a required property" in problems
    assert any(p.startswith(f"{shard}:2: /publish_date: ") for p in problems)


def test_duplicate_ids_are_reported(release: Path) -> None:
    shard = _rewrite_first_shard(release, lambda rows: [rows[0], rows[0], *rows[1:]])
    write_sums(release)
    problems = verify_release(release)
    assert any(p.startswith(f"{shard}:2: /id: ") and "unique and sorted" in p for p in problems)
    assert any("num_examples" in p for p in problems)


def test_extra_missing_and_unreferenced_files_are_reported(release: Path) -> None:
    (release / "notes.txt").write_text("not part of the release")
    (release / "figures" / "text_length.png").unlink()
    problems = verify_release(release)
    assert f"{release / 'notes.txt'}: not listed in SHA256SUMS" in problems
    assert f"{release / 'figures/text_length.png'}: listed in SHA256SUMS but missing" in problems
    assert (
        f"{release / 'README.md'}: figure figures/text_length.png is referenced but missing"
        in problems
    )


def test_card_metadata_that_lies_about_the_data_is_reported(release: Path) -> None:
    card = release / "README.md"
    text = card.read_text(encoding="utf-8")
    text = text.replace("license: other", "license: cc-by-5.0").replace("- n<1K", "- 1K<n<10K")
    text = text.replace("dtype: date32", "dtype: string")
    text = text.replace("- monolingual", "- multilingual")
    card.write_text(text, encoding="utf-8")
    write_sums(release)
    problems = verify_release(release)
    for key in ("license", "size_categories", "dataset_info.features", "multilinguality"):
        assert any(f"metadata: {key}: wrong value" in p for p in problems), key


def test_croissant_that_lists_other_checksums_is_reported(release: Path) -> None:
    path = release / "croissant.json"
    metadata = json.loads(path.read_text())
    metadata["distribution"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(metadata))
    write_sums(release)
    assert any("croissant.json: distribution lists" in p for p in verify_release(release))


def test_cli_exit_codes(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(release)]) == 0
    assert "OK" in capsys.readouterr().err
    (release / "CHANGELOG.md").write_text("edited")
    assert main(["verify", str(release)]) == 1
    out = capsys.readouterr()
    assert "CHANGELOG.md: SHA-256 differs" in out.out and "1 problem(s)" in out.err
    assert main(["verify", str(release.parent / "9.9.9")]) == 2
    assert "no such release folder" in capsys.readouterr().err


def test_a_missing_licence_file_is_reported(release: Path) -> None:
    (release / "LICENSE.md").unlink()
    write_sums(release)
    assert any("license_link: LICENSE.md is not a file" in p for p in verify_release(release))
