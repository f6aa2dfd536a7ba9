"""Time-axis chart family: figures of one unit over time, every source (or indicator) its own
colour; a figure covering a period is a segment over it with its marker at the midpoint."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from charts.conflicts import conflicts
from charts.labels import figure_text, group_name, hover, isna, label, x_of
from charts.style import (
    CONFLICT_COLOR,
    KIND_DASH,
    KIND_SYMBOL,
    PALETTE,
    date_axis,
    empty,
    keep_labels_inside,
    layout,
    legend_name,
    value_axis,
)
from etl.store import Tables
from i18n.text import t


def time_chart(figs: pd.DataFrame, tables: Tables, lang: str, theme: str, title: str,
               color_by: str = "source", connect: bool = False) -> go.Figure:
    """Figures of one unit on a time axis, every source its own colour, kinds encoded."""
    if figs.empty:
        return empty(title, lang, theme)
    flagged = set(conflicts(figs)["figure_id"])
    fig = go.Figure()
    groups: dict[str, str] = {}
    shown_kinds: set[str] = set()
    xs: list = []
    levels: list[tuple[pd.Series, str]] = []  # targets without deadline: drawn as lines
    order = figs.assign(_x=[x_of(r, tables)[1] for _, r in figs.iterrows()])
    order = order.sort_values("_x", na_position="last")
    n_conflict = 0
    for _, row in order.iterrows():
        conflict = row["figure_id"] in flagged
        # labels of disagreeing figures sit on top of each other: alternate above/below
        position = "top center"
        if conflict:
            position = "top center" if n_conflict % 2 == 0 else "bottom center"
            n_conflict += 1
        group = group_name(row, tables, lang, color_by)
        color = groups.setdefault(group, PALETTE[len(groups) % len(PALETTE)])
        start, mid, end = x_of(row, tables)
        kind = row["kind"]
        if row["kind"] == "target" and isna(row.get("period_end")):
            levels.append((row, color))
            continue
        if mid is None:
            continue
        xs.append(mid)
        hover_text = hover(row, tables, lang, conflict)
        if start is not None:
            fig.add_trace(go.Scatter(
                x=[start, end], y=[row["value"], row["value"]], mode="lines",
                line={"color": color, "width": 4, "dash": KIND_DASH.get(kind, "solid")},
                hoverinfo="skip", showlegend=False, legendgroup=group))
        fig.add_trace(go.Scatter(
            x=[mid], y=[row["value"]], mode="markers+text",
            text=[label(row, tables, lang, conflict)], textposition=position,
            marker={"symbol": KIND_SYMBOL.get(kind, "circle"), "size": 13, "color": color,
                    "line": {"width": 3 if conflict else 1,
                             "color": CONFLICT_COLOR if conflict else color}},
            hovertext=[hover_text], hoverinfo="text", name=legend_name(group), legendgroup=group,
            showlegend=group not in [tr.name for tr in fig.data if tr.showlegend is not False]
            and not any(tr.legendgroup == group and tr.mode == "markers+text"
                        for tr in fig.data),
            customdata=[row["figure_id"]]))
        shown_kinds.add(kind)
    if connect:
        pts = [(tr.x[0], tr.y[0]) for tr in fig.data if tr.mode == "markers+text"]
        if len(pts) > 1:
            pts.sort()
            fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts],
                                     mode="lines", line={"color": "#888", "dash": "dot"},
                                     hoverinfo="skip", showlegend=False))
    for row, color in levels:
        level = (f"{t('kind_target', lang)}: {figure_text(row, lang)} "
                 f"({t('target_no_deadline', lang)})")
        fig.add_hline(y=row["value"], line={"dash": "dash", "color": color, "width": 2})
        fig.add_annotation(text=html.escape(level), xref="paper", x=0, y=row["value"],
                           yanchor="bottom", xanchor="left", showarrow=False,
                           hovertext=hover(row, tables, lang, False))
        shown_kinds.add("target")
    for kind in sorted(shown_kinds - {"observed"}):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers+lines",
                                 marker={"symbol": KIND_SYMBOL[kind], "size": 11, "color": "#777"},
                                 line={"dash": KIND_DASH.get(kind, "solid"), "color": "#777"},
                                 name=t(f"kind_{kind}", lang), showlegend=True))
    keep_labels_inside(fig)
    units = figs["unit"].dropna().unique()
    unit = str(units[0]) if len(units) else ""
    value_axis(fig, list(figs["value"]) + list(figs["value_high"].dropna()), unit, lang)
    date_axis(fig, lang)
    layout(fig, title, theme)
    if flagged:
        fig.add_annotation(text=html.escape(t("conflict_flag", lang)), xref="paper", yref="paper",
                           x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
                           font={"color": CONFLICT_COLOR})
    return fig

