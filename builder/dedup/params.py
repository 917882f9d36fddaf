"""Dedup parameters: checked once, with the LSH banding derived from the threshold."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ConfigError

# Defaults, chosen on the labelled benchmark (docs/dedup.md has the sweep): with 4-word
# shingles and a threshold of 0.4, unrelated articles on one event, which share names and
# stock phrases ("according to a statement by"), stay under 0.25, while copies with up to
# a fifth of their words edited stay over 0.4 (5-word shingles lose more of the edited
# copies at the same precision).
DEFAULT_THRESHOLD = 0.4
# 256 permutations: LSH at 0.4 uses 60 bands of 3 rows; the rest sharpen the MinHash
# estimate that spares most candidates the exact check (rensa computes them cheaply).
DEFAULT_NUM_PERM = 256
DEFAULT_SHINGLE_SIZE = 4
# A pair at exactly the threshold becomes an LSH candidate with at least this
# probability; candidates are then verified exactly, so a high value only costs time.
DEFAULT_LSH_RECALL = 0.98
# Texts shorter than this many words ("Details to follow.") are never matched on text,
# only on URL or id: equal short texts say nothing about being the same article.
DEFAULT_MIN_WORDS = 20
# Recurring bulletins (daily gold prices, exchange rates, weather) repeat one template
# with new figures; their texts can be as similar as an edited copy. A near match is
# therefore also required to state mostly the same figures: the share of the shorter
# list of distinct numbers found in the other text must reach this, whenever both texts
# state at least MIN_FIGURES of them. 0 turns the check off.
DEFAULT_FIGURE_OVERLAP = 0.6
DEFAULT_MIN_FIGURES = 4
# One outlet does not publish one story twice on different days under two URLs; when two
# of its texts on different days look alike, they are a recurring bulletin. So near
# matches within one publication need the same publish date (when both are known).
DEFAULT_SAME_PUBLICATION_SAME_DAY = True
# An LSH bucket of more documents than this is not a cluster of copies but texts that
# share a common phrase (boilerplate, a stock sentence) whose shingles hold the minimum
# of a band's rows: all its pairs would grow with the square of the corpus (billions at
# a million pages of template-heavy text). Such a bucket only pairs its first document
# with each other one; real copies in it still meet in their other bands.
# On the labelled benchmark (100k documents) a cap of 200 changes pair recall by 0.00003
# and halves the candidate pairs; on the synthetic crawl it cuts them from 90 to 22 million.
DEFAULT_MAX_BUCKET = 200
DEFAULT_SEED = 1
# The near-duplicate decision (coverage.py): LSH and the threshold above only propose
# pairs; a pair is one story when the share of one document's shingles found in the
# other reaches CONTAINMENT (a teaser, a re-scrape: one text inside the other), or when
# the shares of both reach COVERAGE (an edited copy: neither has much of its own). A
# follow-up reusing background paragraphs, or stories quoting one statement, have a
# large part of their own on both sides and are never merged. Chosen on the real-text
# benchmark (seed 1; docs/dedup.md): follow-ups reach 0.75 and 0.50, edited copies
# stay above 0.55 on both sides.
DEFAULT_CONTAINMENT = 0.95
DEFAULT_COVERAGE = 0.55
# Between SCATTERED_COVERAGE and COVERAGE on the smaller side, a pair is one story when
# its shared text is cut by edits into MIN_PASSAGES passages or more, in order (an edited
# copy); reused background or a quoted statement is one or two blocks.
DEFAULT_SCATTERED_COVERAGE = 0.47
DEFAULT_MIN_PASSAGES = 3
# A paragraph found in this many records of the run is boilerplate (boilerplate.py) and
# is left out of the coverage measures (0: never).
DEFAULT_BOILERPLATE_DOCS = 20
MAX_NUM_PERM = 1024
MAX_SHINGLE_SIZE = 16


def band_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two documents of this Jaccard similarity share a band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def _false_candidate_area(threshold: float, bands: int, rows: int, steps: int = 200) -> float:
    """Expected share of candidates among pairs below the threshold (midpoint rule)."""
    width = threshold / steps
    return sum(band_probability((i + 0.5) * width, bands, rows) for i in range(steps)) * width


def derive_banding(threshold: float, num_perm: int, lsh_recall: float) -> tuple[int, int]:
    """(bands, rows): for each row count, the fewest bands reaching `lsh_recall` at the
    threshold; of those that fit in num_perm, the one with the fewest false candidates
    (ties: fewer permutations used). Permutations left over still sharpen the MinHash
    estimate that filters candidates (lsh.ESTIMATE_SIGMAS)."""
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        per_band = threshold**rows
        if per_band * num_perm / rows < -math.log(1.0 - lsh_recall) / 2:
            break  # even all permutations as bands of this many rows cannot reach it
        bands = (
            1 if per_band >= 1.0 else math.ceil(math.log(1.0 - lsh_recall) / math.log1p(-per_band))
        )
        if bands * rows > num_perm:
            continue
        area = _false_candidate_area(threshold, bands, rows)
        if best is None or (area, bands * rows) < (best[0], best[1] * best[2]):
            best = (area, bands, rows)
    if best is None:  # only when even rows=1 cannot reach it, i.e. num_perm is tiny
        raise ConfigError(
            f"num_perm={num_perm} is too small to reach lsh_recall={lsh_recall} "
            f"at threshold={threshold}; raise num_perm or lower lsh_recall"
        )
    return best[1], best[2]


@dataclass(frozen=True)
class DedupParams:
    """How records are compared; every field is recorded in the dedup summary.

    `bands` and `rows` are derived from `threshold`, `num_perm` and `lsh_recall` when
    both are left at None; give both to fix the LSH banding yourself.
    """

    threshold: float = DEFAULT_THRESHOLD
    num_perm: int = DEFAULT_NUM_PERM
    shingle_size: int = DEFAULT_SHINGLE_SIZE
    bands: int | None = None
    rows: int | None = None
    lsh_recall: float = DEFAULT_LSH_RECALL
    min_words: int = DEFAULT_MIN_WORDS
    figure_overlap: float = DEFAULT_FIGURE_OVERLAP
    min_figures: int = DEFAULT_MIN_FIGURES
    same_publication_same_day: bool = DEFAULT_SAME_PUBLICATION_SAME_DAY
    max_bucket: int = DEFAULT_MAX_BUCKET
    seed: int = DEFAULT_SEED
    containment: float = DEFAULT_CONTAINMENT
    coverage: float = DEFAULT_COVERAGE
    scattered_coverage: float = DEFAULT_SCATTERED_COVERAGE
    min_passages: int = DEFAULT_MIN_PASSAGES
    boilerplate_docs: int = DEFAULT_BOILERPLATE_DOCS
    _banding: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ConfigError("invalid dedup parameters: " + "; ".join(problems))
        if self.bands is None or self.rows is None:
            banding = derive_banding(self.threshold, self.num_perm, self.lsh_recall)
        else:
            banding = (self.bands, self.rows)
        object.__setattr__(self, "_banding", banding)

    def _problems(self) -> list[str]:
        problems = []
        if not 0.0 < self.threshold <= 1.0:
            problems.append(f"threshold must be in (0, 1], got {self.threshold}")
        if not isinstance(self.num_perm, int) or not 1 <= self.num_perm <= MAX_NUM_PERM:
            problems.append(
                f"num_perm must be an integer in [1, {MAX_NUM_PERM}], got {self.num_perm}"
            )
        if not isinstance(self.shingle_size, int) or not 1 <= self.shingle_size <= MAX_SHINGLE_SIZE:
            problems.append(
                f"shingle_size must be an integer in [1, {MAX_SHINGLE_SIZE}], "
                f"got {self.shingle_size}"
            )
        if (self.bands is None) != (self.rows is None):
            problems.append("give both bands and rows, or neither (then they are derived)")
        elif self.bands is not None and self.rows is not None:
            if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
                problems.append(
                    f"bands*rows must be between 1 and num_perm={self.num_perm}, "
                    f"got bands={self.bands}, rows={self.rows}"
                )
        if not 0.0 < self.lsh_recall < 1.0:
            problems.append(f"lsh_recall must be in (0, 1), got {self.lsh_recall}")
        if not isinstance(self.min_words, int) or self.min_words < 0:
            problems.append(f"min_words must be a non-negative integer, got {self.min_words}")
        if not 0.0 <= self.figure_overlap <= 1.0:
            problems.append(f"figure_overlap must be in [0, 1], got {self.figure_overlap}")
        if not isinstance(self.min_figures, int) or self.min_figures < 1:
            problems.append(f"min_figures must be a positive integer, got {self.min_figures}")
        if not isinstance(self.max_bucket, int) or self.max_bucket < 2:
            problems.append(f"max_bucket must be an integer of at least 2, got {self.max_bucket}")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            problems.append(f"seed must be an integer in [0, 2**32), got {self.seed}")
        if not isinstance(self.min_passages, int) or self.min_passages < 1:
            problems.append(f"min_passages must be a positive integer, got {self.min_passages}")
        for name in ("containment", "coverage", "scattered_coverage"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                problems.append(f"{name} must be in [0, 1], got {value}")
        if not isinstance(self.boilerplate_docs, int) or self.boilerplate_docs < 0:
            problems.append(
                f"boilerplate_docs must be a non-negative integer, got {self.boilerplate_docs}"
            )
        return problems

    @property
    def banding(self) -> tuple[int, int]:
        """(bands, rows) actually used."""
        return self._banding

    @property
    def candidate_probability(self) -> float:
        """Probability that a pair at exactly the threshold becomes a candidate."""
        return band_probability(self.threshold, *self._banding)

    def to_json(self) -> dict[str, Any]:
        values = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        values["bands"], values["rows"] = self._banding
        return values


MiB = 1 << 20


@dataclass(frozen=True)
class DedupSizes:
    """How dedup cuts its work and where it runs it. No output byte depends on these:
    tests shrink them to reach every boundary (`WorkSizes.dedup` for a build)."""

    # Records per index task (index.index_batch); any size gives the same output.
    batch_docs: int = 256
    # Below this much input, dedup runs in one process: a spawned worker costs about
    # 0.4 s of CPU (a fresh interpreter importing numpy and rensa), and this process's
    # share of a pooled run (reading and sending the lines, collecting the results)
    # leaves little to gain: 32 MB of records were indexed in 1.0-1.1 s on two workers
    # and 1.2-1.6 s here (rensa computes on two threads here), and the LSH tasks were
    # slower through the pool. A build with workers indexes along its parse stage
    # instead (stage.StreamedDedup).
    pool_min_bytes: int = 128 * MiB
    # Records held back before a build's dedup worker is started (stage.StreamedDedup):
    # starting one costs about 0.4 s of CPU, the index of this many bytes of records
    # about as much; a smaller build indexes them itself once the parse stage is done.
    feed_min_bytes: int = 8 * MiB

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            least = 1 if name == "batch_docs" else 0
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise ConfigError(f"dedup sizes: {name} must be a whole number of at least "
                                  f"{least}, not {value!r}")
