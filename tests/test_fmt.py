"""Locale formatting of figures and dates (ui/fmt.py)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from etl.schema import QUALIFIERS, UNITS
from ui.fmt import format_date, format_ratio, format_short_date, format_value


@pytest.mark.parametrize(
    ("value", "unit", "lang", "qualifier", "high", "per", "expected"),
    [
        (598_470_000, "USD", "az", "exact", None, None, "598,47 mln $"),
        (598_470_000, "USD", "en", "exact", None, None, "$598.47M"),
        (102_200_000, "USD", "az", "exact", None, None, "102,2 mln $"),
        (1_000_000_000, "USD", "az", "exact", None, None, "1 mlrd $"),
        (1_000_000_000, "USD", "en", "exact", None, None, "$1B"),
        (3_500_000, "t", "az", "more_than", None, None, ">3,5 mln t"),
        (3_500_000, "t", "en", "more_than", None, None, ">3.5M t"),
        (1_500_000, "t", "az", "exact", None, "year", "1,5 mln t/il"),
        (1_500_000, "t", "en", "exact", None, "year", "1.5M t/year"),
        (155_000, "persons", "az", "approx", None, None, "≈155 min nəfər"),
        (155_000, "persons", "en", "approx", None, None, "≈155K people"),
        (250, "count", "az", "more_than", None, None, ">250"),
        (40, "percent", "az", "approx", None, None, "≈40%"),
        (5, "times", "az", "approx", None, None, "≈5 dəfə"),
        (5, "times", "en", "approx", None, None, "≈5×"),
        (30, "years", "en", "more_than", None, None, ">30 years"),
        (150, "count", "en", "up_to", None, None, "≤150"),
        (40, "count", "en", "at_least", None, None, "≥40"),
        (10, "count", "en", "less_than", None, None, "<10"),
        (10_000_000, "USD", "en", "range", 20_000_000, None, "$10M–$20M"),
        (2.5, "percent", "az", "exact", None, None, "2,5%"),
    ],
)
def test_format_value(value, unit, lang, qualifier, high, per, expected):
    assert format_value(value, unit, lang, qualifier=qualifier, value_high=high,
                        per=per) == expected


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("qualifier", QUALIFIERS)
@pytest.mark.parametrize("lang", ["az", "en"])
def test_every_unit_and_qualifier_formats(unit, qualifier, lang):
    text = format_value(1234.5, unit, lang, qualifier=qualifier, value_high=2345.0)
    assert text and text != "—"
    if qualifier not in ("exact", "range"):
        assert text[0] in "≈><≥≤"


def test_decimal_separator_follows_locale():
    assert "," in format_value(3_500_000, "t", "az") and "." not in format_value(
        3_500_000, "t", "az")
    assert "." in format_value(3_500_000, "t", "en")


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_value_is_a_dash(missing):
    assert format_value(missing, "USD", "en") == "—"


def test_unknown_language_falls_back_to_default():
    assert format_value(598_470_000, "USD", "<script>") == format_value(598_470_000, "USD", "az")


@pytest.mark.parametrize(
    ("day", "precision", "lang", "expected"),
    [
        (dt.date(2024, 3, 1), "month", "az", "mart 2024"),
        (dt.date(2024, 3, 1), "month", "en", "Mar 2024"),
        (dt.date(2024, 1, 1), "year", "az", "2024"),
        (dt.date(2025, 10, 21), "day", "en", "21 Oct 2025"),
        (dt.date(2025, 10, 21), "day", "az", "21 oktyabr 2025"),
        (pd.Timestamp("2029-01-01"), "year", "en", "2029"),
        (None, "day", "en", "—"),
        (pd.NaT, "day", "az", "—"),
        (dt.date(2025, 1, 1), "unknown", "en", "—"),
    ],
)
def test_format_date_never_finer_than_known(day, precision, lang, expected):
    assert format_date(day, precision, lang) == expected


def test_short_date():
    assert format_short_date(pd.Timestamp("2025-10-21"), "day", "az") == "21.10.2025"
    assert format_short_date(pd.Timestamp("2024-03-01"), "month", "az") == "mart 2024"


def test_ratio():
    assert format_ratio(0.59847, "az") == "59,8%"
    assert format_ratio(0.59847, "en") == "59.8%"
    assert not math.isnan(0.59847)
