"""Dates: the aggregator's day-month-year, ISO 8601 and the usual free forms to YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateutil import parser as dateutil_parser

from ..errors import PageError

# Eastern Arabic and Persian digits, which Arabic dumps may use in the date line.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DMY = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
# Accept dates in this window; anything else is a parse accident (a phone number, a
# price), not a news article's publish date.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def _checked(year: int, month: int, day: int, raw: str) -> str:
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise PageError("bad_date", f"date {raw.strip()!r} is not a calendar date: {exc}") from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise PageError(
            "bad_date", f"date {raw.strip()!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}"
        )
    return value.isoformat()


# Cached: the date lines of a crawl repeat (a few thousand days); a bad date raises
# every time, as exceptions are not cached.
@lru_cache(maxsize=8192)
def parse_day_month_year(raw: str) -> str:
    """The aggregator's `DD - MM - YYYY` (day first) to ISO `YYYY-MM-DD`."""
    match = _DMY.match(ascii_digits(raw))
    if not match:
        raise PageError("bad_date", f"date {raw.strip()!r} is not DD - MM - YYYY")
    day, month, year = (int(g) for g in match.groups())
    return _checked(year, month, day, raw)


# Two different defaults for the fields a free-form time leaves out: a field that
# takes the default's value in one parse and not the other was missing from the text.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2, 1, 1, 1))


def _free_form_time(text: str, dayfirst: bool = False) -> dt.datetime | None:
    """RFC 2822 and other written times; None unless year, month and day are all given.

    dateutil fills missing fields from today's date, which would make a build depend on
    the day it runs ("10:00" would become today at ten); two defaults expose that.
    """
    try:
        first, second = (
            dateutil_parser.parse(text, default=d, dayfirst=dayfirst) for d in _DEFAULTS
        )
    except (ValueError, OverflowError, TypeError):
        return None
    return first if first.date() == second.date() else None


def parse_any_date(raw: str) -> str | None:
    """A date as HTML metadata writes it (ISO 8601, RFC 2822, 'February 7, 2020') to ISO.

    Returns None when the text holds no recognizable date; a timestamp keeps the
    calendar date of its own offset (the publisher's local date), not UTC's.
    """
    text = ascii_digits(raw).strip()
    if not text:
        return None
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        try:
            return _checked(year, month, day, raw)
        except PageError:
            return None
    # dayfirst: outside the US, 07/02/2020 is 7 February; ISO forms are handled above.
    value = _free_form_time(text, dayfirst=True)
    if value is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return value.date().isoformat()


def to_utc_timestamp(raw: str) -> str | None:
    """A fetch time (WARC-Date, manifest) to `YYYY-MM-DDTHH:MM:SSZ`; None if unparseable."""
    text = raw.strip()
    if not text:
        return None
    try:
        value: dt.datetime | None = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = _free_form_time(text)
    if value is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)  # crawl logs are UTC by convention
    # isoformat is half the cost of strftime: a manifest has one time per page
    utc = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="seconds") + "Z"
