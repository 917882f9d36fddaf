"""The contribution check on fixture contributions: clean passes, each problem is reported."""

from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from builder.cli import main
from builder.contrib import CODES, CheckOptions, check_contribution, run_check
from builder.contrib.safety import SIZE_LIMITS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "contrib"
CLEAN = FIXTURES / "clean"
BROKEN = FIXTURES / "broken"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Findings name files relative to the working folder, as in CI (the repository root).
    monkeypatch.chdir(REPO)


def _findings(root: Path, *paths: Path) -> set[tuple[str, int, str, str]]:
    result = check_contribution(CheckOptions(root, list(paths)))
    return {(f.path, f.line, f.severity, f.code) for f in result.findings}


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_clean_contribution_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--contrib", str(CLEAN), "--format", "text"]) == 0
    out = capsys.readouterr().out.splitlines()
    release = "release 1.0.0 (tests/fixtures/contrib/dist/1.0.0)"
    assert out[0] == f"duplicates: compared with {release}, 2 records"
    assert out[1].startswith("contributions: no problems; 8 file(s) checked")
    assert len(out) == 2


def test_bundled_example_contribution_passes() -> None:
    result = check_contribution(CheckOptions(REPO / "contrib"))
    assert result.findings == []
    assert len(result.records) >= 4


def test_publication_yaml_aliases_apply_to_its_pages() -> None:
    result = check_contribution(CheckOptions(CLEAN))
    by_file = {Path(r.shown).name: r.record for r in result.records}
    # The page says "The Nile Weekly"; the contributed publication.yaml maps it to its name.
    assert by_file["ferry-link.html"]["publication"] == "Nile Weekly"
    assert by_file["2022-04.jsonl"]["id"]


def test_a_proposed_alias_matches_every_spelling_the_registry_folds(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    # The page says "The Nile Weekly"; the proposal spells it with a hyphen.
    (root / "nile-weekly" / "publication.yaml").write_text(
        "name: Nile Weekly\naliases: [The Nile-Weekly]\n", encoding="utf-8"
    )
    result = check_contribution(CheckOptions(root))
    by_file = {Path(r.shown).name: r.record for r in result.records}
    assert by_file["ferry-link.html"]["publication"] == "Nile Weekly"


def test_pages_of_one_name_in_two_publications_get_their_own_findings(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    page = "2022-03-08-tram-line.txt"
    nested = root / "other-news" / "pages" / "2022" / page
    nested.parent.mkdir(parents=True)
    shutil.copyfile(root / "cairo-chronicle" / "pages" / page, nested)
    result = check_contribution(CheckOptions(root))
    codes = {(f.path.split("/contrib/")[-1], f.code) for f in result.findings}
    # No manifest row for the copy: no URL, no fetch date; the original keeps its row.
    assert {("other-news/pages/2022/" + page, "no_url"),
            ("other-news/pages/2022/" + page, "no_date")} <= codes
    assert not {code for where, code in codes if where.startswith("cairo-chronicle/")}
    located = {r.shown.split("/contrib/")[-1]: r.record for r in result.records}
    assert located["cairo-chronicle/pages/" + page]["source_url"].startswith("https://")


# One row per problem of tests/fixtures/contrib/broken, as `builder validate` prints it:
# "<file under broken/>:<line>: <severity>: <code>: <words of the message>".
BROKEN_CASES = [
    "notes.txt:1: error: wrong_place: files go in a publication folder",
    "Ahram_Online/pages/obelisk.txt:1: error: bad_name: must be lower-case letters",
    "cairo-chronicle/stray.txt:1: error: wrong_place: move it to tests/fixtures/contrib/broken/"
    "cairo-chronicle/pages/stray.txt",
    "cairo-chronicle/records.jsonl:1: error: wrong_place: cairo-chronicle/records/records.jsonl",
    "cairo-chronicle/pages/scan.pdf:1: error: wrong_format: pages must be plain text or HTML "
    "files (.txt, .html, .htm, .xhtml)",
    "cairo-chronicle/pages/renamed-zip.txt:1: error: archive: the file is zip data",
    "cairo-chronicle/publication.yaml:3: error: yaml_unsafe: YAML tag "
    "'!!python/object/apply:os.system' is not accepted",
    "cairo-chronicle/pages/no-body.txt:1: error: not_parsed: no_body: no body paragraphs",
    "cairo-chronicle/pages/bad-date.txt:10: error: not_parsed: bad_date: date '31 - 02 - 2022' "
    "is not a calendar date",
    "cairo-chronicle/pages/no-provenance.txt:1: error: no_url: add the row "
    "'no-provenance.txt,<url>,<fetched_at>'",
    "cairo-chronicle/pages/no-provenance.txt:1: error: no_date: no fetch date",
    "cairo-chronicle/pages/js-url.txt:1: error: no_url: fill it in on line 7 of",
    "cairo-chronicle/pages/bad-time.txt:1: error: no_date: fill it in on line 8 of",
    "cairo-chronicle/pages/with-script.html:9: warning: active_content: 1 x <script>",
    "cairo-chronicle/pages/dup-b.txt:1: error: duplicate: duplicate of c568a176b22caa37 "
    "(tests/fixtures/contrib/broken/cairo-chronicle/pages/dup-a.txt:1): the same text",
    "cairo-chronicle/pages/already-released.txt:1: error: duplicate: duplicate of "
    "f638e3ee7829eab2 in release 1.0.0: the same text",
    "cairo-chronicle/manifest.csv:4: error: path_escape: path '../../../etc/passwd' leaves",
    "cairo-chronicle/manifest.csv:5: error: manifest_invalid: no page 'missing.txt'",
    "cairo-chronicle/manifest.csv:7: error: manifest_invalid: url 'javascript:alert(1)' is not",
    "cairo-chronicle/manifest.csv:8: error: manifest_invalid: fetched_at 'yesterday' is not",
    "cairo-chronicle/records/batch.jsonl:2: error: schema: /: 'language' is a required property",
    "cairo-chronicle/records/batch.jsonl:2: error: schema: /publish_date: '2022-13-01' is not a",
    "cairo-chronicle/records/batch.jsonl:3: error: wrong_format: not a JSON object on one line",
    "cairo-chronicle/records/batch.jsonl:4: error: bad_id: /id: '94ebdb112aa0dd0a' is not the id",
    "cairo-chronicle/records/batch.jsonl:5: error: no_url: /source_url: no URL anywhere",
    "cairo-chronicle/records/batch.jsonl:5: error: no_date: /provenance/fetched_at: no fetch date",
    "cairo-chronicle/records/batch.jsonl:6: error: path_escape: /provenance/raw_path: "
    "'../../secrets/page.txt' must be relative",
    "cairo-chronicle/records/batch.jsonl:7: error: duplicate: duplicate of c9fd683712782e80 in "
    "release 1.0.0: the same id",
]
# A duplicate within the contribution needs the file it duplicates in the same run.
TOGETHER = {"cairo-chronicle/pages/dup-b.txt": ["cairo-chronicle/pages/dup-a.txt"]}


def _case(row: str) -> tuple[str, int, str, str, str]:
    where, severity, code, words = row.split(": ", 3)
    name, line = where.rsplit(":", 1)
    return name, int(line), severity, code, words


def test_broken_contribution_reports_exactly_its_problems() -> None:
    result = check_contribution(CheckOptions(BROKEN))
    got = {(f.path, f.line, f.severity, f.code) for f in result.findings}
    cases = map(_case, BROKEN_CASES)
    expected = {(f"{_rel(BROKEN)}/{n}", line, sev, code) for n, line, sev, code, _ in cases}
    assert got - expected == set(), "unexpected findings"
    assert expected - got == set(), "missing findings"
    release = "release 1.0.0 (tests/fixtures/contrib/dist/1.0.0)"
    assert result.compared_with == f"compared with {release}, 2 records"


@pytest.mark.parametrize("row", BROKEN_CASES)
def test_each_problem_alone_fails_with_file_line_and_message(
    row: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name, line, severity, code, words = _case(row)
    paths = [str(BROKEN / p) for p in [name, *TOGETHER.get(name, [])]]
    status = main(["validate", "--contrib", str(BROKEN), "--format", "text", *paths])
    out = capsys.readouterr().out
    start = f"{_rel(BROKEN)}/{name}:{line}: {severity}: {code}: "
    assert [text for text in out.splitlines() if text.startswith(start) and words in text], out
    assert status == (1 if ": error: " in out else 0)
    assert status == (1 if severity == "error" else status)


def test_only_the_latest_release_is_compared_unless_one_is_given() -> None:
    assert check_contribution(CheckOptions(CLEAN)).findings == []
    older = FIXTURES / "dist" / "0.9.0"
    (finding,) = check_contribution(CheckOptions(CLEAN, release=older)).findings
    assert finding.path.endswith("cairo-chronicle/pages/2022-03-08-tram-line.txt")
    assert finding.message.startswith("duplicate of ")
    assert f"in {older.as_posix()}: the same id" in finding.message


def test_active_content_is_only_a_warning_and_never_reaches_the_record() -> None:
    page = BROKEN / "cairo-chronicle" / "pages" / "with-script.html"
    result = check_contribution(CheckOptions(BROKEN, [page]))
    assert {f.severity for f in result.findings} == {"warning"}
    (located,) = result.records
    text = located.record["text"]
    assert "Citadel" in text
    for active in ("document.cookie", "stealSession", "javascript:", "ads.example.net"):
        assert active not in text


def _copy_clean(tmp_path: Path) -> Path:
    root = tmp_path / "contrib"
    shutil.copytree(CLEAN, root)
    return root


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", "text")
    return buffer.getvalue()


def test_symlinks_are_rejected_file_and_folder(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    pages = root / "cairo-chronicle" / "pages"
    (pages / "passwd.txt").symlink_to("/etc/passwd")
    (root / "cairo-chronicle" / "linked").symlink_to(tmp_path)
    result = check_contribution(CheckOptions(root))
    got = {(Path(f.path).name, f.code) for f in result.findings}
    assert got == {("passwd.txt", "symlink"), ("linked", "symlink")}


def test_paths_outside_the_contribution_folder_are_rejected(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    for name in ("elsewhere.txt", "escaped.txt"):
        (tmp_path / name).write_text("x")
    escaping = root / "cairo-chronicle" / ".." / ".." / "escaped.txt"
    result = check_contribution(CheckOptions(root, [tmp_path / "elsewhere.txt", escaping]))
    got = {(Path(f.path).name, f.line, f.code) for f in result.findings}
    assert got == {("elsewhere.txt", 1, "outside_contrib"), ("escaped.txt", 1, "outside_contrib")}


def test_oversized_page_is_rejected_before_it_is_read(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    big = root / "cairo-chronicle" / "pages" / "big.txt"
    big.write_bytes(b"a" * (SIZE_LIMITS["page"] + 1))
    (finding,) = check_contribution(CheckOptions(root, [big])).findings
    assert (finding.code, finding.line) == ("too_large", 1)
    assert str(SIZE_LIMITS["page"]) in finding.message


@pytest.mark.parametrize(
    "name", ["pages.zip", "pages.tar.gz", "page.txt.gz", "bundle.7z", "old.rar"]
)
def test_archives_are_rejected_by_name(tmp_path: Path, name: str) -> None:
    root = _copy_clean(tmp_path)
    target = root / "cairo-chronicle" / "pages" / name
    target.write_bytes(_zip_bytes())
    (finding,) = check_contribution(CheckOptions(root, [target])).findings
    assert finding.code == "archive"


@pytest.mark.parametrize(
    ("magic", "kind"),
    [
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"7z\xbc\xaf\x27\x1c\x00", "7z"),
        (b"Rar!\x1a\x07\x00", "rar"),
        (b"BZh91AY&SY", "bzip2"),
        (b"\x00" * 257 + b"ustar\x0000", "tar"),
    ],
)
def test_archives_are_rejected_by_magic_bytes(tmp_path: Path, magic: bytes, kind: str) -> None:
    root = _copy_clean(tmp_path)
    target = root / "cairo-chronicle" / "pages" / "looks-like-text.txt"
    target.write_bytes(magic + b"\x00" * 600)
    (finding,) = check_contribution(CheckOptions(root, [target])).findings
    assert (finding.code, kind in finding.message) == ("archive", True)


@pytest.mark.parametrize(
    ("text", "line", "code", "words"),
    [
        ("name: X\naliases: &a [X1]\ndomains: *a\n", 2, "yaml_unsafe", "anchor/alias"),
        ("%TAG ! tag:example.com,2000:\n---\nname: !thing X\n", 1, "yaml_unsafe", "%TAG"),
        ("name: X\nslogan: news\n", 2, "yaml_invalid", "unknown key 'slogan'"),
        (
            "name: X\ndomains: [https://x.example.com/]\n",
            2,
            "yaml_invalid",
            "must be a lower-case host",
        ),
        ("name: [unclosed\n", 2, "yaml_invalid", "not valid YAML"),
        ("aliases: [Ahram]\n", 1, "yaml_invalid", "'name' is missing"),
        (
            "name: Cairo Chronicle\naliases: [Ahram Online]\n",
            2,
            "registry_conflict",
            "already names 'Ahram Online'",
        ),
        (
            "name: Cairo Chronicle\ndomains: [reuters.com]\n",
            2,
            "registry_conflict",
            "already belongs to 'Reuters'",
        ),
        # The registry folds case, spacing and punctuation: this spelling is Ahram Online's.
        (
            "name: Cairo Chronicle\naliases: [AHRAM-online!]\n",
            2,
            "registry_conflict",
            "already names 'Ahram Online'",
        ),
        ("name: Cairo Chronicle\naliases: ['--']\n", 2, "yaml_invalid", "no letter or digit"),
    ],
)
def test_publication_yaml_problems(
    tmp_path: Path, text: str, line: int, code: str, words: str
) -> None:
    root = _copy_clean(tmp_path)
    target = root / "cairo-chronicle" / "publication.yaml"
    target.write_text(text)
    findings = check_contribution(CheckOptions(root, [target])).findings
    assert findings and (findings[0].line, findings[0].code) == (line, code)
    assert words in findings[0].message


def test_two_manifests_in_one_publication_are_rejected(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    second = root / "cairo-chronicle" / "manifest.jsonl"
    second.write_text('{"path": "2022-03-08-tram-line.txt", "url": "", "fetched_at": ""}\n')
    codes = {(Path(f.path).name, f.code) for f in check_contribution(CheckOptions(root)).findings}
    assert ("manifest.jsonl", "wrong_place") in codes


def test_hidden_and_oddly_named_files_are_rejected(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    (root / "cairo-chronicle" / "pages" / ".DS_Store").write_bytes(b"\x00\x00")
    (root / "cairo-chronicle" / "pages" / "my page.txt").write_text("x")
    got = {(Path(f.path).name, f.code) for f in check_contribution(CheckOptions(root)).findings}
    assert got == {(".DS_Store", "bad_name"), ("my page.txt", "bad_name")}


def test_every_finding_code_is_documented_in_contributing() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert missing == []


def test_plain_validate_without_files_or_contrib_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate"]) == 2
    assert "--contrib" in capsys.readouterr().err


def test_run_check_returns_failure_status_only_for_errors() -> None:
    out = io.StringIO()
    page = BROKEN / "cairo-chronicle" / "pages" / "with-script.html"
    assert run_check(CheckOptions(BROKEN, [page]), "text", out, env={}) == 0
    assert "1 warning(s)" in out.getvalue()
    assert os.path.isfile(page)


def test_missing_dedup_extra_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As without the extra: builder.dedup not imported yet, and its dependencies blocked
    # (a None entry in sys.modules makes their import fail).
    for name in [name for name in sys.modules if name.startswith("builder.dedup")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("rensa", "xxhash"):
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["validate", "--contrib", str(CLEAN), "--format", "text"]) == 2
    err = capsys.readouterr().err
    assert "the duplicate check needs the dedup extra" in err
    assert "pip install -e '.[dedup]'" in err


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    root = _copy_clean(tmp_path)
    fifo = root / "cairo-chronicle" / "pages" / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block the check forever
    (finding,) = check_contribution(CheckOptions(root, [fifo])).findings
    assert finding.code == "wrong_format"
    assert finding.message == "not a regular file (a pipe, socket or device)"


@pytest.mark.parametrize(("args", "message"), [
    (["--contrib", "no/such/folder"], "no/such/folder: no such contribution folder"),
    (["--contrib", str(CLEAN), "--base", "main", str(CLEAN)], "either --base REF or the files"),
    (["--base", "main", "x.jsonl"], "--base and --release go with --contrib FOLDER"),
])
def test_usage_mistakes_are_one_line_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", *args]) == 2
    assert message in capsys.readouterr().err


def test_jsonl_manifest_reports_every_bad_line_and_keeps_the_good_rows(tmp_path: Path) -> None:
    from builder.contrib.manifest import read_manifest

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("page", encoding="utf-8")
    path = tmp_path / "manifest.jsonl"
    path.write_text(
        '{"path": "a.txt", "url": "https://x.org/a", "fetched_at": "2024-01-02T03:04:05Z"}\n'
        '\n{"path": "b.txt",\n["a.txt", null, null]\n',
        encoding="utf-8",
    )
    manifest = read_manifest(path, "m.jsonl", pages)
    assert list(manifest.rows) == ["a.txt"]
    assert [(f.line, f.code, f.message.split(":")[0]) for f in manifest.findings] == [
        (3, "manifest_invalid", "not valid JSON"),
        (4, "manifest_invalid", "each line must be a JSON object with path, url, fetched_at"),
    ]
