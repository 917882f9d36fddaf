"""The canonical seed page parses to the record the pipeline issue promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.pipeline.runner import process_page
from builder.read.files import InputFile, read_file

from .conftest import SHARED_SEEDS

SEED = SHARED_SEEDS / "000_77fc086e0be398ab.txt"
TICKER_HEADLINES = ["Gold prices end July with modest gains", "Egypt to tax bloggers, YouTubers"]
BOILERPLATE = [
    "Thank you for reporting",
    "automatically disabled",
    "Clic here",
    "read the story from its source",
]


def _record(path: Path) -> dict:
    [page] = list(read_file(InputFile(path, path.name), {}, 10_000_000))
    result = process_page(page)
    assert isinstance(result, dict), result
    return result


@pytest.mark.skipif(not SEED.exists(), reason="shared seeds are not beside the repo")
def test_seed_record_fields() -> None:
    record = _record(SEED)
    assert (
        record["title"] == "Russians head to Turkey for talks on Syria's Idlib offensive: Minister"
    )
    assert record["publication"] == "Ahram Online"
    assert record["publish_date"] == "2020-02-07"
    assert record["text"].startswith("Russian officials will arrive in Turkey on Saturday")
    assert record["text"].endswith('in the harshest way," the source said.')
    assert record["language"] == "en"
    assert record["source_url"] is None


@pytest.mark.skipif(not SEED.exists(), reason="shared seeds are not beside the repo")
def test_seed_record_has_no_ticker_or_boilerplate() -> None:
    record = _record(SEED)
    flat = " ".join(str(v) for k, v in record.items() if k != "provenance")
    for phrase in TICKER_HEADLINES + BOILERPLATE:
        assert phrase not in flat


@pytest.mark.skipif(not SEED.exists(), reason="shared seeds are not beside the repo")
def test_seed_provenance_traces_the_raw_bytes() -> None:
    import hashlib

    record = _record(SEED)
    assert record["provenance"]["raw_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert record["provenance"]["parser"] == "aggregator_text"
