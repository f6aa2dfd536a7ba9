"""Streamlit pieces shared by the pages: a chart with its sources, caveats, text alternative
and embed code; safe text output; the message shown when the tables are missing.

Everything from the tables is shown as text, never as markup: ``plain`` escapes Markdown,
HTML and Streamlit's own directives before ``st.markdown``/``st.caption``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from charts.catalogue import ChartSpec
from charts.checks import references_line
from charts.citations import describe_source, highlight_quotes, source_key, sources_line
from charts.conflicts import conflicts, table_conflicts
from charts.embed import base_url, chart_page_url, embed_notes, iframe_snippets, static_url
from charts.headlines import headline_rows
from charts.labels import (
    figure_text,
    first_sentence,
    indicator_label,
    is_inferred,
    period_text,
    point_lines,
    reader_text,
    side_name,
    speaker,
)
from charts.progress import progress_text, target_progress
from charts.style import theme_colors
from charts.timeline import happenings
from etl.schema import BASES, EVENT_KINDS, FIGURE_KINDS, REPORTING_SIDES
from etl.store import Tables, TablesUnavailable, raw_text, tables_dir
from i18n.fmt import format_date
from i18n.text import localized, quote_rendering, t
from ui import figures, state
from ui.data import cached_tables
from ui.plot import plot_chart

log = logging.getLogger(__name__)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text: object) -> str:
    """Text safe for st.markdown/st.caption: Markdown, HTML and directives escaped.

    >>> plain("<script>x</script> [a](javascript:b)")
    '\\\\<script\\\\>x\\\\</script\\\\> \\\\[a\\\\]\\\\(javascript\\\\:b\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


DARK_LINK = "#8AB4F8"  # links on the dark page: 9.0:1 on its background, 7.0:1 on a surface


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
        f' .stApp button[data-variant="pills"][aria-checked="false"],'
        f' .stApp [data-baseweb="select"] > div,'
        f' .stApp [data-testid="stCode"] pre, .stApp [data-testid="stAlertContainer"],'
        f' .stApp [data-testid="stExpander"] details'
        f" {{ background-color: {surface} !important; color: {fg} !important;"
        f" border-color: #4A4F58 !important; }}"
        # a chosen pill and links: light theme colours read at under 3:1 on the dark surfaces
        f'.stApp button[data-variant="pills"][aria-checked="true"]'
        f" {{ background-color: #31456E !important; color: {fg} !important;"
        f" border-color: {DARK_LINK} !important; }}"
        f".stApp a {{ color: {DARK_LINK} !important; }}"
        "</style>"
    )


# Every page and the live embed: captions at full contrast (Streamlit draws them at 60 %
# opacity, 3.9:1), no floating hover box on phones (a tap fills the panel under the chart
# instead), and the timeline as a list rather than a 130 px chart on phones.
_BASE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, .azkz-caption {
  color: %(caption)s !important; opacity: 1 !important; }
.azkz-cards { container-type: inline-size; }
.azkz-cards ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(3, minmax(0, 1fr)); }
@container (max-width: 44rem) {
  .azkz-cards ul { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@container (max-width: 28rem) { .azkz-cards ul { grid-template-columns: minmax(0, 1fr); } }
.azkz-card { margin: 0; padding: 1rem; border: 1px solid rgba(128, 132, 149, 0.4);
  border-radius: 0.5rem; overflow-wrap: anywhere; }
.azkz-card p { margin: 0 0 0.5rem; }
.azkz-card p:last-child { margin-bottom: 0; }
.azkz-card .azkz-card-value { font-size: 2.25rem; line-height: 1.25; }
.azkz-card .azkz-caption { font-size: 0.875rem; }
@media (max-width: 599px) {
  .js-plotly-plot .hoverlayer { display: none !important; }
  .js-plotly-plot .modebar-container { display: none !important; }
  .st-key-timeline-chart { display: none !important; }
}
</style>"""
_CAPTION = {"light": "#4B4E57", "dark": "#C9CCD3"}
# <html lang> follows the reader's language (Streamlit writes lang="en" for every page).
# A tap on a chart: Plotly selects the point under the finger only when it already knows the
# point from a hover, which a touch screen never sends; a mousemove at the touch point first
# lets the first tap select it (and fill the panel under the chart).
_PAGE_JS = """<script>
document.documentElement.lang = %s;
if (!window.__azkzTap) {
  window.__azkzTap = true;
  document.addEventListener("touchstart", function (e) {
    var t = e.touches && e.touches[0];
    var el = t && document.elementFromPoint(t.clientX, t.clientY);
    if (el && el.closest && el.closest(".js-plotly-plot")) {
      el.dispatchEvent(new MouseEvent("mousemove", {clientX: t.clientX, clientY: t.clientY,
                                                    bubbles: true}));
    }
  }, {capture: true, passive: true});
}
</script>"""


def page_script(lang: str) -> str:
    """The one script every page runs (``<html lang>``, the tap fix), fixed text: only the
    language code, JSON-quoted, changes."""
    return _PAGE_JS % json.dumps(lang)


def page_frame(lang: str, theme: str) -> None:
    """What every page and the live embed share: base CSS, the theme's colours and
    ``<html lang>`` in the reader's language."""
    st.html(_BASE_CSS % {"caption": _CAPTION.get(theme, _CAPTION["light"])}
            + page_theme_css(theme))
    st.html(page_script(lang), unsafe_allow_javascript=True)


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


def caveat_lines(rows: pd.DataFrame, tables: Tables, lang: str) -> list[str]:
    """The captions ``caveats`` shows, in order (Markdown, table text escaped)."""
    lines: list[str] = []
    if rows.empty:
        return lines
    if "note" in rows.columns:
        for _, r in rows[rows["note"].notna()].iterrows():
            if "indicator_id" in rows.columns:
                head = (f"{indicator_label(tables, r['indicator_id'], lang)} · "
                        f"{period_text(r, tables, lang)} · "
                        f"{figure_text(r, lang)}")
            else:
                head = localized(r, "title", lang) or ""
            note = reader_text(localized(r, "note", lang) or "", tables, lang)
            lines.append(f"**{t('caveat_label', lang)}** ({plain(head)}): {plain(note)}")
    if "indicator_id" in rows.columns and any(is_inferred(r, tables)
                                              for _, r in rows.iterrows()):
        lines.append(plain(t("inferred_explained", lang)))
    return lines


def caveats(rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    """One caption per figure or event that carries a note (ambiguous year, a claim rather
    than the official series, how a relative date was resolved), ids replaced by reader text;
    then what ``*`` means when a shown figure carries one."""
    for line in caveat_lines(rows, tables, lang):
        st.caption(line)


def notes_lines(spec: ChartSpec, rows: pd.DataFrame, tables: Tables, lang: str) -> list[str]:
    """The captions ``notes_line`` shows, in order (Markdown, table text escaped)."""
    notes = embed_notes(rows, tables, lang)
    lines = []
    if notes.first_caveat:
        line = f"**{plain(t('caveat_label', lang))}:** {plain(notes.first_caveat)}"
        if notes.more:
            line += (f" [{plain(t('caveat_more', lang, n=notes.more))} ↗]"
                     f"({chart_page_url(spec.chart_id, lang)})")
        lines.append(line)
    if notes.inferred:
        lines.append(plain(notes.inferred))
    return lines


def notes_line(spec: ChartSpec, rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    """An embed's notes line under its chart (``charts.embed.embed_notes``, as the static
    embeds): the first caveat in one sentence, a link to the rest on the chart's dashboard
    page in the same language, and what ``*`` means when a shown figure carries it."""
    for line in notes_lines(spec, rows, tables, lang):
        st.caption(line)


def conflict_text(rows: pd.DataFrame, tables: Tables, lang: str) -> str:
    """The warning ``conflict_warning`` shows (escaped), or '' when no shown figures
    disagree."""
    if rows.empty or "figure_id" not in rows.columns or "indicator_id" not in rows.columns:
        return ""
    flagged = conflicts(rows)
    if flagged.empty:
        return ""
    items = "; ".join(
        f"{figure_text(r, lang)} ({period_text(r, tables, lang)}, {speaker(r, lang)})"
        for _, r in flagged.iterrows())
    return plain(t("conflict_note", lang, items=items))


def conflict_warning(rows: pd.DataFrame, tables: Tables, lang: str) -> None:
    text = conflict_text(rows, tables, lang)
    if text:
        st.warning(text, icon="⚠️")


def embed_code(spec: ChartSpec, lang: str) -> None:
    """The chart's iframe snippets in an expander, written only once the reader opens it: the
    code blocks load Streamlit's 1.5 MB code highlighter, a quarter of a chart page's browser
    time when they sat closed on every page (bench/bench_pages.py)."""
    box = st.expander(t("embed_label", lang), key=f"embed-{spec.chart_id}", on_change="rerun")
    if not box.open:
        return
    with box:
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


def point_panel(ids: list[str], tables: Tables, lang: str) -> None:
    """Under the chart, what the tapped or clicked points say: every line of their hover
    (quote, rendering, speaker, full source, caveat) as plain text. On a phone the floating
    hover box is hidden (``BASE_CSS``) and this panel is where the provenance is read."""
    figures = tables.figures.set_index("figure_id")
    evs = happenings(tables.events)
    with st.container(border=True, key="point-panel"):
        st.markdown(f"**{plain(t('point_panel_heading', lang))}**")
        for fid in dict.fromkeys(ids):
            if fid in figures.index:
                row = figures.loc[fid].copy()
                row["figure_id"] = fid
                flagged = fid in set(conflicts(tables.figures)["figure_id"])
                lines = point_lines(row, tables, lang, flagged)
            else:
                match = evs[evs["event_ids"].str.split(",").map(lambda x, i=fid: i in x)]
                if match.empty:
                    continue
                ev = match.iloc[0]
                lines = [localized(ev, "title", lang) or "",
                         format_date(ev["date_start"], ev["precision"], lang)]
                lines += [f"{t('quote_label', lang)}: «{q}»" for q in ev["quotes"]]
                lines += [describe_source(tables.sources_by_id[sid], lang)
                          for sid in ev["source_ids"].split(",")
                          if sid in tables.sources_by_id]
            st.markdown(f"**{plain(lines[0])}**  \n" + "  \n".join(plain(x) for x in lines[1:]))


def chart_csv(shown: pd.DataFrame) -> bytes:
    """The rows the chart draws as CSV bytes (contract columns, as in the downloads)."""
    body = shown.drop(columns=[c for c in ("quotes",) if c in shown.columns]).to_csv(
        index=False).encode("utf-8")
    return body


@dataclass(frozen=True)
class ChartNotes:
    """What follows a chart, as ``chart_footer`` shows it (Markdown with the table text
    escaped): a pure function of (chart, build, language, theme[, embed, base URL, day]),
    shared read-only by every session (``chart_notes``)."""

    sources: str  # the sources line ('' when none)
    statistics: str  # the reported statistics drawn ('' when none)
    conflict: str  # the warning when shown figures disagree ('' when none)
    captions: tuple[str, ...]  # the caveats (page) or the notes line (embed)
    csv: bytes = b""  # page: the chart's rows as CSV
    cite: str = ""  # page: "Cite this: …"


def chart_notes_of(spec: ChartSpec, tables: Tables, lang: str, theme: str,
                   rows: pd.DataFrame | None, embed: bool, fig: object,
                   day: str = "") -> ChartNotes:
    """The :class:`ChartNotes` of ``spec`` drawn as ``fig`` from ``rows`` (default: the
    chart's own rows); ``day`` (ISO date) is the date of the cite line."""
    shown = spec.rows(tables) if rows is None else rows
    notes = ChartNotes(
        sources=plain(sources_line(shown, tables, lang)),
        statistics=plain(references_line(fig, tables, lang)),  # the reported statistics drawn
        conflict=conflict_text(shown, tables, lang),
        captions=tuple(notes_lines(spec, shown, tables, lang) if embed
                       else caveat_lines(shown, tables, lang)))
    if embed:
        return notes
    cite = plain(t("cite_label", lang) + ": " + t(
        "cite_text", lang, title=spec.title(lang), url=static_url(spec.chart_id, lang),
        date=format_date(pd.Timestamp(day or dt.date.today()), "day", lang)))
    return replace(notes, csv=chart_csv(shown), cite=cite)


def _shared_chart_notes(spec: ChartSpec, tables: Tables, lang: str, theme: str, mode: str,
                        base: str, day: str) -> ChartNotes:
    """``chart_notes_of`` for the chart's own rows (``per_chart``: once per build and key);
    ``base`` (the public address the cite line names) is part of the key only."""
    return chart_notes_of(spec, tables, lang, theme, None, mode == "embed",
                          figures.figure(spec, tables, lang, theme), day)


def chart_notes(spec: ChartSpec, tables: Tables, lang: str, theme: str,
                rows: pd.DataFrame | None, embed: bool, fig: object) -> ChartNotes:
    """What follows the chart: shared by every session when the chart shows its own rows of a
    build (made once per chart, build, language, theme, kind of view, base URL and day);
    made for this run when ``rows`` is a selection (the timeline's filters)."""
    day = dt.date.today().isoformat()
    if rows is not None:
        return chart_notes_of(spec, tables, lang, theme, rows, embed, fig, day)
    return figures.per_chart(_shared_chart_notes, spec, tables, lang, theme,
                             "embed" if embed else "page", base_url(), day)


def chart_footer(spec: ChartSpec, notes: ChartNotes, described: str, lang: str,
                 embed: bool) -> None:
    """The elements under a chart, every script run, in this order: sources, reported
    statistics, conflict warning, caveats (page) or notes line (embed); on a page also the
    text alternative, the CSV download, the cite line and the embed code."""
    if notes.sources:
        st.caption(notes.sources)
    if notes.statistics:
        st.caption(notes.statistics)
    if notes.conflict:
        st.warning(notes.conflict, icon="⚠️")
    for line in notes.captions:
        st.caption(line)
    if not embed:
        with st.expander(t("text_alternative", lang), expanded=False):
            st.markdown(plain(described))
        cols = st.columns([1, 3])
        cols[0].download_button(t("chart_csv", lang), notes.csv,
                                file_name=f"{spec.chart_id}.csv", mime="text/csv",
                                on_click="ignore", key=f"csv-chart-{spec.chart_id}")
        cols[1].caption(notes.cite)
        embed_code(spec, lang)


def chart(spec: ChartSpec, tables: Tables, lang: str, theme: str | None = None,
          rows: pd.DataFrame | None = None, embed: bool = False) -> bool:
    """A chart under its title (a heading) at full width, followed by its sources line,
    conflicts, caveats and the panel of a tapped point; on a page also a text alternative, the
    chart's rows as CSV, a "cite this" line and the embed code. ``embed`` draws it as the live
    embed does (the embed page writes the title, no Plotly toolbar).

    A failure in one chart is logged and reported in one sentence, and False returned; the
    rest of the page still renders.
    """
    theme = theme or state.current_theme()
    try:
        # built once per (chart, language, theme, build) and shared by every session:
        # read-only (ui/figures.py); the title is the heading above, not inside the chart
        fig = figures.figure(spec, tables, lang, theme)
        notes = chart_notes(spec, tables, lang, theme, rows, embed, fig)
        described = figures.description(spec, tables, lang)
    except Exception:  # one broken chart must not take the page down; logged with traceback
        log.exception("chart %s failed", spec.chart_id)
        st.warning(t("unexpected_error", lang))
        return False
    if not embed:
        st.subheader(plain(spec.title(lang)), anchor=spec.chart_id)
    config = {"displaylogo": False, "responsive": True, "showSendToCloud": False,
              "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
    if embed:
        config["displayModeBar"] = False  # its buttons would add tab stops to the host page
    # drawn with the partial Plotly.js bundle (ui/plot.py), not st.plotly_chart's 4.7 MB
    selected = plot_chart(figures.drawing(spec, tables, lang, theme),
                          key=f"chart-{spec.chart_id}", config=config)
    st.caption(plain(t("tap_hint", lang)))
    if selected:
        point_panel(selected, tables, lang)
    chart_footer(spec, notes, described, lang, embed)
    return True


# --- page sections ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """One headline card's words, as text (``cards_html`` escapes them)."""

    title: str  # the indicator
    value: str  # '⚠ ' when sources disagree, '*' when inferred
    caption: str  # period · kind · side · source
    other: str = ""  # the other source's figure when sources disagree
    caveat: str = ""  # the first sentence of the caveat
    inferred: str = ""  # what '*' means


def card_of(row: pd.Series, tables: Tables, lang: str) -> Card:
    """The :class:`Card` of one headline figure."""
    sources = tables.sources_by_id
    flagged = figures.per_build(table_conflicts, tables)  # once per build, not per card
    flagged = flagged[flagged["indicator_id"] == row["indicator_id"]]
    others = flagged[(flagged["figure_id"] != row["figure_id"])
                     & (flagged["period_label"] == row["period_label"])]
    value = figure_text(row, lang) + ("*" if is_inferred(row, tables) else "")
    if not others.empty:
        value = "⚠ " + value
    lines = [t("card_period", lang, period=period_text(row, tables, lang))]
    if row["kind"] != "observed":
        lines.append(t(f"kind_{row['kind']}", lang))
    if row.get("reporting_side") in REPORTING_SIDES:
        lines.append(t("card_side", lang, side=side_name(row["reporting_side"], lang)))
    if row["source_id"] in sources:
        lines.append(describe_source(sources[row["source_id"]], lang))
    card = Card(title=indicator_label(tables, row["indicator_id"], lang), value=value,
                caption=" · ".join(lines))
    if not others.empty:
        items = "; ".join(
            f"{figure_text(r, lang)} ({describe_source(sources[r['source_id']], lang)})"
            for _, r in others.iterrows() if r["source_id"] in sources)
        card = replace(card, other="⚠ " + t("card_other_source", lang, items=items))
    note = localized(row, "note", lang)
    if note is not None:
        card = replace(card, caveat=first_sentence(reader_text(note, tables, lang)))
    if is_inferred(row, tables):
        card = replace(card, inferred=t("inferred_explained", lang))
    return card


def cards_html(cards: tuple[Card, ...], lang: str) -> str:
    """The headline cards as one list (``st.html``; text escaped): in each, the indicator, the
    value, period, kind, side and source, then the other source's figure, the caveat's first
    sentence and what ``*`` means. One element, not six per card: the Overview's 17 cards were
    100 of its 107 elements, most of what the browser worked through before its chart
    (bench/bench_pages.py). A grid keeps the reading order (card by card, row by row) at every
    width, where three Streamlit columns read column by column on a phone and to a screen
    reader; it has three columns where the page is wide, two or one where it is not
    (``_BASE_CSS``)."""
    esc = html.escape
    caveat = esc(t("caveat_label", lang))
    items = []
    for c in cards:
        parts = [f'<p class="azkz-card-title"><strong>{esc(c.title)}</strong></p>',
                 f'<p class="azkz-card-value">{esc(c.value)}</p>',
                 f'<p class="azkz-caption">{esc(c.caption)}</p>']
        if c.other:
            parts.append(f"<p>{esc(c.other)}</p>")
        if c.caveat:
            parts.append(f"<p><strong>{caveat}:</strong> {esc(c.caveat)}</p>")
        if c.inferred:
            parts.append(f'<p class="azkz-caption">{esc(c.inferred)}</p>')
        items.append(f'<li class="azkz-card">{"".join(parts)}</li>')
    return f'<div class="azkz-cards"><ul role="list">{"".join(items)}</ul></div>'


def headline_cards(tables: Tables, lang: str) -> str:
    """The Overview's headline cards in order (``charts.headlines.headline_rows`` in the
    indicators' order) as ``cards_html``; pure: ``per_build(headline_cards, tables, lang)``
    makes them once per build and language."""
    heads = headline_rows(tables.figures, order=list(tables.indicators["indicator_id"]))
    return cards_html(tuple(card_of(row, tables, lang) for _, row in heads.iterrows()), lang)


def newest_articles(tables: Tables, lang: str) -> tuple[str, ...]:
    """The Overview's five newest articles, one Markdown line each (title, then source)."""
    newest = tables.sources.sort_values("published", ascending=False, na_position="last")
    return tuple(f"**{plain(localized(src, 'title', lang))}**  \n"
                 f"{plain(describe_source(src, lang))}" for _, src in newest.head(5).iterrows())


def progress_words(tables: Tables, lang: str) -> dict[str, str | None]:
    """The words over the target progress chart (``charts.progress.progress_text`` of the
    build's ``target_progress``); for a build with a measured figure."""
    return progress_text(figures.per_build(target_progress, tables), tables, lang)


def figures_view(view: pd.DataFrame, tables: Tables, lang: str) -> pd.DataFrame:
    """The Data page's table: ``view`` (rows of ``figures``) as a reader reads it, in ``lang``:
    indicator, value, period, kind, source, quote and its rendering, caveat (ids replaced by
    reader text), basis, speaker, then the number and unit. No register ids: those are in the
    downloads."""
    labels = {"indicator": t("col_indicator", lang), "value": t("col_value", lang),
              "period": t("col_period", lang), "kind": t("col_kind", lang),
              "source": t("col_source", lang), "quote": t("col_quote", lang),
              "rendering": t("col_quote_rendering", lang), "note": t("col_note", lang),
              "basis": t("col_basis", lang), "speaker": t("speaker_label", lang)}
    rows = [r for _, r in view.iterrows()]
    rendered = [quote_rendering(r, lang) for r in rows]
    sources = tables.sources_by_id
    notes = [localized(r, "note", lang) for r in rows]
    shown = view.assign(**{
        labels["indicator"]: [indicator_label(tables, i, lang) for i in view["indicator_id"]],
        labels["value"]: [figure_text(r, lang) + ("*" if is_inferred(r, tables) else "")
                          for r in rows],
        labels["period"]: [period_text(r, tables, lang) for r in rows],
        labels["kind"]: [t(f"kind_{k}", lang) if k in FIGURE_KINDS else k for k in view["kind"]],
        labels["source"]: [source_key(sources[s], lang) if s in sources else
                           t("source_unknown", lang) for s in view["source_id"]],
        labels["quote"]: view["quote"],
        labels["rendering"]: [None if x is None else x[0] for x in rendered],
        labels["note"]: [None if n is None else reader_text(n, tables, lang) for n in notes],
        labels["basis"]: [t(f"basis_{b}", lang) if b in BASES else b
                          for b in view["period_basis"]],
        labels["speaker"]: [speaker(r, lang) for r in rows],
    })
    return shown[[*labels.values(), "value", "unit"]]


def figures_table(tables: Tables, lang: str, indicators: str, kinds: str,
                  sources: str) -> pd.DataFrame:
    """``figures_view`` of the figures of the comma-separated ``indicators``, ``kinds`` and
    ``sources`` ('' for any): the Data page's table, pure for ``per_build`` (once per build,
    language and filter). Read-only: shared by every session."""
    view = tables.figures
    for column, chosen in (("indicator_id", indicators), ("kind", kinds),
                           ("source_id", sources)):
        if chosen:
            view = view[view[column].isin(chosen.split(","))]
    return figures_view(view, tables, lang)


def _meta_row(label: str, value: object) -> str:
    return (f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
            f"<td>{html.escape(str(value))}</td></tr>")


def article_meta_html(src: pd.Series, tables: Tables, lang: str) -> str:
    """The HTML ``article_meta`` shows: the title and a table of the metadata (escaped)."""
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
            rows.append(_meta_row(t("meta_note", lang), reader_text(text, tables, lang)))
    rows.append(_meta_row(t("meta_sha256", lang), src["sha256"]))
    title = localized(src, "title", lang) or ""
    return f"<h3>{html.escape(title)}</h3><table>{''.join(rows)}</table>"


def article_url(src: pd.Series) -> str:
    """The article's original http(s) address, or '' when it has none."""
    url = src.get("url")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


def article_meta(src: pd.Series, tables: Tables, lang: str) -> None:
    """An article's metadata (outlet, via, author, speaker, date and its basis, notes, hash)
    as a small table under its title, and a button to the original address."""
    st.html(article_meta_html(src, tables, lang))
    if article_url(src):
        st.link_button(t("meta_url", lang), article_url(src))


def article_text_html(src: pd.Series, figures: pd.DataFrame, events: pd.DataFrame,
                      tables: Tables, lang: str) -> tuple[str, str]:
    """``(html, warning)`` of ``article_text``: the highlighted body, or '' and the one-line
    warning when the raw file cannot be read."""
    try:
        raw = raw_text(src)
    except (OSError, UnicodeDecodeError):
        return "", t("article_unavailable", lang, path=str(src["raw_path"]))
    b0, b1 = int(src["body_start"]), int(src["body_end"])
    quoted = figures[figures["quote_start"].notna()]
    # the mark's tooltip names what the passage gives (indicator and value, or the event),
    # never a register id
    spans = [(int(r["quote_start"]) - b0, int(r["quote_end"]) - b0,
              f"{indicator_label(tables, r['indicator_id'], lang)}: {figure_text(r, lang)}. "
              f"{(quote_rendering(r, lang) or ('',))[0]}".strip())
             for _, r in quoted.iterrows()]
    spans += [(int(r["quote_start"]) - b0, int(r["quote_end"]) - b0,
               localized(r, "title", lang) or "") for _, r in events.iterrows()]
    body = highlight_quotes(raw[b0:b1], spans)
    return (f"<div style='white-space:pre-wrap;line-height:1.6;max-width:60em'>{body}</div>",
            "")


def article_text(src: pd.Series, figures: pd.DataFrame, events: pd.DataFrame,
                 tables: Tables, lang: str) -> None:
    """The article body as received, escaped, with the quoted passages of ``figures`` and
    ``events`` highlighted; a one-line warning when the raw file cannot be read."""
    body, warning = article_text_html(src, figures, events, tables, lang)
    if warning:
        st.warning(warning)
    else:
        st.html(body)


def figure_lines(figures: pd.DataFrame, tables: Tables, lang: str) -> list[str]:
    """The Markdown items of ``figure_list`` (table text escaped)."""
    lines = []
    for _, r in figures.iterrows():
        rendering = quote_rendering(r, lang)
        lines.append(f"- **{plain(figure_text(r, lang))}** · "
                     f"{plain(indicator_label(tables, r['indicator_id'], lang))} · "
                     f"{plain(period_text(r, tables, lang))} · "
                     f"{plain(t(f'kind_{r.kind}', lang))}  \n"
                     f"  «{plain(r['quote'])}»"
                     + (f" — {plain(rendering[0])}" if rendering else ""))
    return lines


def figure_list(figures: pd.DataFrame, tables: Tables, lang: str) -> None:
    """Figures as a bullet list: value, indicator, period, kind, quote and its rendering."""
    for line in figure_lines(figures, tables, lang):
        st.markdown(line)


def event_lines(events: pd.DataFrame, lang: str, with_kind: bool = False) -> list[str]:
    """The Markdown items of ``event_list`` (table text escaped)."""
    lines = []
    for _, ev in events.sort_values("date_start").iterrows():
        parts = [f"**{plain(format_date(ev['date_start'], ev['precision'], lang))}**"]
        if with_kind:
            kind = t(f"evkind_{ev['kind']}", lang) if ev["kind"] in EVENT_KINDS else ev["kind"]
            parts.append(plain(kind))
        parts.append(plain(localized(ev, "title", lang) or ""))
        mark = (f" *({t('date_basis_inferred', lang)})*" if ev["date_basis"] == "inferred"
                else "")
        lines.append("- " + " · ".join(parts) + mark)
    return lines


def event_list(events: pd.DataFrame, lang: str, with_kind: bool = False) -> None:
    """Events as a bullet list in date order: date, (kind,) title, inferred-date mark."""
    for line in event_lines(events, lang, with_kind):
        st.markdown(line)


@dataclass(frozen=True)
class SourceView:
    """What the Sources page shows of one article (``source_view``), drawn by
    ``show_source``."""

    meta: str  # HTML: title and metadata table
    url: str  # '' when none
    body: str  # HTML: the highlighted text ('' when it cannot be read)
    unavailable: str  # the warning when it cannot be read ('' otherwise)
    figures: tuple[str, ...]
    events: tuple[str, ...]  # empty: no events section


def source_choices(tables: Tables, lang: str) -> tuple[list[str], dict[str, str]]:
    """The Sources page's choice: article ids by date and their titles in ``lang``."""
    by_date = tables.sources.sort_values("published", na_position="last")
    titles = {r["source_id"]: localized(r, "title", lang) or r["source_id"]
              for _, r in tables.sources.iterrows()}
    return list(by_date["source_id"]), titles


def source_view(tables: Tables, source_id: str, lang: str) -> SourceView:
    """One article as the Sources page shows it (pure: for ``per_build``)."""
    src = tables.sources.set_index("source_id").loc[source_id]
    figs = tables.figures[tables.figures["source_id"] == source_id]
    evs = tables.events[tables.events["source_id"] == source_id]
    body, warning = article_text_html(src, figs, evs, tables, lang)
    return SourceView(meta=article_meta_html(src, tables, lang), url=article_url(src),
                      body=body, unavailable=warning,
                      figures=tuple(figure_lines(figs, tables, lang)),
                      events=tuple(event_lines(evs, lang)))


def show_source(view: SourceView, lang: str) -> None:
    """Draw an article: metadata and its address, the text, the figures and events it gives."""
    st.html(view.meta)
    if view.url:
        st.link_button(t("meta_url", lang), view.url)
    st.subheader(t("article_text", lang))
    if view.unavailable:
        st.warning(view.unavailable)
    else:
        st.html(view.body)
    st.subheader(t("figures_from_source", lang))
    for line in view.figures:
        st.markdown(line)
    if view.events:
        st.subheader(t("events_from_source", lang))
        for line in view.events:
            st.markdown(line)


def timeline_lines(events: pd.DataFrame, tables: Tables, lang: str) -> list[str]:
    """The Markdown items of ``timeline_list``, in order (table text escaped)."""
    sources = tables.sources_by_id
    lines = []
    for number, (_, ev) in enumerate(happenings(events).iterrows(), start=1):
        kind = t(f"evkind_{ev['kind']}", lang) if ev["kind"] in EVENT_KINDS else ev["kind"]
        # numbered as on the chart, which labels crowded happenings by number only
        when = plain(format_date(ev["date_start"], ev["precision"], lang))
        parts = [f"**{number}\\.**", f"**{when}**",
                 plain(kind), plain(localized(ev, "title", lang) or "")]
        mark = (f" *({t('date_basis_inferred', lang)})*" if ev["date_basis"] == "inferred"
                else "")
        keys = [source_key(sources[s], lang) for s in ev["source_ids"].split(",")
                if s in sources]
        cited = plain("; ".join(keys))
        if len(keys) > 1:
            cited = f"{plain(t('happening_sources', lang, n=len(keys)))}: {cited}"
        lines.append("- " + " ".join(parts[:2]) + " · " + " · ".join(parts[2:]) + mark
                     + f"  \n  {cited}")
    return lines


def timeline_of_kinds(tables: Tables, lang: str, kinds: str) -> list[str]:
    """``timeline_lines`` of the events of the comma-separated ``kinds`` (pure: for
    ``per_build``, once per build, language and choice of kinds)."""
    events = tables.events
    return timeline_lines(events[events["kind"].isin(kinds.split(",") if kinds else [])],
                          tables, lang)


def show_timeline(lines: list[str], lang: str) -> None:
    """Draw the timeline list: its heading, then the happenings as one Markdown list (one
    element: a list a screen reader announces with its length, not one list per item, and
    fewer elements for the browser to work through after the chart)."""
    st.markdown(f"**{plain(t('timeline_list_heading', lang))}**")
    if lines:
        st.markdown("\n".join(lines))


def timeline_list(events: pd.DataFrame, tables: Tables, lang: str) -> None:
    """The timeline as a vertical list (what a phone shows instead of the chart): one item per
    happening in date order with date, kind, title, inferred-date mark and the sources that
    report it."""
    show_timeline(timeline_lines(events, tables, lang), lang)
