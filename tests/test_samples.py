"""The sample corpus: generated files reproduce, and each good page becomes the right record."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from .conftest import SAMPLES, SampleBuild

GENERATED = SAMPLES / "pages" / "generated"
BOILERPLATE = [
    "Thank you for reporting",
    "automatically disabled",
    "Clic here",
    "read the story from its source",
    "شكرا على الإبلاغ",
    "سيتم حجب هذه الصورة",
    "اضغط هنا لقراءة",
]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_committed_generated_samples_equal_a_fresh_generation(tmp_path: Path) -> None:
    _generator().write(tmp_path / "generated")
    fresh, committed = _tree(tmp_path / "generated"), _tree(GENERATED)
    assert sorted(fresh) == sorted(committed), "run: python samples/make_samples.py"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"stale generated samples {changed}; run: python samples/make_samples.py"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generator = _generator()
    assert generator.generate() == generator.generate()


def _records(build: SampleBuild) -> list[dict]:
    return [orjson.loads(line) for line in (build.out / "records.jsonl").read_bytes().splitlines()]


def _by_path(build: SampleBuild) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for record in _records(build):
        found.setdefault(record["provenance"]["raw_path"], []).append(record)
    return found


# raw path -> (title, publication, publish_date, language, source_url, paragraphs)
EXPECTED = {
    "aggregator/en/egypt-independent/cumin-prices-qa.txt": (
        "Q&A: Why cumin prices doubled in Cairo's spice markets",
        "Egypt Independent",
        "2024-02-12",
        "en",
        None,
        4,
    ),
    "aggregator/en/daily-news-egypt/sczone-green-ammonia.txt": (  # "DNE" in the date line
        "Suez Canal Economic Zone signs green ammonia land deal",
        "Daily News Egypt",
        "2024-01-30",
        "en",
        None,
        5,
    ),
    "aggregator/en/daily-news-egypt/beni-suef-school-meals.txt": (  # extra blank lines
        "Schools in Beni Suef start serving hot meals under pilot scheme",
        "Daily News Egypt",
        "2023-10-24",
        "en",
        None,
        4,
    ),
    "aggregator/en/egypt-today/hurghada-regatta.txt": (  # no footer
        "Hurghada marina to host first Red Sea sailing regatta",
        "Egypt Today",
        "2023-10-10",
        "en",
        None,
        4,
    ),
    # no date line: the publication comes from the manifest URL's domain
    "aggregator/en/egypt-today/alexandria-court-records.txt": (
        "Alexandria library digitises 20,000 pages of Ottoman-era court records",
        "Egypt Today",
        None,
        "en",
        "https://www.egypttoday.com/Article/4/129870/Alexandria-library-digitises-20-000-pages-of-Ottoman-era",
        3,
    ),
    "aggregator/en/ahram-online/kom-ombo-workshops.txt": (  # three ticker lines
        "Three Ptolemaic-era workshops unearthed near Kom Ombo",
        "Ahram Online",
        "2022-11-02",
        "en",
        None,
        5,
    ),
    "aggregator/en/other/cairo-metro-contactless.txt": (
        "Cairo metro to accept contactless bank cards at all stations by June",
        "The Cairo Commuter Weekly",
        "2024-04-03",
        "en",
        None,
        4,
    ),
    "aggregator/ar/al-ahram/book-fair-visitors.txt": (  # Eastern Arabic digits
        "معرض الإسكندرية للكتاب يستقبل 200 ألف زائر في أسبوعه الأول",
        "Al-Ahram",
        "2022-05-12",
        "ar",
        None,
        4,
    ),
    "aggregator/ar/al-ahram/dates-harvest.txt": (  # Arabic, no footer
        "موسم حصاد البلح في الوادي الجديد يبدأ مبكرا هذا العام",
        "Al-Ahram",
        "2023-08-29",
        "ar",
        None,
        3,
    ),
    "aggregator/ar/other/qena-bridge.txt": (  # no ticker, unregistered Arabic name
        "بدء تشغيل الكوبري الجديد على النيل في قنا تجريبيا",
        "صوت الصعيد",
        "2023-12-03",
        "ar",
        None,
        3,
    ),
    "generated/encodings/cafe-riche-cp1252.txt": (
        "Café Riche reopens after a year of restoration work",
        "Ahram Online",
        "2023-05-08",
        "en",
        None,
        4,
    ),
    "generated/encodings/metro-line3-cp1256.txt": (
        "افتتاح 4 محطات جديدة في الخط الثالث لمترو الأنفاق",
        "Al-Masry Al-Youm",
        "2024-01-16",
        "ar",
        None,
        3,
    ),
    "generated/encodings/assiut-endoscopy-training-bom-crlf.txt": (
        "جامعة أسيوط تطلق برنامجا لتدريب الأطباء على الجراحة بالمنظار",
        "Youm7",
        "2023-02-09",
        "ar",
        None,
        4,
    ),
    "generated/encodings/startups-first-half-crlf.txt": (
        "Egyptian startups raise $92m in first half, report finds",
        "Daily News Egypt",
        "2023-07-19",
        "en",
        None,
        6,
    ),
    "generated/gzip/electric-buses.html.gz": (
        "First Egyptian-assembled electric buses roll off Helwan line",
        "Egypt Today",
        "2024-02-05",
        "en",
        "https://www.egypttoday.com/Article/3/128455/First-Egyptian-assembled-electric-buses-roll-off-Helwan-line",
        4,
    ),
    "generated/warc/dne-2024-06.warc": (
        "Egypt's non-oil private sector contracts at slower pace in May",
        "Daily News Egypt",
        "2024-06-04",
        "en",
        "https://www.dailynewsegypt.com/2024/06/04/egypts-non-oil-private-sector-contracts-at-slower-pace-in-may/",
        4,
    ),
    "html/shorouknews/diabetes-screening.html": (
        "الصحة تطلق حملة للكشف المبكر عن السكري بين طلاب المدارس",
        "Al-Shorouk",
        "2023-10-15",
        "ar",
        "https://www.shorouknews.com/news/view.aspx?cdate=15102023&id=7c1e2b4a",
        4,
    ),
}


@pytest.mark.parametrize("raw_path", sorted(EXPECTED))
def test_sample_page_becomes_the_expected_record(sample_build: SampleBuild, raw_path: str) -> None:
    [record] = _by_path(sample_build)[raw_path]
    title, publication, date, language, url, paragraphs = EXPECTED[raw_path]
    assert record["title"] == title
    assert record["publication"] == publication
    assert record["publish_date"] == date
    assert record["language"] == language
    assert record["source_url"] == url
    assert len(record["text"].split("\n\n")) == paragraphs


def test_every_format_and_container_yields_records(sample_build: SampleBuild) -> None:
    records = _records(sample_build)
    seen = {(r["provenance"]["source_format"], r["provenance"]["container"]) for r in records}
    assert {
        ("aggregator_text", "file"),
        ("aggregator_text", "gzip"),
        ("html", "file"),
        ("html", "gzip"),
        ("html", "warc"),
    } <= seen
    assert {r["language"] for r in records} == {"ar", "en"}
    assert len({r["publication"] for r in records}) >= 10


def test_warc_pages_carry_url_fetch_time_and_record_id(sample_build: SampleBuild) -> None:
    crawl = _by_path(sample_build)["generated/warc/crawl-2023-11.warc.gz"]
    assert [r["provenance"]["fetched_at"] for r in crawl] == [
        "2023-11-03T07:00:12Z",
        "2023-11-03T07:01:40Z",
        "2023-11-03T07:03:05Z",
    ]
    assert all(r["provenance"]["warc_record_id"].startswith("<urn:uuid:") for r in crawl)
    arabic = crawl[2]  # cp1256 bytes, declared by the HTTP header
    assert arabic["title"] == "محافظ الجيزة يفتتح مدرسة جديدة في أوسيم بتكلفة 25 مليون جنيه"
    assert arabic["publication"] == "Youm7"


def test_the_interrupted_crawl_keeps_its_whole_page_which_the_recrawl_has_too(
    sample_build: SampleBuild,
) -> None:
    by_path = _by_path(sample_build)
    [first] = by_path["generated/warc/crawl-interrupted.warc.gz"]
    [again] = by_path["generated/warc/ahram-recrawl-2024-05.warc.gz"]  # gzipped as one stream
    assert first["title"] == "Egypt's long-staple cotton exports rebound in 2023/24 season"
    assert (first["id"], first["text"]) == (again["id"], again["text"])
    assert (first["provenance"]["fetched_at"], again["provenance"]["fetched_at"]) == (
        "2024-04-23T05:10:00Z",
        "2024-05-02T10:00:04Z",
    )


def test_rescrapes_of_one_article_share_id_and_url(sample_build: SampleBuild) -> None:
    by_path = _by_path(sample_build)
    copies = [
        by_path[p][0]
        for p in (
            "aggregator/en/ahram-online/sohag-desalination.txt",
            "aggregator/en/ahram-online/sohag-desalination-rescrape.txt",
            "generated/gzip/sohag-desalination-rescrape.txt.gz",
        )
    ]
    assert len({r["id"] for r in copies}) == 1
    assert {r["source_url"] for r in copies} == {
        "https://www.aggregator.example/en/ahram-online/5512034"
    }
    assert len({r["text"] for r in copies}) == 1  # a different ticker never leaks into the text
    assert [r["provenance"]["fetched_at"] for r in copies] == [
        "2023-03-14T18:20:00Z",
        "2023-03-15T06:02:11Z",
        "2023-03-20T09:45:00Z",
    ]


@pytest.mark.parametrize(
    "pair",
    [
        (
            "aggregator/en/ahram-online/power-grid-sudan.txt",
            "aggregator/en/egypt-independent/power-grid-sudan-mena.txt",
        ),
        (
            "aggregator/ar/al-ahram/wheat-reserves.txt",
            "aggregator/ar/youm7/wheat-reserves-mena.txt",
        ),
    ],
)
def test_syndicated_wire_story_is_two_records_with_one_text(
    sample_build: SampleBuild, pair: tuple[str, str]
) -> None:
    by_path = _by_path(sample_build)
    first, second = (by_path[p][0] for p in pair)
    assert first["text"] == second["text"]
    assert first["publication"] != second["publication"]
    assert first["id"] != second["id"]


def test_no_record_carries_ticker_widget_or_footer(sample_build: SampleBuild) -> None:
    tickers = []
    for path in (SAMPLES / "pages" / "aggregator").rglob("*.txt"):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        if "\u00a0" * 4 in first:
            tickers += [h for h in first.split("\u00a0" * 4) if h.strip()]
    assert len(tickers) > 50
    for record in _records(sample_build):
        if record["provenance"]["source_format"] != "aggregator_text":
            continue
        kept = record["title"] + "\n" + record["text"]
        for phrase in BOILERPLATE + tickers:
            assert phrase not in kept, (record["provenance"]["raw_path"], phrase)


def test_record_text_is_clean(sample_build: SampleBuild) -> None:
    for record in _records(sample_build):
        for field in ("title", "text", "publication"):
            value = record[field]
            assert value == value.strip()
            assert not any(c in value for c in "\x07\u00ad\u200b\ufeff\r\t\u00a0"), (
                field,
                value[:60],
            )
            assert "&amp;" not in value and "&#39;" not in value
        assert "\n\n\n" not in record["text"]
