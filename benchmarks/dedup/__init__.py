"""Dedup benchmark: a labelled synthetic corpus (generate.py) and the measurements (bench.py)."""
