"""The dataset card.

Hub metadata checked offline, parsed back by huggingface_hub, rendered as Markdown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.card.data import SIZE_CATEGORIES, size_category
from builder.card.figures import draw_figures
from builder.card.render import split_card
from builder.card.stats import RecordStats
from builder.config import HUB_LICENSES, hub_language_codes
from builder.release.shards import shard_paths
from builder.schema_features import features_from_schema, iter_leaves, record_fields
from builder.validate.schema import load_schema

from .release_corpus import make_record, write_test_release

REJECTS = {
    "pages": 14,
    "records": 12,
    "rejects": 2,
    "rejects_by_reason": {"empty_file": 1, "no_title": 1},
}
REPORT = [
    {"id": "ffff000000000001", "kept": "0000000000000001", "method": "exact_text"},
    {"id": "ffff000000000002", "kept": "0000000000000002", "method": "near_duplicate"},
    {"id": "ffff000000000003", "kept": "0000000000000003", "method": "near_duplicate"},
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [make_record(i) for i in range(12)]
    records[0]["publish_date"] = None
    return write_test_release(
        tmp_path_factory.mktemp("card"),
        records,
        build=REJECTS,
        dedup_report=REPORT,
        languages=["en", "ar"],
    )


def _card(release: Path) -> tuple[dict[str, Any], str]:
    return split_card((release / "README.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("rows", "label"),
    [
        (0, "n<1K"),
        (999, "n<1K"),
        (1_000, "1K<n<10K"),
        (99_999, "10K<n<100K"),
        (100_000, "100K<n<1M"),
        (5_000_000, "1M<n<10M"),
        (2_000_000_000_000, "n>1T"),
    ],
)
def test_size_category_of_row_counts(rows: int, label: str) -> None:
    assert size_category(rows) == label


def test_size_category_labels_are_the_hubs() -> None:
    from importlib import resources

    known = json.loads(
        resources.files("datasets.utils.resources").joinpath("size_categories.json").read_text()
    )
    assert {label for _, label in SIZE_CATEGORIES} | {"n>1T"} <= set(known)


def test_metadata_is_valid_for_the_hub_offline(release: Path) -> None:
    meta, _ = _card(release)
    assert meta["license"] in HUB_LICENSES
    assert meta["language"] == ["en", "ar"] and set(meta["language"]) <= hub_language_codes()
    assert meta["size_categories"] == ["n<1K"]
    assert meta["pretty_name"] == "Test News" and meta["task_categories"] == ["text-generation"]


def test_configs_data_files_match_exactly_the_shards(release: Path) -> None:
    meta, _ = _card(release)
    [config] = meta["configs"]
    [entry] = config["data_files"]
    assert entry["split"] == "train"
    matched = sorted(release.glob(entry["path"]))
    assert matched == shard_paths(release) and matched


def test_dataset_info_matches_the_data(release: Path) -> None:
    meta, _ = _card(release)
    info = meta["dataset_info"]
    assert info["features"] == features_from_schema(load_schema())._to_yaml_list()
    assert info["splits"] == [
        {"name": "train", "num_bytes": info["dataset_size"], "num_examples": 12}
    ]
    assert info["download_size"] == sum(p.stat().st_size for p in shard_paths(release))


def test_huggingface_hub_parses_the_card_back(release: Path) -> None:
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard, DatasetCardData

    meta, _ = _card(release)
    card = DatasetCard.load(release / "README.md")
    assert card.data.to_dict() == meta
    assert DatasetCardData(**meta).to_dict() == meta
    assert yaml.safe_load(card.data.to_yaml()) == meta
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert infos["default"].features == features_from_schema(load_schema())
    assert infos["default"].splits["train"].num_examples == 12


def _html(release: Path) -> str:
    from markdown_it import MarkdownIt

    _, body = _card(release)
    return MarkdownIt("commonmark").enable("table").render(body)


def test_card_renders_its_sections_tables_and_figures(release: Path) -> None:
    html = _html(release)
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == [
        "Summary",
        "How to load",
        "An example record",
        "Fields",
        "Sources",
        "Processing",
        "Changes since the previous release",
        "Personal data and takedowns",
        "Limitations and biases",
        "Licensing",
        "Citation",
        "Files and links",
    ]
    images = re.findall(r'<img src="([^"]+)"', html)
    assert sorted(images) == ["figures/records_per_month.png", "figures/text_length.png"]
    assert all((release / image).is_file() for image in images)
    tables = html.count("<table>")
    assert tables == 4  # fields, sources, rejects, duplicates


def test_field_table_has_one_row_per_schema_field(release: Path) -> None:
    _, body = _card(release)
    for path, field in iter_leaves(record_fields(load_schema())):
        row = next(line for line in body.splitlines() if line.startswith(f"| `{path}` |"))
        assert " ".join(field.description.split())[:40] in row


def test_loading_code_in_the_card_is_python(release: Path) -> None:
    _, body = _card(release)
    blocks = re.findall(r"```python\n(.*?)```", body, flags=re.S)
    assert len(blocks) == 2
    for block in blocks:
        compile(block, "card", "exec")
    assert 'load_dataset("example/test-news", revision="1.0.0", split="train")' in blocks[0]


def test_sources_and_processing_come_from_the_data(release: Path) -> None:
    _, body = _card(release)
    assert "| Ahram Online | 6 | 2021-02-02 | 2021-12-12 | 0 |" in body
    assert "| Daily News Egypt | 6 | 2021-03-03 | 2021-11-11 | 1 |" in body
    assert "| `empty_file` | 1 |" in body and "| `no_title` | 1 |" in body
    assert "| exact_text | 1 |" in body and "| near_duplicate | 2 |" in body
    assert "14 page(s): 12 became records and 2 were rejected" in body


def _png_chunks(data: bytes) -> list[bytes]:
    chunks, offset = [], 8
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        chunks.append(data[offset + 4 : offset + 8])
        offset += 12 + length
    return chunks


def test_figures_are_byte_identical_and_carry_no_timestamp(tmp_path: Path) -> None:
    records = [make_record(i) for i in range(30)]
    first, second = tmp_path / "a", tmp_path / "b"
    drawn = draw_figures(RecordStats.of(records), first)
    assert (
        drawn
        == draw_figures(RecordStats.of(records), second)
        == ["figures/records_per_month.png", "figures/text_length.png"]
    )
    for name in drawn:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes()
        assert data.startswith(b"\x89PNG") and b"tIME" not in _png_chunks(data)
        assert b"Software" not in data and b"matplotlib" not in data


def test_no_date_no_month_figure(tmp_path: Path) -> None:
    records = [make_record(i, publish_date=None) for i in range(3)]
    assert draw_figures(RecordStats.of(records), tmp_path) == ["figures/text_length.png"]


def _resource(name: str) -> Any:
    from importlib import resources

    text = resources.files("datasets.utils.resources").joinpath(name).read_text()
    return json.loads(text)


def test_every_metadata_key_is_one_the_hub_documents(release: Path) -> None:
    """Keys are DatasetCardData's own arguments, or the documented extras it keeps."""
    import inspect

    from huggingface_hub import DatasetCardData

    meta, _ = _card(release)
    documented = set(inspect.signature(DatasetCardData.__init__).parameters) - {"self", "kwargs"}
    extras = {"configs", "dataset_info", "license_name", "license_link", "tags"}
    assert set(meta) <= documented | extras
    # every argument that applies to a crawled news corpus is given
    assert {
        "language",
        "license",
        "annotations_creators",
        "language_creators",
        "multilinguality",
        "size_categories",
        "source_datasets",
        "task_categories",
        "task_ids",
        "pretty_name",
    } <= set(meta)
    creators = _resource("creators.json")
    assert set(meta["language_creators"]) <= set(creators["language"])
    assert set(meta["annotations_creators"]) <= set(creators["annotations"])
    assert meta["multilinguality"] == ["multilingual"]  # en and ar
    assert set(meta["multilinguality"]) <= set(_resource("multilingualities.json"))
    assert meta["task_ids"] == ["language-modeling"] and meta["tags"] == ["news"]


def test_mixed_rights_declare_other_and_link_the_licence_file(release: Path) -> None:
    meta, body = _card(release)
    assert (meta["license"], meta["license_link"]) == ("other", "LICENSE.md")
    assert meta["license_name"] == "cc-by-4.0-metadata-publisher-texts"
    licence = (release / "LICENSE.md").read_text()
    assert "under `cc-by-4.0`" in licence and "remain the work of their publishers" in licence
    section = body.split("## Licensing", 1)[1].split("\n## ", 1)[0]
    assert "under `cc-by-4.0`" in section and "remain the work of their publishers" in section


def test_texts_under_the_dataset_licence_need_no_other(tmp_path: Path) -> None:
    release = write_test_release(tmp_path, [make_record(1)], texts_license="cc-by-4.0")
    meta, body = _card(release)
    assert meta["license"] == "cc-by-4.0" and "license_link" not in meta
    assert not (release / "LICENSE.md").exists()
    assert "the article titles and texts included, is under `cc-by-4.0`" in body
    assert "remain the work of their publishers" not in body
    assert meta["multilinguality"] == ["monolingual"]


def test_personal_data_note_and_example_record(release: Path) -> None:
    from builder.release.shards import read_release_records

    _, body = _card(release)
    records = read_release_records(release)
    named = sum(1 for r in records if r["authors"])
    assert f"{named} of the {len(records)} records name their authors" in body
    example = json.loads(re.search(r"```json\n(.*?)```", body, flags=re.S).group(1))
    written = next(r for r in records if r["id"] == example["id"])
    assert written["source_url"] and written["publish_date"]  # the first complete record
    assert {k: v for k, v in example.items() if k != "text"} == {
        k: v for k, v in written.items() if k != "text"
    }
    assert written["text"].startswith(example["text"].removesuffix(" [...]"))


def test_card_links_point_at_files_of_the_release(release: Path) -> None:
    _, body = _card(release)
    links = set(re.findall(r"\]\(([^)#:]+)\)", body))
    assert {"CHANGELOG.md", "schema.json", "SHA256SUMS", "reports/takedowns.jsonl"} <= links
    assert all((release / link).is_file() for link in links), links
    assert "https://huggingface.co/datasets/example/test-news" in body
