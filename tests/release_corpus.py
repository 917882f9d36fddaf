"""Small corpora and records made up for the release tests, in the formats real pages use.

Pages follow the aggregator's text-dump layout (headline ticker, report widget, title,
"Published in <publication> on DD - MM - YYYY", paragraphs, footer). Texts are drawn
from a fixed word list with a seeded generator, so every article is distinct (no
accidental near duplicates) and every run makes the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

WORDS = (
    "ministry council river harbour budget railway school hospital desert market museum bridge "
    "farmers exports water grid summit delegation talks treaty court ruling election turnout "
    "festival cinema novel heritage tomb excavation pottery league match striker coach season "
    "inflation currency bonds deficit tourism hotel airport cargo canal tanker wheat cotton "
    "governor province village clinic vaccine doctors nurses teachers students exam results "
    "solar wind plant cable station pipeline refinery port tariff customs ferry highway"
).split()
TICKER = "Markets close higher    Ferry line reopens    New museum wing opens    "
WIDGET = (
    "Thank you for reporting!\n"
    "This image will be automatically disabled when it gets reported by several people."
)
FOOTER = "Clic here to read the story from its source."


def paragraphs(seed: int, count: int = 3, words: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(count)
    ]


def aggregator_page(
    title: str, publication: str, date: tuple[int, int, int], body: list[str]
) -> str:
    day, month, year = date
    return (
        f"{TICKER}\n\n\n{WIDGET}\n\n\n\n{title}\nPublished in {publication} on "
        f"{day:02d} - {month:02d} - {year}\n\n" + "\n".join(body) + f"\n\n\n{FOOTER}"
    )


@dataclass
class Article:
    path: str  # relative to the pages folder
    title: str
    publication: str
    date: tuple[int, int, int]  # day, month, year
    seed: int
    url: str | None = None
    fetched_at: str | None = None

    def text(self) -> str:
        return aggregator_page(self.title, self.publication, self.date, paragraphs(self.seed))


@dataclass
class Corpus:
    articles: list[Article]
    broken: dict[str, bytes] = field(
        default_factory=dict
    )  # path -> bytes of pages that must be rejected


def base_corpus() -> Corpus:
    """Eight articles of two publications over three months, plus two broken pages."""
    articles = []
    for i in range(8):
        publication = "Ahram Online" if i % 3 else "Daily News Egypt"
        slug = "ahram-online" if i % 3 else "daily-news-egypt"
        url = f"https://www.aggregator.example/en/{slug}/{1000 + i}" if i % 2 == 0 else None
        fetched = (
            f"2023-0{1 + i % 3}-1{i}T08:30:00Z" if i >= 4 else None
        )  # first shard: fetched_at all null
        articles.append(
            Article(
                f"en/{slug}/article-{i}.txt",
                f"Story number {i} about the {WORDS[i * 7]}",
                publication,
                (10 + i, 1 + i % 3, 2023),
                seed=i,
                url=url,
                fetched_at=fetched,
            )
        )
    return Corpus(
        articles, broken={"en/other/empty.txt": b"", "en/other/notes.pdf": b"%PDF-1.4 not a page"}
    )


def write_corpus(corpus: Corpus, root: Path) -> tuple[Path, Path]:
    """Write pages and the manifest under root; returns (pages folder, manifest path)."""
    pages = root / "pages"
    for article in corpus.articles:
        path = pages / article.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.text(), encoding="utf-8")
    for name, data in corpus.broken.items():
        (pages / name).parent.mkdir(parents=True, exist_ok=True)
        (pages / name).write_bytes(data)
    manifest = root / "manifest.csv"
    rows = ["path,url,fetched_at"] + [
        f"{a.path},{a.url or ''},{a.fetched_at or ''}" for a in corpus.articles
    ]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return pages, manifest


def config_dict(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "name": "test-news",
        "pretty_name": "Test News",
        "description": "Articles made up for tests.",
        "license": "cc-by-4.0",
        "homepage": "https://example.org/test-news",
        "repo_id": "example/test-news",
        "languages": ["en"],
        "task_categories": ["text-generation"],
        "inputs": ["pages"],
        "manifest": "manifest.csv",
        "shard_size": 2048,
        "dedup": {},
        "releases": {"1.0.0": {"date": "2024-01-15", "notes": "First."}},
    }
    config.update(overrides)
    return config


def write_config(root: Path, **overrides: Any) -> Path:
    path = root / "dataset.yaml"
    path.write_text(yaml.safe_dump(config_dict(**overrides), sort_keys=False), encoding="utf-8")
    return path


def make_record(i: int, **changes: Any) -> dict[str, Any]:
    """A schema-valid record (schema 1.x) for tests that write releases directly."""
    record: dict[str, Any] = {
        "id": f"{i:016x}",
        "title": f"Title {i}",
        "text": " ".join(paragraphs(i, 2, 12)),
        "publication": "Ahram Online" if i % 2 else "Daily News Egypt",
        "publish_date": f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "source_url": f"https://example.org/a/{i}",
        "language": "en",
        "authors": [f"Author {i}"] if i % 2 else [],
        "merged_copies": [],
        "provenance": {
            "raw_path": f"p/{i}.txt",
            "raw_sha256": f"{i:064x}",
            "source_format": "aggregator_text",
            "container": "file",
            "warc_record_id": None,
            "fetched_at": f"2022-03-0{1 + i % 9}T10:1{i % 10}:00Z",
            "parser": "aggregator_text",
            "parser_version": "1.1.0",
            "builder_version": "0.1.0",
        },
    }
    record.update(changes)
    return record


def write_records_file(path: Path, records: list[dict[str, Any]]) -> Path:
    """Records as the dedup stage hands them to a release: JSON lines sorted by id."""
    from builder.write.jsonl import write_jsonl

    write_jsonl(path, sorted(records, key=lambda r: r["id"]))
    return path


def write_report_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    from builder.write.jsonl import write_jsonl

    write_jsonl(path, rows)
    return path


def write_test_release(
    root: Path,
    records: list[dict[str, Any]],
    version: str = "1.0.0",
    build: dict[str, Any] | None = None,
    dedup_report: list[dict[str, Any]] | None = None,
    batch_records: int | None = None,
    **config_overrides: Any,
) -> Path:
    """A release folder root/<version> written straight from records (no build, no dedup)."""
    from builder.config import load_config
    from builder.release.write import ReleaseContent, write_release
    from builder.validate.schema import load_schema, schema_path

    (root / "pages").mkdir(parents=True, exist_ok=True)
    (root / "manifest.csv").write_text("path,url,fetched_at\n")
    config = load_config(write_config(root, **config_overrides))
    content = ReleaseContent(
        records=write_records_file(root / "records.jsonl", records),
        schema=load_schema(),
        schema_bytes=schema_path().read_bytes(),
        build=build or {"pages": len(records), "records": len(records), "rejects": 0},
        dedup_report=write_report_file(root / "dedup_report.jsonl", dedup_report or []),
    )
    if batch_records is not None:
        content = replace(content, batch_records=batch_records)
    folder = root / version
    folder.mkdir()
    write_release(folder, config, version, content)
    return folder
