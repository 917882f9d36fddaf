"""news-builder: raw news pages to a versioned, validated, deduplicated dataset release."""

import os

__version__ = "0.1.0"


def default_workers() -> int:
    """Worker processes when none are asked for: every core."""
    return os.cpu_count() or 1
