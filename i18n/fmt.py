"""Locale-aware formatting of figures, dates and periods (Babel), driven by the locale files.

Values arrive in base units (CONTRACT.md): 123 450 000 USD, 2 500 000 t. Large values are
written the way each newsroom writes them: Azerbaijani "123,45 mln $" (decimal comma, unit
after), English "$123.45M", Russian "123,45 млн $". The qualifier is part of the figure and is
always printed: ``more_than`` -> ">", ``approx`` -> "≈", ``up_to`` -> "≤", ``range`` -> "a–b".

Every language rule is data in ``i18n/locales/<lang>.yaml``, never a branch on a language code:

=========================  =====================================================================
``fmt_babel_locale``       Babel locale of numbers and dates
``fmt_thousands``          ``long`` or ``short`` compact form below a million ("155 min")
``unit_<unit>``            template of a value with its unit: ``{num}`` (signed number),
                           ``{sign}`` and ``{abs}``; ``unit_<unit>_<plural form>`` (CLDR
                           one/few/many...) wins where present ("1 год", "2 года", "5 лет")
``per_<period>``           rate suffix ("/il", "/year", "/год")
``fmt_date_day`` etc.      Babel date patterns of a day, a month with year, a month alone
``fmt_year``               ``ordinal_az`` ("2025-ci") or ``plain``: the year inside periods
``fmt_part``               ``roman`` ("I yarısı", "I полугодие") or ``arabic`` ("H1")
``period_*``               the period phrases ("by {year}", "{part} полугодие {year} г.")
=========================  =====================================================================

Example:
    >>> format_value(123_450_000, "USD", "az")
    '123,45 mln $'
    >>> format_value(2_500_000, "t", "en", qualifier="more_than")
    '>2.5M t'
    >>> format_value(123_450_000, "USD", "ru")
    '123,45 млн $'
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from i18n.text import REGISTER_LANG, babel_locale, has, parse_lang, t

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


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_number(value: float, lang: str) -> str:
    """A bare number, compact for large values: az '123,45 mln', en '123.45M', ru '123,45 млн'.

    Below a thousand the number is printed in full with up to two decimals. Between a thousand
    and a million the locale's ``fmt_thousands`` form is used (Azerbaijani has no short form
    for thousands in CLDR, so it uses the long one: '155 min').
    """
    loc = babel_locale(lang)
    a = abs(value)
    if a < 1000:
        return format_decimal(value, format="#,##0.##", locale=loc)
    form = t("fmt_thousands", lang) if a < 1_000_000 else "short"
    out = format_compact_decimal(value, format_type=form, fraction_digits=2, locale=loc)
    return out.replace(NBSP, " ")


def _unit_template(value: float, unit: str, lang: str) -> str | None:
    """``unit_<unit>_<plural form>`` or ``unit_<unit>`` of ``lang``; None for an unknown unit."""
    plural = babel_locale(lang).plural_form(abs(value))
    for key in (f"unit_{unit}_{plural}", f"unit_{unit}"):
        if has(key, lang):
            return t(key, lang)
    return None


def _one(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return format_percent(value / 100, format="#,##0.##%", locale=babel_locale(lang))
    num = format_number(value, lang)
    template = _unit_template(value, unit, lang)
    if template is None:  # a unit the locale does not know is printed as its code
        return f"{num} {unit}"
    return template.format(num=num, sign="-" if value < 0 else "",
                           abs=format_number(abs(value), lang)).strip()


def format_value(value: float, unit: str, lang: str, qualifier: str = "exact",
                 value_high: float | None = None, per: str | None = None) -> str:
    """A figure as a reader sees it, with qualifier, unit and rate.

    >>> format_value(1_500_000, "t", "az", per="year")
    '1,5 mln t/il'
    >>> format_value(40, "percent", "en", qualifier="approx")
    '≈40%'
    >>> format_value(5, "times", "az", qualifier="approx")
    '≈5 dəfə'
    >>> format_value(30, "years", "ru", qualifier="more_than"), format_value(2, "years", "ru")
    ('>30 лет', '2 года')
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
        key = f"per_{per}"
        text += t(key, lang) if has(key, lang) else f"/{per}"
    return text


def format_ratio(ratio: float, lang: str) -> str:
    """A share as a percentage with one decimal: az '59,8%', en '59.8%'."""
    return format_percent(ratio, format="#,##0.0%", locale=babel_locale(lang))


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
    if precision == "year":
        return str(day.year)
    key = "fmt_date_month" if precision == "month" else "fmt_date_day"
    return _babel_date(day, t(key, lang), locale=babel_locale(lang))


def format_short_date(d: object, precision: str, lang: str) -> str:
    """Compact date for source lines: day precision as 21.10.2025, coarser as format_date."""
    day = _as_date(d)
    if day is None or precision == "unknown":
        return "—"
    if precision == "day":
        return day.strftime("%d.%m.%Y")
    return format_date(day, precision, lang)


# --- periods ----------------------------------------------------------------------------------
# Azerbaijani ordinal suffix of a year ("2025-ci", "2029-cu", "2024-cü", "2026-cı") follows the
# vowel of the last number word spoken: the ones digit, else the tens, else hundreds/thousands.
_AZ_ORDINAL_ONES = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci",
                    9: "cu"}
_AZ_ORDINAL_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci",
                    9: "cı"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
HORIZON_KINDS = ("target", "forecast")
INFERRED_MARK = "*"


def _az_ordinal(year: int) -> str:
    ones, tens, hundreds = year % 10, year // 10 % 10, year // 100 % 10
    if ones:
        suffix = _AZ_ORDINAL_ONES[ones]
    elif tens:
        suffix = _AZ_ORDINAL_TENS[tens]
    else:
        suffix = "cü" if hundreds else "ci"  # yüz / min
    return f"{year}-{suffix}"


# How a locale writes the year inside a period phrase (``fmt_year``) and the number of a half
# or quarter (``fmt_part``).
YEAR_FORMS = {"ordinal_az": _az_ordinal, "plain": str}
PART_FORMS = {"roman": _ROMAN.__getitem__, "arabic": str}


def year_ordinal(year: int, lang: str) -> str:
    """A year as ``lang``'s period phrases want it: the ordinal Azerbaijani puts before "il"
    ('2025-ci'); the plain year in English and Russian.

    >>> [year_ordinal(y, "az") for y in (2025, 2029, 2024, 2026, 2030, 2000, 1999)]
    ['2025-ci', '2029-cu', '2024-cü', '2026-cı', '2030-cu', '2000-ci', '1999-cu']
    >>> year_ordinal(2025, "ru")
    '2025'
    """
    return YEAR_FORMS[t("fmt_year", lang)](year)


def _part(n: int, lang: str) -> str:
    return PART_FORMS[t("fmt_part", lang)](n)


def _month(d: dt.date, lang: str, with_year: bool = True) -> str:
    key = "fmt_date_month" if with_year else "fmt_month"
    return _babel_date(d, t(key, lang), locale=babel_locale(lang))


def _month_end(d: dt.date) -> bool:
    return (d + dt.timedelta(days=1)).month != d.month


def _span(start: dt.date, end: dt.date, lang: str) -> str:
    """A period with both ends, at the coarsest grain its dates allow."""
    whole_months = start.day == 1 and _month_end(end)
    if whole_months and start.month == 1 and end.month == 12:
        if start.year == end.year:
            return t("period_year", lang, year=start.year)
        return t("period_years", lang, start=start.year, end=end.year)
    if whole_months and start.year == end.year:
        months = end.month - start.month + 1
        if months == 6 and start.month in (1, 7):
            return t("period_half", lang, year=year_ordinal(start.year, lang),
                     part=_part(start.month // 6 + 1, lang))
        if months == 3 and start.month in (1, 4, 7, 10):
            return t("period_quarter", lang, year=year_ordinal(start.year, lang),
                     part=_part((start.month - 1) // 3 + 1, lang))
    if start == end:
        return format_date(start, "day", lang)
    if (start.year, start.month) == (end.year, end.month):
        return _month(start, lang)
    if start.year == end.year:
        return f"{_month(start, lang, with_year=False)}–{_month(end, lang)}"
    return f"{_month(start, lang)} – {_month(end, lang)}"


def format_period(fields, lang: str, published: object = None) -> str:
    """The period of a figure, in ``lang``, from ``period_start``/``period_end`` (a row of the
    ``figures`` table or a dict with those keys; ``kind`` and ``period_basis`` are read too).

    ``published`` (the source's publication date) marks a period lying wholly after it as a
    horizon ("by 2029"). When ``period_basis`` is inferred, "*" is appended (the register's
    caveat marker). The English ``period_label`` is only used when the dates are malformed.

    >>> import datetime as dt
    >>> h1 = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 6, 30)}
    >>> format_period(h1, "az"), format_period(h1, "en")
    ('2025-ci ilin I yarısı', 'H1 2025')
    >>> stock = {"period_start": None, "period_end": dt.date(2024, 3, 1)}
    >>> format_period(stock, "az"), format_period(stock, "en")
    ('mart 2024 üzrə', 'as of Mar 2024')
    >>> goal = {"period_start": None, "period_end": dt.date(2029, 12, 31), "kind": "forecast"}
    >>> format_period(goal, "az"), format_period(goal, "en")
    ('2029-cu ilədək', 'by 2029')
    >>> format_period({"period_start": None, "period_end": None}, "az")
    'dövr göstərilməyib'
    >>> format_period(h1, "ru")
    'I полугодие 2025 г.'
    """
    lang = parse_lang(lang)
    get = fields.get
    start, end = _as_date(get("period_start")), _as_date(get("period_end"))
    kind = get("kind")
    kind = kind if isinstance(kind, str) else ""
    pub = _as_date(published)
    if start is not None and end is not None and end < start:
        label = get("period_label")
        text = label if isinstance(label, str) and label else f"{start} – {end}"
    elif start is None and end is None:
        text = t("period_none", lang)
    elif start is None:
        if kind in HORIZON_KINDS or (pub is not None and end > pub):
            if end.month == 12 and end.day == 31:
                text = t("period_by_year", lang, year=year_ordinal(end.year, lang))
            else:
                text = t("period_by_date", lang, date=_month(end, lang))
        else:
            text = t("period_as_of", lang, date=_month(end, lang))
    elif end is None:
        text = t("period_from", lang, date=_month(start, lang))
    elif ((kind in HORIZON_KINDS or (pub is not None and start > pub))
          and start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31)):
        # a target or forecast for a year, or any figure about a year still to come
        text = t("period_by_year", lang, year=year_ordinal(end.year, lang))
    else:
        text = _span(start, end, lang)
    if get("period_basis") == "inferred":
        text += INFERRED_MARK
    return text


def _year_back(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def format_base_period(fields, lang: str) -> str:
    """The base period of a change (``base_period_label``, free text in English), in ``lang``.

    The register's translation (``base_period_label_<lang>``) is used when the row has one.
    Otherwise: the register states it in words only. When it is exactly the English rendering of the
    figure's own period one year earlier ("H1 2024" for H1 2025), that period is rendered in
    ``lang``; any other wording ("current level (base year not stated)") is kept as written.

    >>> import datetime as dt
    >>> row = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 7, 31),
    ...        "base_period_label": "Jan–Jul 2024"}
    >>> format_base_period(row, "az")
    'yanvar–iyul 2024'
    """
    label = fields.get("base_period_label")
    if not isinstance(label, str) or not label:
        return ""
    own = fields.get(f"base_period_label_{parse_lang(lang)}")
    if isinstance(own, str) and own.strip():  # the register's own translation
        return own
    start, end = _as_date(fields.get("period_start")), _as_date(fields.get("period_end"))
    if parse_lang(lang) == REGISTER_LANG or start is None or end is None:
        return label
    before = {"period_start": _year_back(start), "period_end": _year_back(end)}
    if format_period(before, REGISTER_LANG) == label:
        return format_period(before, lang)
    return label
