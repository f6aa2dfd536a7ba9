"""Streamlit pieces shared by the pages: a chart with its sources, caveats, text alternative
and embed code; safe text output; the message shown when the tables are missing.

Everything from the tables is shown as text, never as markup: ``plain`` escapes Markdown,
HTML and Streamlit's own directives before ``st.markdown``/``st.caption``.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
import streamlit as st

from ui import state
from ui.catalogue import ChartSpec
from ui.charts import conflicts, figure_text, indicator_label, period_text
from ui.citations import sources_line
from ui.data import Tables, TablesUnavailable, cached_tables, tables_dir
from ui.i18n import localized, t

log = logging.getLogger(__name__)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text: object) -> str:
    """Text safe for st.markdown/st.caption: Markdown, HTML and directives escaped.

    >>> plain("<script>x</script> [a](javascript:b)")
    '\\\\<script\\\\>x\\\\</script\\\\> \\\\[a\\\\]\\\\(javascript\\\\:b\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def page_theme_css(theme: str) -> str:
    """A <style> that gives the page the dark charts' background and text colours, or '' for
    light. Streamlit cannot switch its theme per session (config.toml fixes base = "light"),
    so the dark option repaints the app's surfaces; widgets keep their own light styling."""
    if theme != "dark":
        return ""
    from ui.charts import theme_colors

    bg, fg = theme_colors("dark")
    surface = "#262730"  # Streamlit's own dark secondary background
    return (
        "<style>"
        f'.stApp, [data-testid="stHeader"], [data-testid="stSidebar"] > div'
        f" {{ background-color: {bg}; color: {fg}; }}"
        f".stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp p, .stApp li, .stApp label,"
        f' .stApp summary, .stApp span, [data-testid="stMetricValue"] {{ color: {fg}; }}'
        # widgets paint their own light surfaces (emotion classes): !important is needed
        f'.stApp [data-testid="stBaseButton-secondary"],'
        f' .stApp button[data-variant="segmented_control"][aria-checked="false"],'
        f' .stApp [data-baseweb="select"] > div,'
        f' .stApp [data-testid="stCode"] pre, .stApp [data-testid="stAlertContainer"],'
        f' .stApp [data-testid="stExpander"] details'
        f" {{ background-color: {surface} !important; color: {fg} !important;"
        f" border-color: #4A4F58 !important; }}"
        "</style>"
    )


def tables_or_stop(lang: str) -> Tables:
    """The cached tables, or a friendly message with the build command and ``st.stop()``."""
    try:
        return cached_tables()
    except TablesUnavailable as exc:
        log.warning("tables unavailable: %s", exc.message)
        st.error(f"**{t('tables_missing_title', lang)}**\n\n{t('tables_missing_body', lang)}")
        # the reader sees file names, not the server's directory layout
        st.caption(plain(exc.message.replace(f"{tables_dir()}/", "")))
        st.stop()
        raise  # unreachable: st.stop() raises


def caveats(rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    """One caption per figure or event that carries a note (ambiguous year, a claim rather
    than the official series, how a relative date was resolved)."""
    if rows.empty or "note" not in rows.columns:
        return
    title_col = "title_az" if lang == "az" else "title_en"
    for _, r in rows[rows["note"].notna()].iterrows():
        if "indicator_id" in rows.columns:
            head = (f"{indicator_label(tables, r['indicator_id'], lang)} · "
                    f"{period_text(r, tables, lang)} · "
                    f"{figure_text(r, lang)}")
        else:
            head = str(r.get(title_col, ""))
        note = localized(r, "note", lang) or ""
        st.caption(f"**{t('caveat_label', lang)}** ({plain(head)}): {plain(note)}")


def conflict_warning(rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    if rows.empty or "figure_id" not in rows.columns or "indicator_id" not in rows.columns:
        return
    flagged = conflicts(rows)
    if flagged.empty:
        return
    items = "; ".join(
        f"{figure_text(r, lang)} ({period_text(r, tables, lang)}, {r['attributed_to']})"
        for _, r in flagged.iterrows())
    st.warning(plain(t("conflict_note", lang, items=items)), icon="⚠️")


def embed_code(spec: ChartSpec, lang: str) -> None:
    with st.expander(t("embed_label", lang)):
        try:
            from ui.embeds import iframe_snippets
            snippets = iframe_snippets(spec.chart_id, lang)
        except (ImportError, KeyError, ValueError) as exc:
            log.warning("no embed snippets for %s: %s", spec.chart_id, exc)
            st.caption(t("embed_unavailable", lang))
            return
        st.caption(t("embed_static", lang))
        st.code(snippets["static"], language="html")
        st.caption(t("embed_live", lang))
        st.code(snippets["live"], language="html")


def chart(spec: ChartSpec, tables: Tables, lang: str, theme: str | None = None,
          rows: pd.DataFrame | None = None) -> None:
    """A chart at full width followed by its sources line, conflicts, caveats, a text
    alternative and the embed code. A failure in one chart is logged and reported in one
    sentence; the rest of the page still renders."""
    theme = theme or state.current_theme()
    try:
        fig = spec.build(tables, lang, theme)
        shown = spec.rows(tables) if rows is None else rows
        described = spec.describe(tables, lang)
    except Exception:  # one broken chart must not take the page down; logged with traceback
        log.exception("chart %s failed", spec.chart_id)
        st.warning(t("unexpected_error", lang))
        return
    st.plotly_chart(fig, width="stretch", theme=None, key=f"chart-{spec.chart_id}",
                    config={"displaylogo": False, "responsive": True}, alt=described[:500])
    line = sources_line(shown, tables, lang)
    if line:
        st.caption(plain(line))
    conflict_warning(shown, tables, lang)
    caveats(shown, tables, lang)
    with st.expander(t("text_alternative", lang)):
        st.markdown(plain(described))
    embed_code(spec, lang)
