"""Locale-aware formatting of figures and dates (Babel; locales ``az`` and ``en``).

Values arrive in base units (CONTRACT.md): 598 470 000 USD, 3 500 000 t. Large values are
written the way each newsroom writes them: Azerbaijani "598,47 mln $" (decimal comma, unit
after), English "$598.47M". The qualifier is part of the figure and is always printed:
``more_than`` -> ">", ``approx`` -> "≈", ``up_to`` -> "≤", ``range`` -> "a–b".

Example:
    >>> format_value(598_470_000, "USD", "az")
    '598,47 mln $'
    >>> format_value(3_500_000, "t", "en", qualifier="more_than")
    '>3.5M t'
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from ui.i18n import BABEL_LOCALES, parse_lang

NBSP = "\u00a0"

QUALIFIER_PREFIX = {
    "exact": "",
    "approx": "≈",
    "more_than": ">",
    "less_than": "<",
    "at_least": "≥",
    "up_to": "≤",
    "range": "",
}

# Unit words after the number; None means the unit is written by a dedicated rule below.
UNIT_SUFFIX = {
    "az": {"USD": "$", "AZN": "AZN", "KZT": "KZT", "EUR": "€", "t": "t", "t_km": "t-km",
           "TEU": "TEU", "km": "km", "persons": "nəfər", "count": "", "years": "il",
           "times": "dəfə", "percent": None},
    "en": {"USD": None, "AZN": "AZN", "KZT": "KZT", "EUR": None, "t": "t", "t_km": "t-km",
           "TEU": "TEU", "km": "km", "persons": "people", "count": "", "years": "years",
           "times": "times", "percent": None},
}
EN_CURRENCY_SYMBOL = {"USD": "$", "EUR": "€"}
PER_SUFFIX = {"az": {"year": "/il", "month": "/ay"}, "en": {"year": "/year", "month": "/month"}}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_number(value: float, lang: str) -> str:
    """A bare number, compact for large values: az '598,47 mln', en '598.47M'.

    Below a thousand the number is printed in full with up to two decimals. Azerbaijani has no
    short form for thousands in CLDR, so it uses the long one ('155 min').
    """
    lang = parse_lang(lang)
    loc = BABEL_LOCALES[lang]
    a = abs(value)
    if a < 1000:
        return format_decimal(value, format="#,##0.##", locale=loc)
    if lang == "az" and a < 1_000_000:
        out = format_compact_decimal(value, format_type="long", fraction_digits=2, locale=loc)
    else:
        out = format_compact_decimal(value, format_type="short", fraction_digits=2, locale=loc)
    return out.replace(NBSP, " ")


def _one(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return format_percent(value / 100, format="#,##0.##%", locale=BABEL_LOCALES[lang])
    if unit == "times" and lang == "en":
        return f"{format_number(value, lang)}×"
    num = format_number(value, lang)
    if lang == "en" and unit in EN_CURRENCY_SYMBOL:
        sign = "-" if value < 0 else ""
        return f"{sign}{EN_CURRENCY_SYMBOL[unit]}{format_number(abs(value), lang)}"
    suffix = UNIT_SUFFIX[lang].get(unit, unit)
    return f"{num} {suffix}" if suffix else num


def format_value(value: float, unit: str, lang: str, qualifier: str = "exact",
                 value_high: float | None = None, per: str | None = None) -> str:
    """A figure as a reader sees it, with qualifier, unit and rate.

    >>> format_value(1_500_000, "t", "az", per="year")
    '1,5 mln t/il'
    >>> format_value(40, "percent", "en", qualifier="approx")
    '≈40%'
    >>> format_value(5, "times", "az", qualifier="approx")
    '≈5 dəfə'
    """
    lang = parse_lang(lang)
    if _missing(value):
        return "—"
    qualifier = qualifier if qualifier in QUALIFIER_PREFIX else "exact"
    if qualifier == "range" and not _missing(value_high):
        low = _one(float(value), unit, lang)
        high = _one(float(value_high), unit, lang)
        text = f"{low}–{high}"
    else:
        text = QUALIFIER_PREFIX[qualifier] + _one(float(value), unit, lang)
    if per and not _missing(per):
        text += PER_SUFFIX[lang].get(str(per), f"/{per}")
    return text


def format_ratio(ratio: float, lang: str) -> str:
    """A share as a percentage with one decimal: az '59,8%', en '59.8%'."""
    return format_percent(ratio, format="#,##0.0%", locale=BABEL_LOCALES[parse_lang(lang)])


def _as_date(d: object) -> dt.date | None:
    if _missing(d) or d is pd.NaT:
        return None
    if isinstance(d, pd.Timestamp):
        return None if pd.isna(d) else d.date()
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:
        ts = pd.Timestamp(d)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


def format_date(d: object, precision: str, lang: str) -> str:
    """A date printed no finer than it is known.

    >>> import datetime as dt
    >>> march = dt.date(2024, 3, 1)
    >>> format_date(march, "month", "az"), format_date(march, "month", "en")
    ('mart 2024', 'Mar 2024')
    >>> format_date(dt.date(2024, 1, 1), "year", "en")
    '2024'
    """
    lang = parse_lang(lang)
    day = _as_date(d)
    if day is None or precision == "unknown":
        return "—"
    loc = BABEL_LOCALES[lang]
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return _babel_date(day, "LLLL y" if lang == "az" else "LLL y", locale=loc)
    return _babel_date(day, "d MMMM y" if lang == "az" else "d MMM y", locale=loc)


def format_short_date(d: object, precision: str, lang: str) -> str:
    """Compact date for source lines: day precision as 21.10.2025, coarser as format_date."""
    day = _as_date(d)
    if day is None or precision == "unknown":
        return "—"
    if precision == "day":
        return day.strftime("%d.%m.%Y")
    return format_date(day, precision, lang)
