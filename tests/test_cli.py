"""The `builder` command: parse, build and validate as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import orjson
import pytest

from builder.cli import main
from builder.errors import REJECT_REASONS

from .conftest import FIXTURE_SEEDS, SAMPLES, SampleBuild
from .test_rejects import NOT_SAMPLEABLE

PAGES = SAMPLES / "pages"
SEED = sorted(FIXTURE_SEEDS.glob("101_*.txt"))[0]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- builder parse -----------------------------------------------------------------------


def test_parse_prints_the_record_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "parse", str(SEED))
    record = json.loads(out)
    assert code == 0 and err == ""
    assert record["title"] == "Egypt's Cabinet approves new incentives for green hydrogen projects"
    assert (record["publication"], record["publish_date"], record["source_url"]) == (
        "Ahram Online",
        "2023-02-07",
        None,
    )
    assert record["provenance"]["raw_path"] == SEED.name


def test_parse_with_url_sets_the_normalized_source_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "parse",
        str(SEED),
        "--url",
        "HTTPS://English.Ahram.org.eg:443/News/1.aspx?utm_source=x#c",
    )
    assert code == 0
    assert json.loads(out)["source_url"] == "https://english.ahram.org.eg/News/1.aspx"


def test_parse_url_gives_the_publication_of_a_page_without_date_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(PAGES / "broken" / "no-publication.txt", page)
    code, _, err = _run(capsys, "parse", str(page))
    assert code == 1 and "no_publication" in err
    code, out, _ = _run(
        capsys, "parse", str(page), "--url", "https://www.egypttoday.com/Article/1/2"
    )
    assert code == 0 and json.loads(out)["publication"] == "Egypt Today"


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("broken/bad-date.txt", "bad_date"),
        ("broken/no-title.txt", "no_title"),
        ("broken/editor-note.txt", "unknown_format"),
        ("broken/crawler.log", "unsupported_file"),
        ("generated/broken/empty.txt", "empty_file"),
        ("generated/broken/photo-saved-as-page.html", "binary_file"),
        ("generated/broken/truncated-download.txt.gz", "corrupt_archive"),
    ],
)
def test_parse_of_a_bad_page_exits_1_with_one_line_reason(
    capsys: pytest.CaptureFixture[str], relative: str, reason: str
) -> None:
    code, out, err = _run(capsys, "parse", str(PAGES / relative))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"{PAGES / relative}: {reason}: ")


def test_parse_of_a_warc_prints_each_page_and_each_reject(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        capsys, "parse", str(PAGES / "generated" / "warc" / "crawl-2023-11.warc.gz")
    )
    assert code == 1  # the image response is not a page
    assert out.count('"title"') == 3
    [line] = err.splitlines()
    assert "unsupported_content_type: response is image/png" in line and "<urn:uuid:" in line


def test_parse_of_a_missing_file_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, "parse", str(tmp_path / "nope.txt"))
    assert code == 2 and out == ""
    assert err.strip() == f"error: {tmp_path / 'nope.txt'}: no such file"


# --- builder build -----------------------------------------------------------------------


def test_build_of_the_samples_succeeds_and_writes_its_outputs(sample_build: SampleBuild) -> None:
    assert sample_build.exit_code == 0
    for name in ("records.jsonl", "rejects.jsonl", "summary.json"):
        assert (sample_build.out / name).is_file()
    summary = orjson.loads((sample_build.out / "summary.json").read_bytes())
    records = (sample_build.out / "records.jsonl").read_bytes().splitlines()
    assert summary["records"] == len(records) >= 30
    assert summary["pages"] == summary["records"] + summary["rejects"]


def test_build_outputs_are_readable_like_files_a_plain_open_makes(
    sample_build: SampleBuild, tmp_path: Path
) -> None:
    # Atomic writes go through a private temporary file; the output must not stay private.
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    for name in ("records.jsonl", "rejects.jsonl", "summary.json"):
        assert (sample_build.out / name).stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_build_prints_a_summary_with_every_reason_and_where_it_is(
    sample_build: SampleBuild,
) -> None:
    out = sample_build.stdout
    summary = orjson.loads((sample_build.out / "summary.json").read_bytes())
    assert out.startswith(
        f"{summary['pages']} pages -> {summary['records']} records, {summary['rejects']} rejects"
    )
    assert "records by language:    ar 11, en 23" in out
    assert "records by format:      aggregator_text 25, html 9" in out
    for reason in set(REJECT_REASONS) - NOT_SAMPLEABLE:
        [line] = [x for x in out.splitlines() if x.strip().startswith(reason + " ")]
        assert "broken/" in line or ".warc" in line  # names the files to look at
    assert str(sample_build.out / "rejects.jsonl") in out


def test_build_shows_progress_on_stderr(sample_build: SampleBuild) -> None:
    assert "build:" in sample_build.stderr and "file" in sample_build.stderr
    assert "build:" not in sample_build.stdout
    assert "pages/s" in sample_build.stderr.splitlines()[-1]


def test_build_is_byte_identical_with_two_workers(
    sample_build: SampleBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _run(
        capsys,
        "build",
        str(PAGES),
        "--manifest",
        str(SAMPLES / "manifest.csv"),
        "--out",
        str(tmp_path),
        "--workers",
        "2",
        "--quiet",
        "--no-dedup",  # as the sample_build fixture
    )
    assert code == 0
    for name in ("records.jsonl", "rejects.jsonl", "summary.json"):
        assert (tmp_path / name).read_bytes() == (sample_build.out / name).read_bytes(), name


def test_one_bad_file_never_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a-binary.html", "m-empty.txt", "z-good.txt"):
        source = {
            "a-binary.html": PAGES / "generated" / "broken" / "photo-saved-as-page.html",
            "m-empty.txt": PAGES / "generated" / "broken" / "empty.txt",
            "z-good.txt": SEED,
        }[name]
        shutil.copy(source, pages / name)
    code, out, _ = _run(
        capsys, "build", str(pages), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"
    )
    assert code == 0
    assert out.startswith("3 pages -> 1 records, 2 rejects")


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("path,url\n", "manifest.csv:1: the CSV header lacks column(s) fetched_at"),
        (
            "path,url,fetched_at\na.txt,,soon\n",
            "manifest.csv:2: fetched_at 'soon' is not an ISO 8601 time",
        ),
    ],
)
def test_build_with_a_bad_manifest_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str, message: str
) -> None:
    (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    code, out, err = _run(
        capsys,
        "build",
        str(FIXTURE_SEEDS),
        "--manifest",
        str(tmp_path / "manifest.csv"),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    )
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert line.startswith("error: ") and line.endswith(message)


def test_build_of_a_missing_input_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"), "--quiet"
    )
    assert code == 2 and f"{tmp_path / 'nowhere'}: no such file or folder" in err


def test_build_help_states_the_page_size_limit_it_applies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The limit is applied in the build (the parser does not import the readers for it).
    from builder.read.files import DEFAULT_MAX_PAGE_BYTES

    with pytest.raises(SystemExit):
        main(["build", "--help"])
    stated = f"(default: {DEFAULT_MAX_PAGE_BYTES // (1024 * 1024)} MiB)"
    assert DEFAULT_MAX_PAGE_BYTES % (1024 * 1024) == 0
    assert stated in " ".join(capsys.readouterr().out.split())


# --- builder validate --------------------------------------------------------------------


def test_validate_accepts_the_built_records(
    sample_build: SampleBuild, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "validate", str(sample_build.out / "records.jsonl"))
    # The fixture's build keeps duplicates (--no-dedup): repeated ids are its only problems.
    assert out and all("is also the id of the record at" in line for line in out.splitlines())
    assert code == 1 and f"{len(out.splitlines())} problem(s)" in err


def test_validate_reports_file_line_pointer_message(
    sample_build: SampleBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (sample_build.out / "records.jsonl").read_bytes().splitlines()
    first, second = orjson.loads(lines[0]), orjson.loads(lines[1])
    first["publish_date"] = "2023-02-30"
    del second["provenance"]["raw_sha256"]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(
        b"\n".join([orjson.dumps(first), orjson.dumps(second), b"{not json", *lines[2:4]]) + b"\n"
    )
    code, out, _ = _run(capsys, "validate", str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:1: /publish_date: '2023-02-30' is not a 'date'",
        f"{bad}:2: /provenance: 'raw_sha256' is a required property",
        f"{bad}:3: /: not valid JSON: " + out.splitlines()[2].split("not valid JSON: ", 1)[1],
    ]
