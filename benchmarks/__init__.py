"""Benchmarks and the synthetic-crawl generator they run on (`nox -s bench`)."""
