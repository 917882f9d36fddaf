"""Render README.md (the dataset card).

YAML metadata from code, Markdown from the cards/ template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..config import DatasetConfig
from ..errors import ConfigError
from .data import CardInput, card_context, card_metadata, mixed_rights

CARDS_DIR = Path(__file__).resolve().parents[2] / "cards"
TEMPLATE_NAME = "dataset_card.md.j2"


def dump_metadata(metadata: dict[str, Any]) -> str:
    """The YAML block; key order kept so the card reads the same way each release."""
    return yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=1000)


def _environment(cards_dir: Path) -> jinja2.Environment:
    # StrictUndefined: a misspelt variable fails the release instead of printing nothing.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(cards_dir)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_card(card: CardInput, cards_dir: Path = CARDS_DIR) -> str:
    """The full README.md text."""
    try:
        template = _environment(cards_dir).get_template(TEMPLATE_NAME)
        body = template.render(**card_context(card))
    except jinja2.TemplateError as exc:
        raise ConfigError(
            f"{cards_dir / TEMPLATE_NAME}: cannot render the dataset card: {exc}"
        ) from None
    return f"---\n{dump_metadata(card_metadata(card))}---\n\n{body.strip()}\n"


def split_card(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a card; a card without a YAML block has empty metadata."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    metadata = yaml.safe_load(text[4:end]) or {}
    return (metadata if isinstance(metadata, dict) else {}), text[end + 5 :]


def render_license(config: DatasetConfig, version: str) -> str | None:
    """LICENSE.md, which the card's `license: other` links, when the texts' rights differ
    from the dataset's licence; None otherwise."""
    if not mixed_rights(config):
        return None
    if config.texts_license == "publishers":
        texts = (
            "remain the work of their publishers. No licence is granted for them here: "
            "check that your use respects their terms and the law that applies to you "
            "(text and data mining exceptions, for example)."
        )
    else:
        texts = f"are under `{config.texts_license}`."
    return (
        f"# Licensing of {config.pretty_name} {version}\n\n"
        "This dataset holds two kinds of content, with different rights.\n\n"
        "- **The dataset's own work**: the record structure, the metadata fields extracted "
        "and normalized (publication names, dates, URLs, languages, provenance), the dataset "
        f"card, schema, figures and reports, under `{config.license}`.\n"
        f"- **The article titles and texts** {texts}\n"
    )
