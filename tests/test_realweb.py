"""Real pages in CI: both real gold sets build with no internal error, few rejects, and
quality not below the committed baseline (benchmarks/realweb_baseline.json).

The baseline is what `python -m benchmarks.realweb --write-baseline FILE` measured when
it was committed; both sets are development data (the parser was tuned on them), so
these numbers guard against regressions, they do not estimate quality on unseen sites.
Skipped where ../shared/realdata is absent.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.realweb import REALDATA, SETS, BuildResult, build_set, load_gold, score_build

from .conftest import REPO

BASELINE = json.loads((REPO / "benchmarks" / "realweb_baseline.json").read_text("utf-8"))
# Rejects that say the page has no article (a gallery, a video page, an index) or is not
# a page file are the right answer for some real pages; any other reason is a loss.
EXPECTED_REASONS = {"no_body", "unsupported_file"}
MAX_OTHER_REJECTS = 0.02

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent")


@pytest.fixture(scope="module", params=SETS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[str, BuildResult]:
    name = request.param
    return name, build_set(REALDATA / name, tmp_path_factory.mktemp(name) / "out")


def test_the_real_sets_build_with_no_internal_error(built: tuple[str, BuildResult]) -> None:
    name, build = built
    assert build.exit_code == 0, build.stderr[-2000:]
    bugs = [r for r in build.reject_lines if r["reason"] == "internal_error"]
    assert bugs == [], bugs[:3]


def test_few_real_pages_are_rejected_for_other_reasons(built: tuple[str, BuildResult]) -> None:
    name, build = built
    pages = len(load_gold(REALDATA / name))
    other = {reason: n for reason, n in build.rejects.items() if reason not in EXPECTED_REASONS}
    assert sum(other.values()) < MAX_OTHER_REJECTS * pages, other


def test_quality_is_not_below_the_committed_baseline(built: tuple[str, BuildResult]) -> None:
    name, build = built
    shares = score_build(load_gold(REALDATA / name), build).shares()
    floor = BASELINE[name]
    assert set(floor) <= set(shares)
    below = {k: (shares[k], floor[k]) for k in floor if shares[k] < floor[k]}
    assert below == {}, f"{name}: (now, baseline) of the measures that fell: {below}"

