"""Upload a verified release to a Hugging Face Hub dataset repo and tag the commit with its version.

The upload replaces the repo's files by the release's (stale shards of an older release
would otherwise still match `data/train-*`), then tags that commit `VERSION`, so
`load_dataset(repo_id, revision=VERSION)` always gives exactly this release. A tag that
already exists is never moved: Hub releases are as immutable as dist/ ones.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import BuilderError, ConfigError
from .checksums import sha256_file
from .config import REPO_ID_PATTERN
from .verify import verify_release


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


def upload_plan(release: Path, repo_id: str) -> list[str]:
    """Exactly what a publish does, one line per step and per file (path, bytes, SHA-256)."""
    version = release.name
    files = sorted(p for p in release.rglob("*") if p.is_file())
    lines = [
        f"create dataset repo {repo_id} if it does not exist",
        (
            f"commit 'Release {version}' to {repo_id} (main), "
            f"replacing its files by these {len(files)}:"
        ),
    ]
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
    problems = verify_release(release)
    if problems:
        raise BuilderError(
            f"{release} does not verify; fix it before publishing:\n" + "\n".join(problems[:20])
        )


def _upload(release: Path, repo_id: str, private: bool) -> str:
    from huggingface_hub import HfApi

    api = HfApi()
    version = release.name
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    if any(tag.name == version for tag in refs.tags):
        raise BuilderError(
            f"{repo_id} already has a tag {version}: published releases are immutable; "
            "release a new version"
        )
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type="dataset",
        folder_path=str(release),
        commit_message=f"Release {version}",
        delete_patterns="*",
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
    release: Path, repo_id: str, dry_run: bool = False, private: bool = False
) -> Iterator[str]:
    """Verify, then upload and tag (or only list the plan with dry_run); yields lines to show."""
    _check_ready(release, repo_id)
    if dry_run:
        yield f"dry run: nothing uploaded; publishing {release} would:"
        yield from upload_plan(release, repo_id)
        return
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise BuilderError(
            "cannot publish: HF_HUB_OFFLINE is set, so the Hugging Face Hub is not reachable; "
            "unset it (and log in with `hf auth login`) to publish, or use --dry-run"
        )
    try:
        oid = _upload(release, repo_id, private)
    except _network_errors() as exc:
        raise BuilderError(
            f"cannot publish {release.name} to the Hugging Face Hub repo {repo_id}: "
            f"{type(exc).__name__}: {exc}. Check the network connection and that you are "
            "logged in (`hf auth login`) with write access; use --dry-run to see the plan"
        ) from None
    yield (
        f"published {release} to https://huggingface.co/datasets/{repo_id} "
        f"at commit {oid}, tagged {release.name}"
    )
