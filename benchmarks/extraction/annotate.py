"""Turn an annotated page source into a fixture page plus its gold sidecar.

A source is the page as a site would serve it, with two additions that this script
removes: a first-line comment `<!--GOLD {json}-->` holding the expected metadata
(title, publish_date, authors, url, publication, language, boilerplate phrases), and a
`data-gold` attribute on every element whose text is an article body paragraph. The
gold paragraphs are read from the marked elements, so page and gold cannot disagree.

    python benchmarks/extraction/annotate.py SRC.html [...] --out tests/fixtures/html
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import lxml.html

_GOLD = re.compile(r"\A\s*<!--GOLD\s*(\{.*?\})\s*-->\s*", re.DOTALL)
_MARK = " data-gold"
_SPACES = re.compile(r"\s+")
REQUIRED = ("title", "publish_date", "authors", "url", "publication", "language", "boilerplate")


def annotate(source: str) -> tuple[str, dict]:
    """The clean page and its gold dict; raises ValueError on a malformed source."""
    match = _GOLD.match(source)
    if not match:
        raise ValueError("no leading <!--GOLD {...}--> comment")
    gold = json.loads(match.group(1))
    missing = [k for k in REQUIRED if k not in gold]
    if missing:
        raise ValueError(f"gold lacks {missing}")
    body = source[match.end() :]
    tree = lxml.html.document_fromstring(body)
    paragraphs = [_SPACES.sub(" ", e.text_content()).strip() for e in tree.xpath("//*[@data-gold]")]
    if not paragraphs:
        raise ValueError("no element carries data-gold")
    text = "\n".join(paragraphs).casefold()
    leaked = [p for p in gold["boilerplate"] if p.casefold() in text]
    if leaked:
        raise ValueError(f"boilerplate phrases inside gold paragraphs: {leaked}")
    gold["paragraphs"] = paragraphs
    return body.replace(_MARK, ""), gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for src in args.sources:
        try:
            page, gold = annotate(src.read_text(encoding="utf-8"))
        except ValueError as exc:
            print(f"{src}: {exc}", file=sys.stderr)
            return 1
        stem = src.name.removesuffix(".src.html").removesuffix(".html")
        (args.out / f"{stem}.html").write_text(page, encoding="utf-8")
        (args.out / f"{stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
