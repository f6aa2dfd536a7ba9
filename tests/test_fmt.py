"""Locale formatting of figures and dates (i18n/fmt.py)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from etl.schema import LANGS, QUALIFIERS, UNITS
from i18n.fmt import (
    format_base_period,
    format_date,
    format_period,
    format_ratio,
    format_short_date,
    format_value,
    year_ordinal,
)


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
        (598_470_000, "USD", "ru", "exact", None, None, "598,47 млн $"),
        (1_000_000_000, "USD", "ru", "exact", None, None, "1 млрд $"),
        (3_500_000, "t", "ru", "more_than", None, None, ">3,5 млн т"),
        (1_500_000, "t", "ru", "exact", None, "year", "1,5 млн т/год"),
        (155_000, "persons", "ru", "approx", None, None, "≈155 тыс. чел."),
        (30, "years", "ru", "more_than", None, None, ">30 лет"),
        (21, "years", "ru", "exact", None, None, "21 год"),
        (3, "years", "ru", "exact", None, None, "3 года"),
        (2.5, "percent", "ru", "exact", None, None, "2,5%"),
        (10_000_000, "EUR", "ru", "range", 20_000_000, None, "10 млн €–20 млн €"),
    ],
)
def test_format_value(value, unit, lang, qualifier, high, per, expected):
    assert format_value(value, unit, lang, qualifier=qualifier, value_high=high,
                        per=per) == expected


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("qualifier", QUALIFIERS)
@pytest.mark.parametrize("lang", LANGS)
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


# --- periods ------------------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "kind", "published", "az", "en"),
    [
        (D(2024, 1, 1), D(2024, 12, 31), "observed", None, "2024", "2024"),
        (D(2021, 1, 1), D(2025, 12, 31), "observed", None, "2021–2025", "2021–2025"),
        (D(2025, 1, 1), D(2025, 6, 30), "observed", None, "2025-ci ilin I yarısı", "H1 2025"),
        (D(2024, 7, 1), D(2024, 12, 31), "change", None, "2024-cü ilin II yarısı", "H2 2024"),
        (D(2026, 7, 1), D(2026, 9, 30), "observed", None, "2026-cı ilin III rübü", "Q3 2026"),
        (D(2025, 1, 1), D(2025, 7, 31), "observed", None, "yanvar–iyul 2025", "Jan–Jul 2025"),
        (D(2024, 3, 1), D(2024, 3, 31), "observed", None, "mart 2024", "Mar 2024"),
        (D(2022, 9, 1), D(2024, 3, 1), "observed", None, "sentyabr 2022 – mart 2024",
         "Sep 2022 – Mar 2024"),
        (None, D(2024, 3, 1), "observed", None, "mart 2024 üzrə", "as of Mar 2024"),
        (None, D(2025, 10, 21), "observed", D(2025, 10, 21), "oktyabr 2025 üzrə",
         "as of Oct 2025"),
        (None, D(2029, 12, 31), "forecast", None, "2029-cu ilədək", "by 2029"),
        (None, D(2030, 12, 31), "target", None, "2030-cu ilədək", "by 2030"),
        (D(2029, 1, 1), D(2029, 12, 31), "forecast", None, "2029-cu ilədək", "by 2029"),
        # a change over a year still to come when the article appeared is a horizon too
        (D(2029, 1, 1), D(2029, 12, 31), "change", D(2025, 10, 18), "2029-cu ilədək", "by 2029"),
        (D(2024, 1, 1), D(2024, 12, 31), "change", D(2025, 10, 18), "2024", "2024"),
        (None, None, "target", None, "dövr göstərilməyib", "no period stated"),
        (D(2024, 3, 1), None, "observed", None, "mart 2024 tarixindən", "from Mar 2024"),
    ],
)
def test_format_period(start, end, kind, published, az, en):
    row = {"period_start": start, "period_end": end, "kind": kind, "period_basis": "stated",
           "period_label": "ENGLISH LABEL"}
    assert format_period(row, "az", published=published) == az
    assert format_period(row, "en", published=published) == en


@pytest.mark.parametrize(
    ("start", "end", "kind", "published", "ru"),
    [
        (D(2024, 1, 1), D(2024, 12, 31), "observed", None, "2024 г."),
        (D(2021, 1, 1), D(2025, 12, 31), "observed", None, "2021–2025 гг."),
        (D(2025, 1, 1), D(2025, 6, 30), "observed", None, "I полугодие 2025 г."),
        (D(2026, 7, 1), D(2026, 9, 30), "observed", None, "III квартал 2026 г."),
        (D(2025, 1, 1), D(2025, 7, 31), "observed", None, "январь–июль 2025 г."),
        (D(2024, 3, 1), D(2024, 3, 31), "observed", None, "март 2024 г."),
        (None, D(2024, 3, 1), "observed", None, "по состоянию на март 2024 г."),
        (None, D(2029, 12, 31), "forecast", None, "к 2029 г."),
        (None, None, "target", None, "период не указан"),
    ],
)
def test_format_period_in_russian(start, end, kind, published, ru):
    row = {"period_start": start, "period_end": end, "kind": kind, "period_basis": "stated",
           "period_label": "ENGLISH LABEL"}
    assert format_period(row, "ru", published=published) == ru


def test_russian_dates_use_russian_month_names():
    assert format_date(D(2025, 10, 21), "day", "ru") == "21 октября 2025 г."
    assert format_date(D(2024, 3, 1), "month", "ru") == "март 2024 г."
    assert format_ratio(0.59847, "ru") == "59,8%"


def test_format_period_reads_table_rows_and_marks_inferred_periods():
    row = pd.Series({"period_start": pd.NaT, "period_end": pd.Timestamp("2024-03-01"),
                     "kind": "observed", "period_basis": "inferred", "period_label": "x"})
    assert format_period(row, "az") == "mart 2024 üzrə*"
    assert format_period(row, "en") == "as of Mar 2024*"


def test_format_period_keeps_the_label_when_the_dates_are_reversed():
    row = {"period_start": D(2025, 1, 1), "period_end": D(2024, 1, 1), "period_label": "odd"}
    assert format_period(row, "az") == "odd"


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2020, "2020-ci"), (2021, "2021-ci"), (2022, "2022-ci"), (2023, "2023-cü"),
     (2024, "2024-cü"), (2025, "2025-ci"), (2026, "2026-cı"), (2027, "2027-ci"),
     (2028, "2028-ci"), (2029, "2029-cu"), (2030, "2030-cu"), (2040, "2040-cı"),
     (1999, "1999-cu"), (2000, "2000-ci"), (2100, "2100-cü")],
)
def test_year_ordinal_follows_vowel_harmony(year, expected):
    assert year_ordinal(year, "az") == expected
    assert year_ordinal(year, "en") == str(year)


@pytest.mark.parametrize(
    ("base", "az"),
    [("H1 2024", "2024-cü ilin I yarısı"),  # the same half-year one year earlier: translated
     ("current level (base year not stated)", "current level (base year not stated)"),
     ("H1 2023", "H1 2023")],  # not the year before: the words are kept, never re-interpreted
)
def test_format_base_period(base, az):
    row = {"period_start": D(2025, 1, 1), "period_end": D(2025, 6, 30),
           "base_period_label": base}
    assert format_base_period(row, "az") == az
    assert format_base_period(row, "en") == base
