"""Parser for HTML article pages: page metadata by fallback chains, the body by trafilatura.

The page is parsed once with lxml; metadata is read from that tree (metadata.py) and
the same tree is handed to trafilatura for the body (body.py), which works on its own
copy. Every failure is a PageError with a reason code, never another exception.

trafilatura (a quarter of a second to import) is imported by the first HTML page, so a
build of text dumps never pays for it; load_extractor imports it ahead, for a parent
process about to fork workers that should share it.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from ...errors import PageError
from ...model import Draft
from .metadata import read_metadata

PARSER_NAME = "html"
# The installed trafilatura's version, read without importing it.
PARSER_VERSION = f"2.0.0+trafilatura-{version('trafilatura')}"

# libxml2 refuses a str that declares an encoding, and characters XML cannot hold
# (lone surrogates, C0 controls); neither carries text a reader sees.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Fewer characters than this is not an article: the shortest one-sentence brief is
# longer, while a site tagline, a menu or a cookie line left by a truncated download
# is shorter (the shortest gold body, a two-paragraph brief, has 330).
MIN_BODY_CHARS = 100
_CLOSED = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_TAIL_CHARS = 4096  # where a complete page's closing tags are
_UNPARSEABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same characters looked for in the page's UTF-8, several times faster than the
# regex on the text: the C0 controls as bytes, U+FFFE and U+FFFF as their encodings (in
# UTF-8 these bytes mean nothing else); a lone surrogate fails the encoding itself.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_FFFE, _FFFF = "\ufffe".encode(), "\uffff".encode()


def _html_parser() -> lxml.etree.HTMLParser:
    """The options trafilatura's own loader uses (comments and processing instructions
    removed), so the tree we hand it is the tree it would have built itself.

    The element classes are lxml.html's (HtmlElement; FormElement for <form> and the
    other form tags), found by lxml's C lookups instead of lxml.html's Python lookup,
    which ran for every element object the parser and trafilatura's copies create.
    """
    parser = lxml.etree.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    by_tag = lxml.etree.ElementNamespaceClassLookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    tags = by_tag.get_namespace(None)
    for tag, element_class in lxml.html.HtmlElementClassLookup._default_element_classes.items():
        tags[tag] = element_class
    parser.set_element_class_lookup(by_tag)
    return parser


_PARSER = _html_parser()


def _parseable(text: str) -> tuple[str, bytes]:
    """The text without the characters libxml2 refuses, and its UTF-8."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        data = b""
    if data and len(data.translate(None, _CONTROL_BYTES)) == len(data):
        if _FFFE not in data and _FFFF not in data:
            return text, data
    clean = _UNPARSEABLE.sub("", text)
    return clean, clean.encode("utf-8")


def load_tree(text: str) -> HtmlElement:
    """The page's <html> element; PageError('no_body') when nothing parses."""
    clean, data = _parseable(_XML_DECLARATION.sub("", text, count=1))
    if not clean or clean.isspace():
        raise PageError("no_body", "the HTML page is empty")
    try:
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise PageError("no_body", f"the HTML could not be parsed: {error}") from None
    if tree is None or tree.find("body") is None:
        raise PageError("no_body", "the HTML has no <body> element")
    return tree


def _no_body_message(text: str, paragraphs: list[str]) -> str:
    found = (
        f"only {sum(len(p) for p in paragraphs)} characters of text"
        if paragraphs
        else "no article text"
    )
    if not _CLOSED.search(text[-_TAIL_CHARS:]):
        return (
            f"{found} in the HTML, which ends without </body> or </html>: the page looks truncated"
        )
    return f"{found} in the HTML: only navigation, link boxes or boilerplate"


def load_extractor() -> None:
    """Import trafilatura and the body filter now rather than on the first HTML page."""
    from . import body  # noqa: F401


def _parse(text: str, url: str | None) -> Draft:
    from .body import article_paragraphs  # imported once, by the first HTML page

    tree = load_tree(text)
    meta = read_metadata(tree, url)
    # The body is checked first: a page with neither is rejected for the missing body.
    paragraphs = article_paragraphs(tree, meta.title or "", meta.authors, meta.headline)
    if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        raise PageError("no_body", _no_body_message(text, paragraphs))
    if not meta.title:
        raise PageError(
            "no_title", "the HTML has no headline: no JSON-LD headline, og:title, <h1> or <title>"
        )
    return Draft(
        title=meta.title,
        paragraphs=paragraphs,
        publication=meta.publication,
        publish_date=meta.publish_date,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
        url=meta.url,
        language=meta.language,
        authors=meta.authors,
        source_format="html",
    )


def parse_html(text: str, url: str | None = None) -> Draft:
    """Extract title, body paragraphs, site name, date, authors, URL and language from a page."""
    try:
        return _parse(text, url)
    except RecursionError:
        # lxml and trafilatura recurse over the tree; a pathologically nested page
        # (thousands of unclosed tags) is a page we cannot read, not a crash.
        raise PageError("no_body", "the HTML is nested too deeply to read") from None
