"""The BibTeX entry of a release, shared by the card and the Croissant metadata."""

from __future__ import annotations

from ..config import DatasetConfig


def citation(config: DatasetConfig, version: str) -> str:
    """BibTeX entry of this version; the year only when the config gives a release date."""
    note = config.note(version)
    key = f"{config.name.replace('-', '_').replace('.', '_')}_{version.replace('.', '_')}"
    lines = [f"@misc{{{key},", f"  title = {{{config.pretty_name}}},"]
    if config.citation_authors:
        lines.append(f"  author = {{{config.citation_authors}}},")
    if note.date:
        lines.append(f"  year = {{{note.date[:4]}}},")
    lines += [
        f"  howpublished = {{\\url{{{config.homepage}}}}},",
        f"  note = {{Version {version}}}",
        "}",
    ]
    return "\n".join(lines)
