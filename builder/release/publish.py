"""Upload a verified release to a Hugging Face Hub dataset repo and tag the commit with its version.

The upload replaces the repo's files by the release's (stale shards of an older release
would otherwise still match `data/train-*`), then tags that commit `VERSION`, so
`load_dataset(repo_id, revision=VERSION)` always gives exactly this release. A tag that
already exists is never moved: Hub releases are as immutable as dist/ ones.

Two refusals keep the Hub honest: a version lower than the highest version tag already on
the repo is not committed to `main` (that would roll the Hub's default data back to an
older release; `--to-branch NAME` commits it to a branch instead, still tagged), and a
release whose card shows `load_dataset(...)` for another repo is not published there
(release.json's `repo_id`, which the card's snippet was rendered from).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..config import REPO_ID_PATTERN
from ..digests import sha256_file
from ..errors import BuilderError, ConfigError
from . import layout
from .verify import verify_release
from .versions import VERSION_PATTERN, parse_version

CARD_SNIPPET = re.compile(r'load_dataset\("([^"]+)", revision=')


def _network_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean 'the Hub could not be reached or refused'.

    They are shown as a message, not a traceback.
    """
    from huggingface_hub.errors import HfHubHTTPError

    errors: list[type[BaseException]] = [OSError, HfHubHTTPError]  # OSError covers offline mode
    for name in ("httpx2", "httpx", "requests"):  # whichever HTTP client huggingface_hub uses
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        base = getattr(module, "HTTPError", None) or getattr(module, "RequestException", None)
        if isinstance(base, type) and issubclass(base, BaseException):
            errors.append(base)
    return tuple(errors)


def card_repo(release: Path) -> str | None:
    """The repo the card's `load_dataset(...)` snippet names; None when it names none."""
    info = layout.read_json_or_none(release / layout.RELEASE_INFO)
    if isinstance(info, dict) and "repo_id" in info:
        return info["repo_id"] or None
    try:  # a release made before release.json recorded it: read the card
        found = CARD_SNIPPET.search((release / layout.CARD).read_text(encoding="utf-8"))
    except OSError:
        return None
    return found.group(1) if found else None


def upload_plan(release: Path, repo_id: str, to_branch: str | None = None) -> list[str]:
    """Exactly what a publish does, one line per step and per file (path, bytes, SHA-256)."""
    version = release.name
    files = sorted(p for p in release.rglob("*") if p.is_file())
    branch = to_branch or "main"
    lines = [f"create dataset repo {repo_id} if it does not exist"]
    if to_branch:
        lines.append(f"create branch {to_branch} if it does not exist")
    else:
        lines.append(f"refuse if {repo_id} has a version tag higher than {version}")
    lines.append(
        f"commit 'Release {version}' to {repo_id} ({branch}), "
        f"replacing its files by these {len(files)}:"
    )
    lines += [
        f"  {p.relative_to(release).as_posix()}  {p.stat().st_size} bytes  sha256:{sha256_file(p)}"
        for p in files
    ]
    lines.append(f"tag that commit {version}")
    return lines


def _check_ready(release: Path, repo_id: str) -> None:
    if not REPO_ID_PATTERN.match(repo_id or ""):
        raise ConfigError(
            f"repo id {repo_id!r} must look like ORG/NAME "
            "(give --repo-id or repo_id in dataset.yaml)"
        )
    shown = card_repo(release)
    if shown is not None and shown != repo_id:
        raise ConfigError(
            f"the card of {release} tells users to load_dataset({shown!r}), not {repo_id!r}: "
            f"publish it to {shown}, or set repo_id: {repo_id} in dataset.yaml and make a "
            "new release for that repo"
        )
    problems = verify_release(release)
    if problems:
        raise BuilderError(
            f"{release} does not verify; fix it before publishing:\n" + "\n".join(problems[:20])
        )


def _check_order(repo_id: str, version: str, tags: list[str], to_branch: str | None) -> None:
    """A version is new on the repo, and not below its highest version unless on a branch."""
    if version in tags:
        raise BuilderError(
            f"{repo_id} already has a tag {version}: published releases are immutable; "
            "release a new version"
        )
    released = sorted(parse_version(t) for t in tags if VERSION_PATTERN.match(t))
    if released and parse_version(version) < released[-1] and not to_branch:
        raise BuilderError(
            f"{repo_id} already has release {released[-1]}, newer than {version}: publishing "
            f"{version} to main would roll the Hub's default data back. Publish it to a "
            f"branch with --to-branch NAME (it is still tagged {version})"
        )


def _upload(release: Path, repo_id: str, private: bool, to_branch: str | None = None) -> str:
    from huggingface_hub import HfApi

    api = HfApi()
    version = release.name
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    _check_order(repo_id, version, [tag.name for tag in refs.tags], to_branch)
    if to_branch:
        api.create_branch(repo_id, repo_type="dataset", branch=to_branch, exist_ok=True)
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type="dataset",
        folder_path=str(release),
        commit_message=f"Release {version}",
        delete_patterns="*",
        revision=to_branch,
    )
    api.create_tag(
        repo_id,
        tag=version,
        repo_type="dataset",
        revision=commit.oid,
        tag_message=f"Release {version}",
    )
    return str(commit.oid)


def publish_release(
    release: Path,
    repo_id: str,
    dry_run: bool = False,
    private: bool = False,
    to_branch: str | None = None,
) -> Iterator[str]:
    """Verify, then upload and tag (or only list the plan with dry_run); yields lines to show."""
    _check_ready(release, repo_id)
    if dry_run:
        yield f"dry run: nothing uploaded; publishing {release} would:"
        yield from upload_plan(release, repo_id, to_branch)
        return
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise BuilderError(
            "cannot publish: HF_HUB_OFFLINE is set, so the Hugging Face Hub is not reachable; "
            "unset it (and log in with `hf auth login`) to publish, or use --dry-run"
        )
    try:
        oid = _upload(release, repo_id, private, to_branch)
    except _network_errors() as exc:
        raise BuilderError(
            f"cannot publish {release.name} to the Hugging Face Hub repo {repo_id}: "
            f"{type(exc).__name__}: {exc}. Check the network connection and that you are "
            "logged in (`hf auth login`) with write access; use --dry-run to see the plan"
        ) from None
    where = f" (branch {to_branch})" if to_branch else ""
    yield (
        f"published {release} to https://huggingface.co/datasets/{repo_id}{where} "
        f"at commit {oid}, tagged {release.name}"
    )
