"""Dates: the aggregator's DD - MM - YYYY (day first), metadata dates, fetch times in UTC."""

from __future__ import annotations

import pytest

from builder.errors import PageError
from builder.normalize.dates import parse_any_date, parse_day_month_year, to_utc_timestamp


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07 - 02 - 2020", "2020-02-07"),  # the seed: 7 February, not 2 July
        ("7-2-2020", "2020-02-07"),
        (" 31 - 12 - 1999 ", "1999-12-31"),
        ("29 - 02 - 2024", "2024-02-29"),
        ("٠٧ - ٠٢ - ٢٠٢٠", "2020-02-07"),  # Eastern Arabic digits
        ("۰۷ - ۰۲ - ۲۰۲۰", "2020-02-07"),  # Persian digits
        ("07/02/2020", "2020-02-07"),
    ],
)
def test_day_month_year(raw: str, expected: str) -> None:
    assert parse_day_month_year(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("31 - 02 - 2023", "not a calendar date"),
        ("29 - 02 - 2023", "not a calendar date"),
        ("07 - 13 - 2020", "not a calendar date"),
        ("00 - 01 - 2020", "not a calendar date"),
        ("07 - 02 - 1850", "outside"),
        ("2020-02-07", "not DD - MM - YYYY"),
        ("7 Feb 2020", "not DD - MM - YYYY"),
        ("", "not DD - MM - YYYY"),
    ],
)
def test_bad_day_month_year_is_bad_date(raw: str, why: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_day_month_year(raw)
    assert caught.value.reason == "bad_date"
    assert why in caught.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-02-07", "2020-02-07"),
        ("2020-02-07T23:30:00-05:00", "2020-02-07"),  # the publisher's own calendar day
        ("2020-02-07T01:00:00+03:00", "2020-02-07"),
        ("February 7, 2020", "2020-02-07"),
        ("Fri, 07 Feb 2020 10:00:00 GMT", "2020-02-07"),
        ("07/02/2020", "2020-02-07"),  # day first outside ISO
        ("٢٠٢٠-٠٢-٠٧", "2020-02-07"),
        ("2020-02-30", None),
        ("February 7", None),  # no year: never filled in from the day the build runs
        ("yesterday", None),
        ("", None),
        ("1850-01-01", None),
    ],
)
def test_any_date(raw: str, expected: str | None) -> None:
    assert parse_any_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-11-03T07:00:12Z", "2023-11-03T07:00:12Z"),
        ("2023-11-03T07:00:12.123456Z", "2023-11-03T07:00:12Z"),  # WARC/1.1 precision
        ("2024-03-20T11:45:00+02:00", "2024-03-20T09:45:00Z"),
        ("2024-03-20 11:45:00", "2024-03-20T11:45:00Z"),  # no zone: crawl logs are UTC
        ("2024-03-20", "2024-03-20T00:00:00Z"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00Z"),
        ("20240102103000", "2024-01-02T10:30:00Z"),
        ("10:00", None),  # a time without a date would take today's date
        ("March 2024", None),
        ("123", None),
        ("2024-13-40T00:00:00Z", None),
        ("", None),
    ],
)
def test_fetch_times_to_utc(raw: str, expected: str | None) -> None:
    assert to_utc_timestamp(raw) == expected
