"""URL normalization, so one article has one URL whatever tracking the crawler saw."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

_IP_HOST = re.compile(r"^[0-9.]+$|:")  # IPv4, or IPv6 (urlsplit gives it without brackets)

# Query parameters that only track the visitor; they never select content. Prefixes
# cover the utm_* family; the exact names are the ones the big ad and mail platforms add.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
TRACKING_NAMES = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "ito",
        "at_medium",
        "at_campaign",
        "ref_src",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters RFC 3986 allows unescaped in a path (plus "%" so existing escapes stay);
# anything else (spaces, non-ASCII letters) is percent-encoded as UTF-8, so the IRI
# and URI spellings of one address normalize to the same string.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _normalize_path(path: str) -> str:
    quoted = quote(path or "/", safe=_PATH_SAFE)
    if "%" not in quoted:
        return quoted
    return _ESCAPE.sub(lambda m: m.group(0).upper(), quoted)  # %2f and %2F are one byte


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(raw: str | None) -> str | None:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters.

    Returns None for anything that is not an absolute http(s) URL, so a relative or
    garbage value never reaches the record as if it were a source.
    """
    if not raw:
        return None
    text = raw.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    # The idna codec returns an ASCII host as it is (or fails on a bad label length,
    # which keeps it too), so only a non-ASCII host needs it; it is a slow Python codec.
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # keep the Unicode host rather than lose the URL
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, _normalize_path(parts.path), _query(parts.query), ""))


def _query(query: str) -> str:
    """The query without tracking parameters (re-encoded)."""
    if not query:
        return ""
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(k)]
    return urlencode(kept, doseq=True)


def host_of(url: str | None) -> str | None:
    """The host without `www.`, `m.` or `amp.`, for publication look-up."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host or None


@lru_cache(maxsize=1)
def _public_suffixes() -> PublicSuffixList:
    # The list ships inside the package (no download); loaded by the first page whose
    # site is in no registry, so a build of known sites does not pay its 80 ms.
    return PublicSuffixList()


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    if _IP_HOST.match(host) or "." not in host:
        return host  # an address or a single-label host has no registrable part
    domain = _public_suffixes().privatesuffix(host) or host
    try:
        return domain.encode("ascii").decode("idna") if "xn--" in domain else domain
    except UnicodeError:
        return domain


def registrable_domain(url: str | None) -> str | None:
    """The URL's registrable domain by the Public Suffix List: `news.bbc.co.uk` ->
    `bbc.co.uk`, `foo.blogspot.com` stays itself; IDNA hosts in Unicode."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return None
    return _registrable(host) if host else None
