"""news-builder: raw news pages to a versioned, validated, deduplicated dataset release."""

__version__ = "0.1.0"
