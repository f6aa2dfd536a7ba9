"""What a chart says about a figure: its label, value, period, hover text and the text
alternative for screen readers, in the reader's language. Pure (no Streamlit, no Plotly).

Hover shows the verbatim quote, its rendering in the reader's language (English for
Azerbaijani readers), who said it, the source and any caveat.
"""

from __future__ import annotations

import re

import pandas as pd

from charts.citations import describe_source, source_key
from charts.conflicts import conflicts
from charts.style import KIND_SYMBOL, wrapped
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


def point_lines(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> list[str]:
    """What a reader learns about one figure, as plain lines in ``lang``: indicator, value and
    kind, period (and base), formula in words, the quote and its rendering, speaker, the full
    source, the caveat (ids replaced by reader text), what ``*`` means, the conflict flag.
    The hover box and the panel under a tapped point show the same lines."""
    kind = as_str(row["kind"])
    kind_text = t(f"kind_{kind}", lang) if kind in KIND_SYMBOL else kind
    lines = [indicator_label(tables, row["indicator_id"], lang),
             f"{label(row, tables, lang, False)} · {kind_text}",
             f"{t('period_label', lang)}: {period_text(row, tables, lang)}"]
    if base_text(row, lang):
        lines.append(base_text(row, lang))
    if kind == "derived":
        lines.append(f"{t('formula_label', lang)}: "
                     f"{formula_words(as_str(row.get('formula')), tables, lang)}")
    lines.append(f"{t('quote_label', lang)}: «{as_str(row.get('quote'))}»")
    rendering = quote_rendering(row, lang)
    if rendering is not None:
        text, label_key = rendering
        lines.append(f"{t(label_key, lang)}: “{text}”")
    lines.append(f"{t('speaker_hover', lang)}: {speaker(row, lang)}")
    src = source_row(tables, as_str(row.get("source_id")))
    if src is not None:
        lines.append(describe_source(src, lang))
    note = localized(row, "note", lang)
    if note is not None:
        lines.append(f"{t('caveat_label', lang)}: {reader_text(note, tables, lang)}")
    if is_inferred(row, tables):
        lines.append(t("inferred_explained", lang))
    if conflict:
        lines.append(t("conflict_flag", lang))
    return lines


def hover(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> str:
    """Hover text: ``point_lines``, the first in bold, every line wrapped at ``HOVER_WIDTH``
    characters and escaped with ``plotly_text`` (Plotly renders a subset of HTML and shows any
    other entity literally)."""
    lines = point_lines(row, tables, lang, conflict)
    return "<br>".join([f"<b>{wrapped(lines[0])}</b>", *(wrapped(x) for x in lines[1:])])


# A register id as written in notes and formulas: a lowercase slug with at least one hyphen.
_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
_OPERATORS = {"/": "÷", "*": "×", "-": "−"}


_ID_TEXTS: tuple[Tables, str, dict[str, str]] | None = None


def _id_texts(tables: Tables, lang: str) -> dict[str, str]:
    """Reader text for every figure, event and source id: what a note or formula means by it.
    Computed once per Tables and language (one slot)."""
    global _ID_TEXTS
    cached = _ID_TEXTS
    if cached is not None and cached[0] is tables and cached[1] == lang:
        return cached[2]
    texts: dict[str, str] = {}
    for _, r in tables.figures.iterrows():
        texts[r["figure_id"]] = f"{figure_text(r, lang)}, {period_text(r, tables, lang)}"
    for _, r in tables.events.iterrows():
        texts[r["event_id"]] = localized(r, "title", lang) or ""
    for sid, r in tables.sources_by_id.items():
        texts[sid] = localized(r, "outlet", lang) or ""
    _ID_TEXTS = (tables, lang, texts)
    return texts


def reader_text(text: str, tables: Tables, lang: str) -> str:
    """``text`` (a note from the register) with every figure, event or source id it names
    replaced by what a reader can use: the figure's value and period, the event's title, the
    source's outlet. Ids never reach a reader; an unknown slug stays as written.

    >>> from types import SimpleNamespace
    >>> tables = SimpleNamespace(figures=pd.DataFrame(columns=["figure_id"]),
    ...     events=pd.DataFrame({"event_id": ["visit-2025"], "title_en": ["State visit"]}),
    ...     sources_by_id={})
    >>> reader_text("Also reported (visit-2025).", tables, "en")
    'Also reported (State visit).'
    """
    texts = _id_texts(tables, lang)
    return _ID.sub(lambda m: texts.get(m.group(0)) or m.group(0), text)


def formula_words(formula: str, tables: Tables, lang: str) -> str:
    """A derived figure's formula with each input id replaced by its value and period and the
    operators written as a reader writes them ('12,5 mln $, 2025 I yarımil − …').

    An empty formula stays empty.
    """
    texts = _id_texts(tables, lang)
    out = []
    for token in formula.split():
        if token in texts:
            out.append(texts[token])
            continue
        token = _ID.sub(lambda m: texts.get(m.group(0)) or m.group(0), token)
        out.append(_OPERATORS.get(token, token))
    return " ".join(out)


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.S)


def first_sentence(text: str) -> str:
    """The first sentence of a note: the one line a card or an embed shows.

    >>> first_sentence("Year uncertain. The value matches 2022 (4.41 times).")
    'Year uncertain.'
    """
    m = _SENTENCE.match(text.strip())
    return m.group(1) if m else text.strip()


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
    return source_key(src, lang) if src is not None else t("source_unknown", lang)


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

