"""HTML article pages: the parser (parser.py) and its metadata and body readers."""

from .parser import PARSER_NAME, PARSER_VERSION, load_extractor, load_tree, parse_html

__all__ = ["PARSER_NAME", "PARSER_VERSION", "load_extractor", "load_tree", "parse_html"]
