"""What a chart says about a figure: its label, value, period, hover text and the text
alternative for screen readers, in the reader's language. Pure (no Streamlit, no Plotly).

Hover shows the verbatim quote, its rendering in the reader's language (English for
Azerbaijani readers), who said it, the source and any caveat.
"""

from __future__ import annotations

import html

import pandas as pd

from charts.citations import describe_source
from charts.conflicts import conflicts
from charts.style import KIND_SYMBOL, wrap
from etl.schema import REPORTING_SIDES
from etl.store import Tables
from i18n.fmt import format_base_period, format_date, format_period, format_value
from i18n.text import localized, quote_rendering, t


def isna(v: object) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def as_str(v: object) -> str:
    return "" if isna(v) else str(v)


def indicator_label(tables: Tables, indicator_id: str, lang: str) -> str:
    """Indicator label in ``lang`` (the id itself when the indicator is not in the table)."""
    row = tables.indicators_by_id.get(indicator_id)
    if row is None:
        return indicator_id
    return localized(row, "label", lang) or indicator_id


def figure_text(row: pd.Series, lang: str) -> str:
    """The figure's value as a reader sees it, e.g. '>3,5 mln t' (qualifier included)."""
    return format_value(row["value"], row["unit"], lang, qualifier=as_str(row["qualifier"]),
                        value_high=None if isna(row.get("value_high")) else row["value_high"],
                        per=as_str(row.get("per")) or None)


def source_row(tables: Tables, source_id: str) -> pd.Series | None:
    return tables.sources_by_id.get(source_id)


def period_text(row: pd.Series, tables: Tables, lang: str) -> str:
    """The figure's period in ``lang`` (``i18n.fmt.format_period``), e.g. '2025-ci ilin I yarısı';
    the source's publication date tells a future period ("2029-cu ilədək") from a past one."""
    src = source_row(tables, as_str(row.get("source_id")))
    return format_period(row, lang, published=None if src is None else src.get("published"))


def base_text(row: pd.Series, lang: str) -> str:
    """'vs <base period>' of a change in ``lang``, or '' when the row has no base period."""
    base = format_base_period(row, lang)
    return t("vs_base", lang, base=base) if base else ""


def is_inferred(row: pd.Series, tables: Tables) -> bool:
    """True when the figure's period or its source's publication date was inferred."""
    if as_str(row.get("period_basis")) == "inferred":
        return True
    src = source_row(tables, as_str(row.get("source_id")))
    return src is not None and as_str(src.get("published_basis")) == "inferred"

def speaker(row: pd.Series, lang: str) -> str:
    """Who is quoted (``attributed_to``), in ``lang``."""
    return localized(row, "attributed_to", lang) or ""


def hover(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> str:
    """Hover text: value, period, quote and its rendering, speaker, source, caveat. Text is
    HTML-escaped because Plotly renders a subset of HTML in hover labels."""
    e = html.escape
    kind = as_str(row["kind"])
    kind_text = t(f"kind_{kind}", lang) if kind in KIND_SYMBOL else kind
    parts = [f"<b>{e(indicator_label(tables, row['indicator_id'], lang))}</b>",
             f"{e(figure_text(row, lang))} · {e(kind_text)}",
             f"{e(t('period_label', lang))}: {e(period_text(row, tables, lang))}"]
    if base_text(row, lang):
        parts.append(e(base_text(row, lang)))
    if row["kind"] == "derived":
        parts.append(f"{e(t('formula_label', lang))}: {e(as_str(row.get('formula')))}")
    quote = wrap(as_str(row.get("quote")))
    parts.append(f"{e(t('quote_label', lang))}: «{'<br>'.join(e(q) for q in quote)}»")
    rendering = quote_rendering(row, lang)
    if rendering is not None:
        text, label_key = rendering
        parts.append(f"{e(t(label_key, lang))}: “{'<br>'.join(e(q) for q in wrap(text))}”")
    parts.append(f"{e(t('speaker_hover', lang))}: {e(speaker(row, lang))}")
    src = source_row(tables, as_str(row.get("source_id")))
    if src is not None:
        parts.append(e(describe_source(src, lang)))
    note = localized(row, "note", lang)
    if note is not None:
        parts.append(f"{e(t('caveat_label', lang))}: "
                     + "<br>".join(e(q) for q in wrap(note)))
    if conflict:
        parts.append(f"<b>{e(t('conflict_flag', lang))}</b>")
    return "<br>".join(parts)


def breakable(text: str) -> str:
    """Let a long month range wrap after its dash: 'yanvar–iyul 2025' -> 'yanvar– iyul 2025'."""
    return " ".join(w.replace("–", "– ") if len(w) > 8 else w for w in text.split())


def label(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> str:
    text = figure_text(row, lang)
    if row["kind"] == "derived":
        text += f" ({t('derived_label', lang)})"
    if is_inferred(row, tables):
        text += "*"
    if conflict:
        text = "⚠ " + text
    return text


def x_of(row: pd.Series, tables: Tables) -> tuple[object, object, object]:
    """(start, mid, end) of the figure on the time axis; start/end None for a point.

    A figure without period dates is placed at its source's publication date ("as stated").
    """
    start, end = row.get("period_start"), row.get("period_end")
    if not isna(start) and not isna(end):
        mid = start + (end - start) / 2
        return start, mid, end
    if not isna(end):
        return None, end, None
    if not isna(start):
        return None, start, None
    src = source_row(tables, as_str(row.get("source_id")))
    if src is not None and not isna(src.get("published")):
        return None, src["published"], None
    return None, None, None

def side_name(side: object, lang: str) -> str:
    """A reporting side ('AZ', 'KZ') in words; 'not stated' for anything else.

    >>> side_name("KZ", "en"), side_name(None, "en")
    ('Kazakh side', 'not stated')
    """
    return t(f"side_{side}", lang) if side in REPORTING_SIDES else t("side_unknown", lang)


def group_name(row: pd.Series, tables: Tables, lang: str, color_by: str) -> str:
    if color_by == "indicator":
        return indicator_label(tables, row["indicator_id"], lang)
    if color_by == "reporting_side":
        return side_name(row.get("reporting_side"), lang)
    src = source_row(tables, as_str(row.get("source_id")))
    return describe_source(src, lang) if src is not None else as_str(row.get("source_id"))


def describe_figures(rows: pd.DataFrame, tables: Tables, lang: str, title: str) -> str:
    """Text alternative: title, then one sentence per figure with value, period and speaker."""
    if rows.empty:
        return f"{title}. {t('no_rows', lang)}"
    flagged = set(conflicts(rows)["figure_id"])
    items = []
    for _, r in rows.iterrows():
        kind = t(f"kind_{r['kind']}", lang) if r["kind"] in KIND_SYMBOL else r["kind"]
        item = (f"{indicator_label(tables, r['indicator_id'], lang)}, "
                f"{period_text(r, tables, lang)}: "
                f"{figure_text(r, lang)} ({kind}; {speaker(r, lang)})")
        if r["figure_id"] in flagged:
            item += f" {t('conflict_flag', lang)}"
        items.append(item)
    return f"{title}. " + "; ".join(items) + "."


def describe_events(rows: pd.DataFrame, lang: str, title: str) -> str:
    if rows.empty:
        return f"{title}. {t('no_rows', lang)}"
    items = [f"{format_date(r['date_start'], as_str(r['precision']), lang)}: "
             f"{localized(r, 'title', lang) or ''}"
             + (f" ({t('date_basis_inferred', lang)})" if as_str(r.get('date_basis')) == "inferred"
                else "")
             for _, r in rows.sort_values("date_start").iterrows()]
    return f"{title}. " + "; ".join(items) + "."

