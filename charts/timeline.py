"""The timeline: events on lanes by kind, targets and forecasts at their deadlines, a marker
for today."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from charts.citations import describe_source
from charts.labels import as_str, figure_text, hover, isna, source_row
from charts.style import (
    EVENT_COLORS,
    KIND_SYMBOL,
    PALETTE,
    date_axis,
    empty,
    layout,
    wrap,
)
from etl.schema import PRECISIONS
from etl.store import Tables
from i18n.fmt import format_date
from i18n.text import localized, t


def _period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    if precision == "year":
        return pd.Timestamp(start.year, 12, 31)
    if precision == "month":
        return start + pd.offsets.MonthEnd(0)
    return start


def build_timeline(tables: Tables, lang: str, theme: str = "light", title: str | None = None,
                   today: dt.date | None = None) -> go.Figure:
    """Events on lanes by kind; year/month-precision events as spans over the whole year or
    month, day events as points; inferred dates hollow/hatched; targets and forecasts with a
    deadline in their own lane; a vertical line for today."""
    title = t("chart_timeline", lang) if title is None else title
    ev = tables.events
    horizons = tables.figures[tables.figures["kind"].isin(["target", "forecast"])
                              & tables.figures["period_end"].notna()]
    if ev.empty and horizons.empty:
        return empty(title, lang, theme)
    e = html.escape
    fig = go.Figure()
    seen: set[str] = set()
    for _, row in ev.sort_values("date_start").iterrows():
        kind = as_str(row["kind"])
        lane = t(f"evkind_{kind}", lang) if kind in EVENT_COLORS else kind
        color = EVENT_COLORS.get(kind, "#777")
        precision = as_str(row["precision"])
        inferred = as_str(row.get("date_basis")) == "inferred"
        start = row["date_start"]
        end = row["date_end"] if not isna(row.get("date_end")) else _period_end(start, precision)
        when = format_date(start, precision, lang)
        if not isna(row.get("date_end")):
            when += f" – {format_date(row['date_end'], precision, lang)}"
        prec_text = t(f"precision_{precision}", lang) if precision in PRECISIONS else precision
        quote = "<br>".join(e(q) for q in wrap(as_str(row["quote"])))
        lines = [f"<b>{e(localized(row, 'title', lang) or '')}</b>",
                 f"{e(when)} ({e(prec_text)})"
                 + (f" · {e(t('date_basis_inferred', lang))}" if inferred else ""),
                 f"{e(t('quote_label', lang))}: «{quote}»"]
        note = localized(row, "note", lang)
        if note is not None:
            lines.append(f"{e(t('caveat_label', lang))}: {e(note)}")
        src = source_row(tables, as_str(row["source_id"]))
        if src is not None:
            lines.append(e(describe_source(src, lang)))
        hover_text = "<br>".join(lines)
        show = lane not in seen
        seen.add(lane)
        if end > start:
            fig.add_trace(go.Bar(
                base=[start], x=[(end - start).total_seconds() * 1000 + 86_400_000], y=[lane],
                orientation="h", width=0.45, opacity=0.6,
                marker={"color": "rgba(0,0,0,0)" if inferred else color,
                        "line": {"color": color, "width": 2},
                        "pattern": {"shape": "/" if inferred else "", "fgcolor": color}},
                hovertext=[hover_text], hoverinfo="text", name=lane, legendgroup=lane,
                showlegend=show, customdata=[row["event_id"]]))
        else:
            fig.add_trace(go.Scatter(
                x=[start], y=[lane], mode="markers",
                # white rim: a day-dated event stays visible on top of a year span
                marker={"symbol": "circle-open" if inferred else "circle", "size": 13,
                        "color": color,
                        "line": {"width": 2, "color": color if inferred else "#FFFFFF"}},
                hovertext=[hover_text], hoverinfo="text", name=lane, legendgroup=lane,
                showlegend=show, customdata=[row["event_id"]]))
    lane = t("lane_targets", lang)
    for _, row in horizons.iterrows():
        fig.add_trace(go.Scatter(
            x=[row["period_end"]], y=[lane], mode="markers+text",
            text=[f"{figure_text(row, lang)}"], textposition="top center",
            marker={"symbol": KIND_SYMBOL.get(row["kind"], "diamond-open"), "size": 14,
                    "color": PALETTE[5], "line": {"width": 2}},
            hovertext=[hover(row, tables, lang, False)], hoverinfo="text", name=lane,
            legendgroup=lane, showlegend=lane not in seen, customdata=[row["figure_id"]]))
        seen.add(lane)
    today = pd.Timestamp(today or dt.date.today())
    fig.add_shape(type="line", x0=today, x1=today, y0=0, y1=1, yref="paper",
                  line={"color": "#888", "dash": "dot", "width": 2})
    fig.add_annotation(x=today, y=1, yref="paper", text=html.escape(t("today", lang)),
                       showarrow=False, yanchor="bottom")
    date_axis(fig, lang)
    fig.update_yaxes(title=None, autorange="reversed")
    layout(fig, title, theme, height=420)
    fig.update_layout(barmode="overlay")
    return fig

