"""What the dataset card says, computed from the records, the build's stats and the schema.

`card_metadata` is the YAML block the Hub reads (and `load_dataset` uses: configs and the
declared features); `card_context` is what the Markdown template shows. Nothing here is
typed by hand: counts come from the data (summarised in one pass, see stats.py), fields
from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import DATA_FILES_GLOB, PARQUET_GLOB, SPLIT, DatasetConfig
from ..errors import REJECT_REASONS
from ..model import Changes
from ..schema_features import features_from_schema, iter_leaves, record_fields, type_label
from .citation import citation
from .stats import RecordStats

# Upper bounds of the Hub's size_categories, in the order of the list the `datasets`
# package ships (datasets/utils/resources/size_categories.json).
SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (10_000_000_000, "1B<n<10B"),
    (100_000_000_000, "10B<n<100B"),
    (1_000_000_000_000, "100B<n<1T"),
)


# The Hub's task ids a task category of this corpus supports with the fields records have:
# a text corpus for language modelling, and `language` as a label for identification.
TASK_IDS = {
    "text-generation": "language-modeling",
    "fill-mask": "masked-language-modeling",
    "text-classification": "language-identification",
    "text-retrieval": "document-retrieval",
}
LICENSE_FILE = "LICENSE.md"  # written when the texts' rights differ from the dataset's licence
EXAMPLE_TEXT_CHARS = 300  # the card's example record shows the start of its text


def mixed_rights(config: DatasetConfig) -> bool:
    """Whether the texts are not under the dataset's own licence (then the Hub sees `other`)."""
    return config.license != "other" and config.texts_license != config.license


def license_metadata(config: DatasetConfig) -> dict[str, str]:
    """license (and license_name, license_link) as the Hub reads them.

    When the texts are not under the dataset's licence, one Hub id cannot say it: the card
    declares `other` and links LICENSE.md, which separates the two.
    """
    if config.license == "other":
        return {
            "license": "other",
            "license_name": str(config.license_name),
            "license_link": str(config.license_link),
        }
    if not mixed_rights(config):
        return {"license": config.license}
    texts = (
        "publisher-texts"
        if config.texts_license == "publishers"
        else (f"{config.texts_license}-texts")
    )
    return {
        "license": "other",
        "license_name": f"{config.license}-metadata-{texts}",
        "license_link": LICENSE_FILE,
    }


def size_category(rows: int) -> str:
    for bound, label in SIZE_CATEGORIES:
        if rows < bound:
            return label
    return "n>1T"


@dataclass
class CardInput:
    """Everything a card is made from; built by the release, checked again by verify."""

    config: DatasetConfig
    version: str
    schema: dict[str, Any]
    stats: RecordStats  # counts over the release's records
    num_bytes: int  # Arrow size of the split (see schema_features.arrow_nbytes)
    download_size: int  # bytes of the data files as stored
    changes: Changes
    build: dict[str, Any] = field(default_factory=dict)  # the build Summary as JSON
    dedup_removed: dict[str, int] = field(default_factory=dict)  # method -> records removed
    dedup_params: dict[str, Any] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    parquet_files: list[str] = field(default_factory=list)
    tombstones: int = 0  # takedowns in force (reports/takedowns.jsonl)
    taken_down: int = 0  # records this release dropped for a takedown


def card_metadata(card: CardInput) -> dict[str, Any]:
    """The card's YAML metadata, in the Hub's keys."""
    config = card.config
    meta: dict[str, Any] = {"pretty_name": config.pretty_name, **license_metadata(config)}
    task_ids = sorted({TASK_IDS[t] for t in config.task_categories if t in TASK_IDS})
    meta.update(
        {
            "language": list(config.languages),
            "multilinguality": ["multilingual" if len(config.languages) > 1 else "monolingual"],
            "language_creators": ["found"],  # texts written by the publications, collected
            "annotations_creators": ["no-annotation"],  # no labels beyond the page's own data
            "source_datasets": ["original"],
            "task_categories": list(config.task_categories),
            **({"task_ids": task_ids} if task_ids else {}),
            "tags": list(config.tags),
            "size_categories": [size_category(card.stats.rows)],
            "configs": [
                {
                    "config_name": "default",
                    "data_files": [{"split": SPLIT, "path": DATA_FILES_GLOB}],
                }
            ],
            "dataset_info": {
                "features": features_from_schema(card.schema)._to_yaml_list(),
                "splits": [
                    {"name": SPLIT, "num_bytes": card.num_bytes, "num_examples": card.stats.rows}
                ],
                "download_size": card.download_size,
                "dataset_size": card.num_bytes,
            },
        }
    )
    return meta


def field_rows(schema: dict[str, Any]) -> list[dict[str, str]]:
    """One row per field (nested fields by dotted path) for the card's field table."""
    rows = []
    for path, field_ in iter_leaves(record_fields(schema)):
        kind = type_label(field_.type)
        if field_.enum:
            kind += f" (one of {', '.join(field_.enum)})"
        rows.append(
            {
                "path": path,
                "type": kind,
                "nullable": "yes" if field_.nullable else "no",
                "description": " ".join(field_.description.split()).replace("|", "\\|"),
            }
        )
    return rows


def source_rows(stats: RecordStats) -> list[dict[str, Any]]:
    """Per publication: records, first and last publish date, undated records."""
    ranked = sorted(stats.publications.items(), key=lambda item: (-item[1].records, item[0]))
    return [
        {
            "publication": name,
            "records": pub.records,
            "first": pub.first or "-",
            "last": pub.last or "-",
            "undated": pub.undated,
        }
        for name, pub in ranked
    ]


def reject_rows(build: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"reason": reason, "count": count, "meaning": REJECT_REASONS.get(reason, "")}
        for reason, count in build.get("rejects_by_reason", {}).items()
    ]


def example_record(stats: RecordStats) -> str:
    """One record as JSON for the card, its text cut to its first characters."""
    import json

    if stats.example is None:
        return ""
    record = dict(stats.example)
    text = str(record.get("text", ""))
    if len(text) > EXAMPLE_TEXT_CHARS:
        record["text"] = text[:EXAMPLE_TEXT_CHARS].rstrip() + " [...]"
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True)


def card_context(card: CardInput) -> dict[str, Any]:
    """Values the Markdown template of the card shows."""
    stats = card.stats
    return {
        "config": card.config,
        "version": card.version,
        "note": card.config.note(card.version),
        "schema_version": card.schema.get("x-schema-version", ""),
        "rows": stats.rows,
        "date_range": (stats.first_date, stats.last_date) if stats.first_date else None,
        "languages": dict(sorted(stats.languages.items())),
        "fields": field_rows(card.schema),
        "sources": source_rows(stats),
        "build": card.build,
        "rejects": reject_rows(card.build),
        "dedup_removed": card.dedup_removed,
        "dedup_params": card.dedup_params,
        "shard_bytes": card.config.shard_bytes,
        "changes": card.changes,
        "fields_changed": card.changes.fields_changed(),
        "figures": card.figures,
        "data_files_glob": DATA_FILES_GLOB,
        "parquet_glob": PARQUET_GLOB if card.parquet_files else None,
        "citation": citation(card.config, card.version),
        "example": example_record(stats),
        "example_chars": EXAMPLE_TEXT_CHARS,
        "with_authors": stats.with_authors,
        "tombstones": card.tombstones,
        "taken_down": card.taken_down,
        "mixed_rights": mixed_rights(card.config),
        "license_file": LICENSE_FILE,
    }
