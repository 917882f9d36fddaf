"""The runner of a build (runner.py), its page steps (steps.py) and batches (batches.py)."""

from .runner import BuildOptions, Summary, build, process_page, process_pages

__all__ = ["BuildOptions", "Summary", "build", "process_page", "process_pages"]
