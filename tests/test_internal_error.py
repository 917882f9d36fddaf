"""A bug met by one page costs that page (an internal_error reject), never the build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from builder import cli
from builder.pipeline import batches as parallel
from builder.pipeline import runner as pipeline
from builder.pipeline import steps
from builder.pipeline.runner import BuildOptions, build

from .conftest import SAMPLES

PAGES = SAMPLES / "pages"
VICTIM = "en/victim.txt"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Some aggregator dumps and HTML pages, one of them named VICTIM."""
    root = tmp_path / "pages"
    dumps = sorted((PAGES / "aggregator" / "en").rglob("*.txt"))[:3]
    pages = sorted((PAGES / "html").rglob("*.html"))[:2]
    assert dumps and pages
    (root / "en").mkdir(parents=True)
    for source in [*dumps, *pages]:
        shutil.copy(source, root / "en" / source.name)
    shutil.copy(dumps[0], root / VICTIM)
    return root


def _build(corpus: Path, out: Path) -> tuple[dict[str, bytes], list[dict]]:
    summary = build(BuildOptions(inputs=[corpus], out=out, progress=False, dedup=False))
    records = {orjson.loads(line)["provenance"]["raw_path"]: line
               for line in (out / "records.jsonl").read_bytes().splitlines()}
    rejects = [orjson.loads(line) for line in (out / "rejects.jsonl").read_bytes().splitlines()]
    assert summary.rejects_by_reason.get("internal_error", 0) == sum(
        r["reason"] == "internal_error" for r in rejects)
    return records, rejects


def _fail_for_victim(function):  # type: ignore[no-untyped-def]
    def wrapped(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if page.raw_path == VICTIM:
            raise RuntimeError("injected failure")
        return function(page, *args, **kwargs)

    return wrapped


def _only_victim_lost(clean: dict[str, bytes], records: dict[str, bytes],
                      rejects: list[dict], stage: str) -> None:
    assert VICTIM in clean and VICTIM not in records
    assert {k: v for k, v in clean.items() if k != VICTIM} == records
    bugs = [r for r in rejects if r["reason"] == "internal_error"]
    assert [r["raw_path"] for r in bugs] == [VICTIM]
    message = bugs[0]["message"]
    assert message.startswith(f"{stage} stage: RuntimeError: injected failure (at ")
    assert "test_internal_error.py:" in message and "\n" not in message


def test_a_failing_parser_rejects_its_page_and_the_others_are_unchanged(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = _build(corpus, tmp_path / "clean")
    monkeypatch.setattr(steps, "parse_page", _fail_for_victim(steps.parse_page))
    records, rejects = _build(corpus, tmp_path / "faulty")
    _only_victim_lost(clean, records, rejects, "parse")


def test_a_failing_normalizer_rejects_its_page(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = _build(corpus, tmp_path / "clean")
    original = steps.build_record

    def build_record(draft, page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if page.raw_path == VICTIM:
            raise RuntimeError("injected failure")
        return original(draft, page, *args, **kwargs)

    monkeypatch.setattr(steps, "build_record", build_record)
    records, rejects = _build(corpus, tmp_path / "faulty")
    _only_victim_lost(clean, records, rejects, "normalize")


def test_a_language_identifier_failing_on_one_text_costs_only_that_page(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = _build(corpus, tmp_path / "clean")
    victim_text = orjson.loads(clean[VICTIM])["text"]
    original = steps.fill_languages

    def fill_languages(records):  # type: ignore[no-untyped-def]
        if any(record["text"] == victim_text for record in records):
            raise RuntimeError("injected failure")
        original(records)

    monkeypatch.setattr(steps, "fill_languages", fill_languages)
    records, rejects = _build(corpus, tmp_path / "faulty")
    # The victim's copies (same text) all fail; every other page is as before.
    lost = {k for k, v in clean.items() if orjson.loads(v)["text"] == victim_text}
    assert {k: v for k, v in clean.items() if k not in lost} == records
    assert {r["raw_path"] for r in rejects if r["reason"] == "internal_error"} == lost


def test_a_failing_validator_rejects_its_page(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = _build(corpus, tmp_path / "clean")
    stages = pipeline._stages()
    original = stages.validator.problems

    def problems(record):  # type: ignore[no-untyped-def]
        if record["provenance"]["raw_path"] == VICTIM:
            raise RuntimeError("injected failure")
        return original(record)

    monkeypatch.setattr(stages.validator, "problems", problems)
    records, rejects = _build(corpus, tmp_path / "faulty")
    _only_victim_lost(clean, records, rejects, "validate")


def test_a_reader_failing_mid_file_rejects_that_file(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = _build(corpus, tmp_path / "clean")
    original = parallel.read_file

    def read_file(item, *args, **kwargs) -> Iterator:  # type: ignore[no-untyped-def]
        if item.raw_path == VICTIM:
            raise RuntimeError("injected failure")
        yield from original(item, *args, **kwargs)

    monkeypatch.setattr(parallel, "read_file", read_file)
    records, rejects = _build(corpus, tmp_path / "faulty")
    _only_victim_lost(clean, records, rejects, "read")


def test_builder_build_warns_once_and_exits_zero(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(steps, "parse_page", _fail_for_victim(steps.parse_page))
    out = tmp_path / "out"
    code = cli.main(["build", str(corpus), "--out", str(out), "--quiet", "--workers", "1"])
    assert code == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "1 page(s) met a bug" in warnings[0]
    summary = orjson.loads((out / "summary.json").read_bytes())
    assert summary["rejects_by_reason"]["internal_error"] == 1


def test_builder_parse_prints_the_reject_instead_of_a_traceback(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def parse_page(page):  # type: ignore[no-untyped-def]
        raise KeyError("mainEntityOfPage")

    monkeypatch.setattr(steps, "parse_page", parse_page)
    code = cli.main(["parse", str(corpus / VICTIM)])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert "internal_error: parse stage: KeyError: 'mainEntityOfPage'" in captured.err
    assert "Traceback" not in captured.err
