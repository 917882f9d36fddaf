"""`builder dedup IN.jsonl --explain ID_A ID_B`: the comparison of two records, as the
dedup run makes it (coverage.py), in a few lines a maintainer can audit.

The inputs (and `--against`) are read once: the two records are found by id (the first
record with each id, previous release first) and every record's paragraphs are counted,
so boilerplate is what it is in the run. The LSH step is not replayed: the lines say
what the decision would be if LSH proposes the pair (it proposes pairs from a Jaccard
similarity of about DedupParams.threshold, with probability lsh_recall there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import Record
from .boilerplate import ParagraphCounts, paragraph_keys
from .coverage import IN_ORDER, Comparison, compare
from .keys import figures, tokens, url_key
from .params import DedupParams
from .records import read_records


def find_and_count(
    paths: list[Path], ids: tuple[str, str]
) -> tuple[dict[str, Record], ParagraphCounts, int]:
    """(the first record of each id, the paragraph counts of all records, records read)."""
    counts = ParagraphCounts()
    found: dict[str, Record] = {}
    seen = 0
    for path in paths:
        for record in read_records(path):
            seen += 1
            keys, _ = paragraph_keys([record["text"]])
            counts.add(keys)
            if record["id"] in ids and record["id"] not in found:
                found[record["id"]] = record
    missing = [i for i in ids if i not in found]
    if missing:
        raise ConfigError(
            f"no record with id {', '.join(missing)} in {', '.join(map(str, paths))} "
            f"({seen} records read)"
        )
    return found, counts, seen


def _figures_line(a: str, b: str, params: DedupParams) -> tuple[str, bool]:
    fa, fb = set(figures(a)), set(figures(b))
    smaller = min(len(fa), len(fb))
    shared = len(fa & fb)
    if params.figure_overlap == 0 or smaller < params.min_figures:
        return f"figures: {len(fa)} and {len(fb)} stated, {shared} shared: not checked", True
    agree = shared >= params.figure_overlap * smaller
    verdict = "agree" if agree else f"disagree (under {params.figure_overlap:.0%} of the smaller)"
    return f"figures: {len(fa)} and {len(fb)} stated, {shared} shared: {verdict}", agree


def _same_day_line(a: Record, b: Record, params: DedupParams) -> tuple[str, bool]:
    same_outlet = a.get("publication") is not None and a.get("publication") == b.get("publication")
    dated = a.get("publish_date") is not None and b.get("publish_date") is not None
    if params.same_publication_same_day and same_outlet and dated:
        if a["publish_date"] != b["publish_date"]:
            return "one outlet, one day: same outlet, different days: never near duplicates", False
    return "one outlet, one day: passes", True


def _decision_line(c: Comparison, params: DedupParams, words_ok: bool) -> str:
    high, low = max(c.coverage), min(c.coverage)
    if not words_ok:
        return f"near decision: never (a text under {params.min_words} words)"
    if high >= params.containment:
        return (
            f"near decision: one story (one text is contained: {high:.4f} >= "
            f"{params.containment})"
        )
    if low >= params.coverage:
        return f"near decision: one story (both covered: {low:.4f} >= {params.coverage})"
    if low >= params.scattered_coverage:
        if c.one_story:
            return (
                f"near decision: one story (both covered {low:.4f} >= "
                f"{params.scattered_coverage}, shared text in {c.shared_passages} passages, "
                f"{c.in_order:.0%} in order: an edited copy)"
            )
        return (
            f"near decision: different stories (shared text in {c.shared_passages} passage(s), "
            f"{c.in_order:.0%} in order: under {params.min_passages} passages in "
            f"{IN_ORDER:.0%} order, a reused block)"
        )
    return (
        "near decision: different stories (each has a large part of its own: "
        f"{1 - c.coverage[0]:.0%} and {1 - c.coverage[1]:.0%} of their shingles)"
    )


def explain_pair(
    paths: list[Path], ids: tuple[str, str], params: DedupParams
) -> list[str]:
    """The lines `builder dedup --explain` prints."""
    found, counts, seen = find_and_count(paths, ids)
    a, b = found[ids[0]], found[ids[1]]
    c = compare(a["text"], b["text"], counts, params)
    lines = [f"{seen} records read; boilerplate: paragraphs in {params.boilerplate_docs}+ records"]
    for name, record, k in (("A", a, 0), ("B", b, 1)):
        lines.append(
            f"{name} {record['id']} ({record.get('publication')}, {record.get('publish_date')}): "
            f"{c.words[k]} words, {c.shingles[k]} shingles, "
            f"{c.boilerplate_paragraphs[k]} boilerplate paragraph(s) left out"
        )
    lines.append(f"Jaccard similarity of the shingle sets: {c.similarity:.4f}")
    lines.append(
        f"coverage: {c.coverage[0]:.4f} of A's shingles are in B, {c.coverage[1]:.4f} of B's in A"
    )
    lines.append(f"shared passages: {c.shared_passages}, {c.in_order:.0%} of their text in order")
    lines.extend(_key_lines(a, b, params))
    figure_line, agree = _figures_line(a["text"], b["text"], params)
    day_line, day_ok = _same_day_line(a, b, params)
    lines += [figure_line, day_line]
    words_ok = min(c.words) >= max(params.min_words, 1)
    lines.append(_decision_line(c, params, words_ok))
    verdict = c.one_story and agree and day_ok and words_ok
    lines.append(f"near duplicates: {'yes' if verdict else 'no'}")
    return lines


def _key_lines(a: Record, b: Record, params: DedupParams) -> list[str]:
    out = []
    if a["id"] == b["id"]:
        out.append("same id: merged as re-fetches of one page")
    ka, kb = url_key(a.get("source_url")), url_key(b.get("source_url"))
    if ka is not None and ka == kb:
        out.append(f"same URL key ({ka}): merged whatever their texts")
    ta, tb = tokens(a["text"]), tokens(b["text"])
    if ta == tb and len(ta) >= max(params.min_words, 1):
        out.append("same normalized text: merged as exact copies")
    return out


def explain_command(args: Any, params: DedupParams) -> int:
    paths = [Path(p) for p in args.inputs]
    if args.against:
        paths.insert(0, Path(args.against))
    for line in explain_pair(paths, (args.explain[0], args.explain[1]), params):
        print(line)
    return 0
