"""Shared fixtures: where the seed and the bundled samples live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
FIXTURE_SEEDS = REPO / "tests" / "fixtures" / "seeds"
SAMPLES = REPO / "samples"


def seed_dirs() -> list[Path]:
    """The shared seeds when present (CI has them), and always the repo's own copies' layout."""
    return [d for d in (SHARED_SEEDS, FIXTURE_SEEDS) if d.is_dir()]


@pytest.fixture
def repo() -> Path:
    return REPO
