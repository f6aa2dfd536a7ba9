"""Time-axis chart family: figures of one unit over time, every source (or indicator) its own
colour; a figure covering a period is a segment over it with its marker at the midpoint."""

from __future__ import annotations

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
    plotly_text,
    value_axis,
    wrapped,
)
from etl.store import Tables
from i18n.text import t


def period_class(row: pd.Series) -> str:
    """How long a figure's period is, as a panel key: ``year``, ``half``, ``quarter``,
    ``months:<n>`` or ``point`` (a level at a date, or no period).

    >>> period_class(pd.Series({"period_start": pd.Timestamp("2025-01-01"),
    ...     "period_end": pd.Timestamp("2025-06-30")}))
    'half'
    """
    start, end = row.get("period_start"), row.get("period_end")
    if isna(start) or isna(end):
        return "point"
    months = round(((end - start).days + 1) / 30.44)
    return {12: "year", 6: "half", 3: "quarter"}.get(months, f"months:{months}")


def period_class_name(key: str, lang: str) -> str:
    """The panel title of a period class in ``lang`` ('Full years', 'Periods of 7 months')."""
    if key.startswith("months:"):
        return t("period_len_months", lang, n=key.split(":", 1)[1])
    return t(f"period_len_{key}", lang)


def _class_order(key: str) -> tuple[int, int]:
    if key.startswith("months:"):
        return (1, -int(key.split(":", 1)[1]))
    return {"year": (0, 0), "half": (1, -6), "quarter": (1, -3), "point": (2, 0)}[key]


def time_chart(figs: pd.DataFrame, tables: Tables, lang: str, theme: str, title: str,
               color_by: str = "source", connect: bool = False) -> go.Figure:
    """Figures of one unit on a time axis, every source its own colour, kinds encoded.

    Figures over periods of different length (a full year, half-years) are drawn in separate
    stacked panels on one value scale and one time axis, each titled with its period length,
    so a half-year never reads as a fall from a full year."""
    if figs.empty:
        return empty(title, lang, theme)
    flagged = set(conflicts(figs)["figure_id"])
    fig = go.Figure()
    groups: dict[str, str] = {}
    shown_kinds: set[str] = set()
    levels: list[tuple[pd.Series, str]] = []  # targets without deadline: drawn as lines
    order = figs.assign(_x=[x_of(r, tables)[1] for _, r in figs.iterrows()])
    order = order.sort_values("_x", na_position="last")
    drawn = [r for _, r in order.iterrows()
             if not (r["kind"] == "target" and isna(r.get("period_end")))]
    classes = sorted({period_class(r) for r in drawn}, key=_class_order) or ["point"]
    n = len(classes)
    gap = 0.14 if n > 1 else 0.0
    height = (1 - gap * (n - 1)) / n
    panel = {c: ("" if i == 0 else str(i + 1)) for i, c in enumerate(classes)}
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
        suffix = panel[period_class(row)]
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        hover_text = hover(row, tables, lang, conflict)
        if start is not None:
            fig.add_trace(go.Scatter(
                x=[start, end], y=[row["value"], row["value"]], mode="lines",
                line={"color": color, "width": 4, "dash": KIND_DASH.get(kind, "solid")},
                hoverinfo="skip", showlegend=False, legendgroup=group, **axes))
        fig.add_trace(go.Scatter(
            x=[mid], y=[row["value"]], mode="markers+text",
            # "(derived)" on a line of its own: a long label runs off a 360 px chart
            text=[label(row, tables, lang, conflict).replace(
                f" ({t('derived_label', lang)})", f"<br>({t('derived_label', lang)})")],
            textposition=position,
            marker={"symbol": KIND_SYMBOL.get(kind, "circle"), "size": 13, "color": color,
                    "line": {"width": 3 if conflict else 1,
                             "color": CONFLICT_COLOR if conflict else color}},
            hovertext=[hover_text], hoverinfo="text", name=legend_name(group), legendgroup=group,
            showlegend=not any(tr.legendgroup == group and tr.mode == "markers+text"
                               for tr in fig.data),
            customdata=[row["figure_id"]], **axes))
        shown_kinds.add(kind)
    if connect:
        for suffix in panel.values():
            pts = [(tr.x[0], tr.y[0]) for tr in fig.data
                   if tr.mode == "markers+text" and (tr.yaxis or "y") == f"y{suffix}"]
            if len(pts) > 1:
                pts.sort()
                fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts],
                                         mode="lines", line={"color": "#888", "dash": "dot"},
                                         hoverinfo="skip", showlegend=False,
                                         xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
    first = panel[classes[0]]
    for row, color in levels:
        level = (f"{t('kind_target', lang)}: {figure_text(row, lang)} "
                 f"({t('target_no_deadline', lang)})")
        fig.add_shape(type="line", xref=f"x{first} domain", x0=0, x1=1, yref=f"y{first}",
                      y0=row["value"], y1=row["value"],
                      line={"dash": "dash", "color": color, "width": 2})
        fig.add_annotation(text=wrapped(level, 60), xref=f"x{first} domain", x=0,
                           yref=f"y{first}", y=row["value"], yanchor="bottom", xanchor="left",
                           showarrow=False, hovertext=hover(row, tables, lang, False))
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
    layout(fig, title, theme, height=460 if n == 1 else 300 + 230 * (n - 1))
    if n > 1:
        for i, c in enumerate(classes):
            top = 1 - i * (height + gap)
            suffix = panel[c]
            fig.update_layout({
                f"yaxis{suffix}": {"domain": [round(top - height, 6), round(top, 6)],
                                   "anchor": f"x{suffix}",
                                   **({} if i == 0 else {"matches": "y"})},
                f"xaxis{suffix}": {"anchor": f"y{suffix}",
                                   **({} if i == 0 else {"matches": "x"})}})
            fig.add_annotation(text=f"<b>{plotly_text(period_class_name(c, lang))}</b>",
                               xref="paper", yref="paper", x=0, y=top, xanchor="left",
                               yanchor="bottom", showarrow=False)
        for i in range(2, n + 1):
            fig.layout[f"yaxis{i}"].update(
                tickvals=fig.layout.yaxis.tickvals, ticktext=fig.layout.yaxis.ticktext,
                automargin=True)
            fig.layout[f"xaxis{i}"].update(type="date", automargin=True,
                                           tickformatstops=fig.layout.xaxis.tickformatstops)
    if flagged:
        fig.add_annotation(text=plotly_text(t("conflict_flag", lang)), xref="paper", yref="paper",
                           x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
                           font={"color": CONFLICT_COLOR})
    return fig
