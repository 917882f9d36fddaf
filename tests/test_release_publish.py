"""Publishing to a mocked Hugging Face Hub: order of versions, branches, the card's repo."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.errors import BuilderError, ConfigError
from builder.release.checksums import write_sums
from builder.release.publish import card_repo, publish_release

from .release_corpus import make_record, write_test_release


@dataclass
class FakeHub:
    """The HfApi calls publish makes, recorded; the repo starts with `tags`."""

    tags: list[str] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def api(self) -> Any:
        hub = self

        class Api:
            def create_repo(self, repo_id: str, **kwargs: Any) -> None:
                hub.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))

            def list_repo_refs(self, repo_id: str, **kwargs: Any) -> Any:
                return type("Refs", (), {"tags": [type("Ref", (), {"name": t}) for t in hub.tags]})

            def create_branch(self, repo_id: str, **kwargs: Any) -> None:
                hub.calls.append(("create_branch", {"repo_id": repo_id, **kwargs}))

            def upload_folder(self, **kwargs: Any) -> Any:
                hub.calls.append(("upload_folder", kwargs))
                return type("Commit", (), {"oid": "c0ffee"})

            def create_tag(self, repo_id: str, **kwargs: Any) -> None:
                hub.calls.append(("create_tag", {"repo_id": repo_id, **kwargs}))
                hub.tags.append(kwargs["tag"])

        return Api()

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def call(self, name: str) -> dict[str, Any]:
        return next(kwargs for called, kwargs in self.calls if called == name)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_release(tmp_path_factory.mktemp("pub"), [make_record(i) for i in range(4)])


def _hub(monkeypatch: pytest.MonkeyPatch, tags: list[str]) -> FakeHub:
    import huggingface_hub

    hub = FakeHub(list(tags))
    monkeypatch.setattr(huggingface_hub, "HfApi", hub.api)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return hub


def test_publish_uploads_to_main_and_tags(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _hub(monkeypatch, ["0.9.0"])
    lines = list(publish_release(release, "example/test-news"))
    assert hub.names() == ["create_repo", "upload_folder", "create_tag"]
    assert hub.call("upload_folder")["revision"] is None  # main
    assert hub.call("create_tag")["tag"] == "1.0.0"
    assert hub.call("create_tag")["revision"] == "c0ffee"
    assert "tagged 1.0.0" in lines[-1]


def test_a_lower_version_than_the_hubs_is_refused_on_main(
    release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = _hub(monkeypatch, ["1.0.1", "1.1.0", "not-a-version"])
    with pytest.raises(
        BuilderError, match="already has release 1.1.0, newer than 1.0.0.*--to-branch"
    ):
        list(publish_release(release, "example/test-news"))
    assert "upload_folder" not in hub.names() and "create_tag" not in hub.names()


def test_a_lower_version_goes_to_a_branch_and_is_tagged(
    release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = _hub(monkeypatch, ["1.1.0"])
    lines = list(publish_release(release, "example/test-news", to_branch="v1.0-fixes"))
    assert hub.names() == ["create_repo", "create_branch", "upload_folder", "create_tag"]
    assert hub.call("create_branch")["branch"] == "v1.0-fixes"
    assert hub.call("upload_folder")["revision"] == "v1.0-fixes"
    assert hub.call("create_tag")["tag"] == "1.0.0"
    assert "(branch v1.0-fixes)" in lines[-1]


def test_an_existing_tag_is_never_moved(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _hub(monkeypatch, ["1.0.0"])
    with pytest.raises(BuilderError, match="already has a tag 1.0.0"):
        list(publish_release(release, "example/test-news", to_branch="x"))
    assert "upload_folder" not in hub.names()


def test_a_card_for_another_repo_is_not_published(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = _hub(monkeypatch, [])
    assert card_repo(release) == "example/test-news"
    with pytest.raises(ConfigError, match="load_dataset\\('example/test-news'\\), not 'me/copy'"):
        list(publish_release(release, "me/copy", dry_run=True))
    argv = ["publish", "1.0.0", "--dist", str(release.parent), "--repo-id", "me/copy"]
    assert main(argv) == 2
    assert "publish it to example/test-news" in capsys.readouterr().err
    assert hub.calls == []


def test_a_card_without_hub_code_can_go_to_any_repo(tmp_path: Path) -> None:
    release = write_test_release(tmp_path, [make_record(1)], repo_id=None)
    assert card_repo(release) is None
    assert 'load_dataset("' not in (release / "README.md").read_text().split("# from a local")[0]
    lines = list(publish_release(release, "me/copy", dry_run=True))
    assert "commit 'Release 1.0.0' to me/copy (main)" in "\n".join(lines)


def test_card_repo_of_a_release_made_before_release_json_had_it(tmp_path: Path) -> None:
    release = write_test_release(tmp_path, [make_record(1)])
    info = json.loads((release / "release.json").read_text())
    del info["repo_id"]
    (release / "release.json").write_text(json.dumps(info))
    write_sums(release)
    assert card_repo(release) == "example/test-news"  # read from the card's snippet


def test_dry_run_plan_names_the_branch(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["publish", "1.0.0", "--dist", str(release.parent), "--repo-id", "example/test-news"]
    assert main([*argv, "--dry-run", "--to-branch", "old"]) == 0
    out = capsys.readouterr().out
    assert "create branch old if it does not exist" in out
    assert "commit 'Release 1.0.0' to example/test-news (old)" in out
    assert main([*argv, "--dry-run"]) == 0
    assert (
        "refuse if example/test-news has a version tag higher than 1.0.0" in capsys.readouterr().out
    )
