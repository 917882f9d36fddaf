"""`builder verify` against edits made to pass it: links, renamed folders, edited cards.

Each edit here recomputes SHA256SUMS, as someone hiding it would; what verify can prove
then, and what only the published SHA256SUMS (`--against`) can, is in docs/releases.md.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.cli import main
from builder.release.checksums import write_sums
from builder.release.layout import remove_stale_staging
from builder.release.shards import shard_paths
from builder.release.verify import verify_release

from .conftest import SAMPLES
from .hostile import BUILDER
from .release_corpus import make_record, write_config, write_test_release


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_release(
        tmp_path_factory.mktemp("hostile-verify"), [make_record(i) for i in range(6)]
    )


@pytest.fixture
def release(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "dist" / pristine.name
    shutil.copytree(pristine, copy)
    return copy


def test_the_pristine_release_verifies_also_against_its_published_sums(pristine: Path) -> None:
    assert verify_release(pristine) == []
    assert verify_release(pristine, against=str(pristine / "SHA256SUMS")) == []


def test_a_shard_replaced_by_a_link_outside_the_release_is_refused(
    release: Path, tmp_path: Path
) -> None:
    shard = shard_paths(release)[0]
    outside = tmp_path / "elsewhere.jsonl.gz"
    shutil.copy(shard, outside)  # the same bytes: the checksum alone cannot tell
    shard.unlink()
    shard.symlink_to(outside)
    assert verify_release(release) == [
        f"{shard}: a symbolic link (to {outside}): a release holds its files, never links"
    ]


def test_a_linked_folder_in_the_release_is_refused(release: Path, tmp_path: Path) -> None:
    (release / "figures").rename(tmp_path / "figures")
    (release / "figures").symlink_to(tmp_path / "figures")
    assert any("figures: a symbolic link" in p for p in verify_release(release))


def test_a_sums_line_naming_a_path_outside_the_release_is_refused(release: Path) -> None:
    sums = release / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{'0' * 64}  ../1.0.0/README.md\n")
    assert f"{sums}: '../1.0.0/README.md' is a path outside the release" in verify_release(
        release
    )


def test_release_json_whose_version_is_not_its_folder_is_refused(release: Path) -> None:
    info_path = release / "release.json"
    info = json.loads(info_path.read_text())
    info["version"] = "9.9.9"
    info_path.write_text(json.dumps(info, indent=2))
    write_sums(release)
    problems = verify_release(release)
    assert f"{info_path}: version '9.9.9' is not the folder's name '1.0.0'" in problems


def test_a_release_copied_under_another_version_name_is_refused(
    pristine: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "2.0.0"
    shutil.copytree(pristine, renamed)
    assert verify_release(renamed)[0] == (
        f"{renamed / 'release.json'}: version '1.0.0' is not the folder's name '2.0.0'"
    )


def test_a_card_license_edited_with_sums_recomputed_is_refused(release: Path) -> None:
    card = release / "README.md"
    text = card.read_text()
    head, sep, body = text.partition("\n---\n")
    assert "\nlicense: " in head
    lines = [("license: mit" if x.startswith("license: ") else x) for x in head.splitlines()]
    card.write_text("\n".join(lines) + sep + body)
    write_sums(release)
    problems = verify_release(release)
    assert any("metadata: license 'mit' does not match croissant.json" in p for p in problems)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda text: text.replace("\nlicense: ", "\nlicense: [", 1),
         "README.md: the metadata block is not valid YAML: "),
        (lambda text: text.encode("utf-8").replace(b"\nlicense: ", b"\nlicense: \xff", 1),
         "README.md: not UTF-8 text ("),
    ],
    ids=["bad-yaml", "not-utf8"],
)
def test_a_card_that_cannot_be_read_is_one_problem_not_a_traceback(
    release: Path, edit, problem: str, capsys: pytest.CaptureFixture[str]  # type: ignore[no-untyped-def]
) -> None:
    card = release / "README.md"
    changed = edit(card.read_text(encoding="utf-8"))
    card.write_bytes(changed if isinstance(changed, bytes) else changed.encode("utf-8"))
    write_sums(release)
    problems = verify_release(release, progress=True)
    assert [p for p in problems if problem in p] != []
    assert main(["verify", str(release)]) != 0
    assert "Traceback" not in capsys.readouterr().err


def test_an_edit_hidden_by_recomputed_sums_is_caught_only_against_the_published_sums(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "published-SHA256SUMS"
    shutil.copy(release / "SHA256SUMS", published)
    changelog = release / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + "\nA line added after publication.\n")
    write_sums(release)
    assert verify_release(release) == []  # consistent again: only the published copy knows
    assert verify_release(release, against=str(published)) == [
        f"{changelog}: SHA-256 differs from the published SHA256SUMS ({published}): "
        "the file was changed after publication"
    ]
    assert main(["verify", str(release), "--against", str(published), "--quiet"]) == 1
    assert "1 problem(s)" in capsys.readouterr().err


def test_a_file_added_or_removed_since_publication_is_named(
    release: Path, tmp_path: Path
) -> None:
    published = tmp_path / "published-SHA256SUMS"
    shutil.copy(release / "SHA256SUMS", published)
    (release / "CHANGELOG.md").unlink()
    (release / "NOTES.md").write_text("new\n")
    write_sums(release)
    problems = verify_release(release, against=str(published))
    assert f"{release / 'CHANGELOG.md'}: in the published SHA256SUMS ({published}) but not here" \
        in problems
    assert f"{release / 'NOTES.md'}: not in the published SHA256SUMS ({published})" in problems


@pytest.mark.parametrize("source", ["missing-file", "/dev/zero"])
def test_an_unreadable_published_sums_is_one_problem(release: Path, source: str) -> None:
    [problem] = verify_release(release, against=source)
    assert problem.startswith(f"{source}: ")


# --- staging folders of killed releases ---------------------------------------------------------


def test_stale_staging_folders_are_removed_but_a_running_releases_is_kept(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    killed = dist / ".staging-1.0.0-abc"
    (killed / "1.0.0").mkdir(parents=True)
    (killed / "lock").write_bytes(b"")  # its lock died with its process
    older = dist / ".staging-0.9.0-old"
    older.mkdir()  # no lock at all
    running = dist / ".staging-1.1.0-run"
    running.mkdir()
    (running / "lock").write_bytes(b"")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl,sys,time; f=open(sys.argv[1],'rb'); fcntl.flock(f, fcntl.LOCK_EX);"
         " print('held', flush=True); time.sleep(60)", str(running / "lock")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert remove_stale_staging(dist) == [older, killed]
        assert running.is_dir() and not killed.exists() and not older.exists()
    finally:
        holder.kill()
        holder.wait()
    assert remove_stale_staging(dist) == [running]  # its holder is gone now


def test_the_next_release_removes_the_folder_a_kill_9_left_with_a_line(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(SAMPLES / "pages" / "html", pages)
    write_config(tmp_path, manifest="")
    dist = tmp_path / "dist"
    argv = [str(BUILDER), "release", "1.0.0", "--config", str(tmp_path / "dataset.yaml"),
            "--dist", str(dist), "--quiet", "--no-load-check"]
    first = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # until the release has made its staging folder (or ended)
            if list(dist.glob(".staging-*/lock")) or first.poll() is not None:
                break
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
    finally:
        first.wait()
    if first.returncode != -signal.SIGKILL or not list(dist.glob(".staging-*")):
        pytest.skip("the release ended before it could be killed")
    [left] = list(dist.glob(".staging-*"))
    second = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"removed {left}: the staging folder of an interrupted release" in second.stderr
    assert sorted(p.name for p in dist.iterdir()) == ["1.0.0"]
