"""Checks of contributed pages and records before they land: layout, safety, parse, schema,
provenance and duplicates, reported per file and line (see CONTRIBUTING.md)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from .check import CheckOptions, CheckResult, check_contribution
from .findings import CODES, ERROR, WARNING, Finding
from .report import choose_format, render_github, render_text, write_summary

__all__ = [
    "CODES",
    "ERROR",
    "WARNING",
    "CheckOptions",
    "CheckResult",
    "Finding",
    "check_contribution",
    "run_check",
]


def run_check(
    options: CheckOptions,
    output_format: str = "auto",
    out: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Check, print the findings in the chosen format, and return the exit status (1 on errors)."""
    env = os.environ if env is None else env
    out = out or sys.stdout
    result = check_contribution(options)
    if choose_format(output_format, env) == "github":
        out.write(render_github(result))
        write_summary(result, env)
    else:
        out.write(render_text(result))
    return 1 if result.errors else 0
