"""Command-line numbers checked against their valid range, so a bad one is refused at once."""

from __future__ import annotations

import argparse
from collections.abc import Callable

# Worker processes: at least one; 1024 is far past any machine's cores (a typo guard).
MAX_WORKERS = 1024
# A page's size limit: at least one byte; 4 GiB is past any page (and any memory budget).
MAX_PAGE_BYTES = 4 * 1024**3


def int_in_range(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` accepting whole numbers from low to high, naming the range if not."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give {low} to {high}")
        return value

    return parse


workers_count = int_in_range(1, MAX_WORKERS)
page_bytes = int_in_range(1, MAX_PAGE_BYTES)
