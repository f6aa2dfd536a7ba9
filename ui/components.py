"""Streamlit pieces shared by the pages: a chart with its sources, caveats, text alternative
and embed code; safe text output; the message shown when the tables are missing.

Everything from the tables is shown as text, never as markup: ``plain`` escapes Markdown,
HTML and Streamlit's own directives before ``st.markdown``/``st.caption``.
"""

from __future__ import annotations

import html
import logging
import re

import pandas as pd
import streamlit as st

from charts.catalogue import ChartSpec
from charts.citations import describe_source, highlight_quotes, sources_line
from charts.conflicts import conflicts
from charts.embed import embed_figure, iframe_snippets
from charts.labels import (
    figure_text,
    indicator_label,
    is_inferred,
    period_text,
    side_name,
    speaker,
)
from charts.style import theme_colors
from etl.schema import BASES, EVENT_KINDS, FIGURE_KINDS, REPORTING_SIDES
from etl.store import Tables, TablesUnavailable, raw_text, tables_dir
from i18n.fmt import format_date
from i18n.text import localized, quote_rendering, t
from ui import state
from ui.data import cached_tables

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
    for _, r in rows[rows["note"].notna()].iterrows():
        if "indicator_id" in rows.columns:
            head = (f"{indicator_label(tables, r['indicator_id'], lang)} · "
                    f"{period_text(r, tables, lang)} · "
                    f"{figure_text(r, lang)}")
        else:
            head = localized(r, "title", lang) or ""
        note = localized(r, "note", lang) or ""
        st.caption(f"**{t('caveat_label', lang)}** ({plain(head)}): {plain(note)}")


def conflict_warning(rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    if rows.empty or "figure_id" not in rows.columns or "indicator_id" not in rows.columns:
        return
    flagged = conflicts(rows)
    if flagged.empty:
        return
    items = "; ".join(
        f"{figure_text(r, lang)} ({period_text(r, tables, lang)}, {speaker(r, lang)})"
        for _, r in flagged.iterrows())
    st.warning(plain(t("conflict_note", lang, items=items)), icon="⚠️")


def embed_code(spec: ChartSpec, lang: str) -> None:
    with st.expander(t("embed_label", lang)):
        try:
            snippets = iframe_snippets(spec.chart_id, lang)
        except (KeyError, ValueError) as exc:
            log.warning("no embed snippets for %s: %s", spec.chart_id, exc)
            st.caption(t("embed_unavailable", lang))
            return
        st.caption(t("embed_static", lang))
        st.code(snippets["static"], language="html")
        st.caption(t("embed_live", lang))
        st.code(snippets["live"], language="html")


def chart(spec: ChartSpec, tables: Tables, lang: str, theme: str | None = None,
          rows: pd.DataFrame | None = None, embed: bool = False) -> bool:
    """A chart at full width followed by its sources line, conflicts and caveats; on a page
    also a text alternative and the embed code. ``embed`` draws it as the live embed does
    (title left to the page, width following the column).

    A failure in one chart is logged and reported in one sentence, and False returned; the
    rest of the page still renders.
    """
    theme = theme or state.current_theme()
    try:
        fig = spec.build(tables, lang, theme)
        shown = spec.rows(tables) if rows is None else rows
        described = spec.describe(tables, lang)
    except Exception:  # one broken chart must not take the page down; logged with traceback
        log.exception("chart %s failed", spec.chart_id)
        st.warning(t("unexpected_error", lang))
        return False
    if embed:
        embed_figure(fig)
    st.plotly_chart(fig, width="stretch", theme=None, key=f"chart-{spec.chart_id}",
                    config={"displaylogo": False, "responsive": True}, alt=described[:500])
    line = sources_line(shown, tables, lang)
    if line:
        st.caption(plain(line))
    conflict_warning(shown, tables, lang)
    caveats(shown, tables, lang)
    if not embed:
        with st.expander(t("text_alternative", lang)):
            st.markdown(plain(described))
        embed_code(spec, lang)
    return True


# --- page sections ------------------------------------------------------------------------------

def headline_card(row: pd.Series, tables: Tables, lang: str) -> None:
    """One headline figure as a metric card: value (``*`` when inferred), period, kind,
    reporting side and source."""
    sources = tables.sources.set_index("source_id")
    with st.container(border=True):
        value = figure_text(row, lang) + ("*" if is_inferred(row, tables) else "")
        st.metric(plain(indicator_label(tables, row["indicator_id"], lang)), value)
        lines = [t("card_period", lang, period=period_text(row, tables, lang))]
        if row["kind"] != "observed":
            lines.append(t(f"kind_{row['kind']}", lang))
        if row.get("reporting_side") in REPORTING_SIDES:
            lines.append(t("card_side", lang, side=side_name(row["reporting_side"], lang)))
        if row["source_id"] in sources.index:
            lines.append(describe_source(sources.loc[row["source_id"]], lang))
        st.caption(plain(" · ".join(lines)))


def figures_view(view: pd.DataFrame, tables: Tables, lang: str) -> pd.DataFrame:
    """The Data page's table: ``view`` (rows of ``figures``) with reader-facing columns in
    ``lang`` first (indicator, value, period, kind, source, quote and its rendering, caveat,
    basis, speaker), then the raw codes."""
    labels = {"indicator": t("col_indicator", lang), "value": t("col_value", lang),
              "period": t("col_period", lang), "kind": t("col_kind", lang),
              "source": t("col_source", lang), "quote": t("col_quote", lang),
              "rendering": t("col_quote_rendering", lang), "note": t("col_note", lang),
              "basis": t("col_basis", lang), "speaker": t("speaker_label", lang)}
    rows = [r for _, r in view.iterrows()]
    rendered = [quote_rendering(r, lang) for r in rows]
    shown = view.assign(**{
        labels["indicator"]: [indicator_label(tables, i, lang) for i in view["indicator_id"]],
        labels["value"]: [figure_text(r, lang) for r in rows],
        labels["period"]: [period_text(r, tables, lang) for r in rows],
        labels["kind"]: [t(f"kind_{k}", lang) if k in FIGURE_KINDS else k for k in view["kind"]],
        labels["source"]: view["source_id"],
        labels["quote"]: view["quote"],
        labels["rendering"]: [None if x is None else x[0] for x in rendered],
        labels["note"]: [localized(r, "note", lang) for r in rows],
        labels["basis"]: [t(f"basis_{b}", lang) if b in BASES else b
                          for b in view["period_basis"]],
        labels["speaker"]: [speaker(r, lang) for r in rows],
    })
    return shown[["figure_id", *labels.values(), "value", "unit", "qualifier", "indicator_id",
                  "kind"]]


def _meta_row(label: str, value: object) -> str:
    return (f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
            f"<td>{html.escape(str(value))}</td></tr>")


def article_meta(src: pd.Series, lang: str) -> None:
    """An article's metadata (outlet, via, author, speaker, date and its basis, notes, hash)
    as a small table under its title, and a button to the original address."""
    published = format_date(src["published"], src["published_precision"], lang)
    rows = [_meta_row(t("meta_outlet", lang), localized(src, "outlet", lang) or "")]
    for key, col in (("meta_via", "via"), ("meta_author", "author")):
        if isinstance(src.get(col), str) and src[col]:
            rows.append(_meta_row(t(key, lang), src[col]))
    basis = src["published_basis"]
    rows += [
        _meta_row(t("meta_speaker", lang), f"{localized(src, 'speaker', lang) or ''} — "
                                           f"{localized(src, 'speaker_role', lang) or ''}"),
        _meta_row(t("meta_published", lang), published),
        _meta_row(t("meta_basis", lang), t(f"basis_{basis}", lang) if basis in BASES else basis),
    ]
    for col in ("published_note", "note"):
        text = localized(src, col, lang)
        if text is not None:
            rows.append(_meta_row(t("meta_note", lang), text))
    rows.append(_meta_row(t("meta_sha256", lang), src["sha256"]))
    title = localized(src, "title", lang) or ""
    st.html(f"<h3>{html.escape(title)}</h3><table>{''.join(rows)}</table>")
    url = src.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        st.link_button(t("meta_url", lang), url)


def article_text(src: pd.Series, figures: pd.DataFrame, events: pd.DataFrame,
                 lang: str) -> None:
    """The article body as received, escaped, with the quoted passages of ``figures`` and
    ``events`` highlighted; a one-line warning when the raw file cannot be read."""
    try:
        raw = raw_text(src)
    except (OSError, UnicodeDecodeError):
        st.warning(t("article_unavailable", lang, path=str(src["raw_path"])))
        return
    b0, b1 = int(src["body_start"]), int(src["body_end"])
    quoted = figures[figures["quote_start"].notna()]
    spans = [(int(r["quote_start"]) - b0, int(r["quote_end"]) - b0,
              f"{r['figure_id']}: {(quote_rendering(r, lang) or ('',))[0]}")
             for _, r in quoted.iterrows()]
    spans += [(int(r.quote_start) - b0, int(r.quote_end) - b0, f"{r.event_id}")
              for r in events.itertuples()]
    body = highlight_quotes(raw[b0:b1], spans)
    st.html(f"<div style='white-space:pre-wrap;line-height:1.6;max-width:60em'>{body}</div>")


def figure_list(figures: pd.DataFrame, tables: Tables, lang: str) -> None:
    """Figures as a bullet list: value, indicator, period, kind, quote and its rendering."""
    for _, r in figures.iterrows():
        rendering = quote_rendering(r, lang)
        st.markdown(f"- **{plain(figure_text(r, lang))}** · "
                    f"{plain(indicator_label(tables, r['indicator_id'], lang))} · "
                    f"{plain(period_text(r, tables, lang))} · "
                    f"{plain(t(f'kind_{r.kind}', lang))}  \n"
                    f"  «{plain(r['quote'])}»"
                    + (f" — {plain(rendering[0])}" if rendering else ""))


def event_list(events: pd.DataFrame, lang: str, with_kind: bool = False) -> None:
    """Events as a bullet list in date order: date, (kind,) title, inferred-date mark."""
    for _, ev in events.sort_values("date_start").iterrows():
        parts = [f"**{plain(format_date(ev['date_start'], ev['precision'], lang))}**"]
        if with_kind:
            kind = t(f"evkind_{ev['kind']}", lang) if ev["kind"] in EVENT_KINDS else ev["kind"]
            parts.append(plain(kind))
        parts.append(plain(localized(ev, "title", lang) or ""))
        mark = (f" *({t('date_basis_inferred', lang)})*" if ev["date_basis"] == "inferred"
                else "")
        st.markdown("- " + " · ".join(parts) + mark)
