"""Progress towards the turnover target: the measured figure against the target, with the
ratio computed here (and shown with its formula)."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from charts.labels import figure_text, hover, isna, label, period_text
from charts.style import PALETTE, empty, layout, value_axis
from etl.store import Tables
from i18n.fmt import format_date, format_ratio
from i18n.text import t


def target_progress(tables: Tables, indicator_id: str = "trade_turnover") -> dict | None:
    """The turnover target and the figure progress is measured against.

    Measured figure: the latest observed (or derived) figure of the indicator covering about a
    year (>= 360 days), else the latest of any period. Returns None without a target.
    ``ratio`` = measured value / target value (computed here, shown with its formula).
    """
    f = tables.figures[tables.figures["indicator_id"] == indicator_id]
    targets = f[f["kind"] == "target"]
    if targets.empty:
        return None
    target = targets.sort_values("value").iloc[-1]
    obs = f[f["kind"].isin(["observed", "derived"]) & (f["unit"] == target["unit"])]
    obs = obs[obs["period_end"].notna()]
    if obs.empty:
        return {"target": target, "measured": None, "ratio": None, "formula": None}
    span = (obs["period_end"] - obs["period_start"]).dt.days
    yearly = obs[span >= 360]
    pool = yearly if not yearly.empty else obs
    measured = pool.sort_values(["period_end", "kind"]).iloc[-1]
    ratio = float(measured["value"]) / float(target["value"])
    return {"target": target, "measured": measured, "ratio": ratio,
            "formula": f"{measured['figure_id']} ÷ {target['figure_id']}"}


def build_target_progress(tables: Tables, lang: str, theme: str = "light",
                          title: str | None = None,
                          indicator_id: str = "trade_turnover") -> go.Figure:
    """Horizontal bar of the measured figure with the target as a dashed line and the ratio."""
    title = t("chart_target_progress", lang) if title is None else title
    prog = target_progress(tables, indicator_id)
    if prog is None or prog["measured"] is None:
        return empty(title, lang, theme)
    target, measured = prog["target"], prog["measured"]
    fig = go.Figure()
    bar_label = period_text(measured, tables, lang)
    fig.add_trace(go.Bar(
        y=[bar_label], x=[measured["value"]], orientation="h", marker={"color": PALETTE[0]},
        text=[f"{label(measured, tables, lang, False)} · {format_ratio(prog['ratio'], lang)}"],
        textposition="auto", hovertext=[hover(measured, tables, lang, False)],
        hoverinfo="text", name=t("kind_observed", lang)))
    deadline = target.get("period_end")
    tlabel = f"{t('kind_target', lang)}: {figure_text(target, lang)} · " + (
        t("target_deadline", lang, date=format_date(deadline, "year", lang))
        if not isna(deadline) else t("target_no_deadline", lang))
    fig.add_vline(x=target["value"], line={"dash": "dash", "color": PALETTE[5], "width": 3})
    fig.add_annotation(x=target["value"], y=1.0, yref="paper", text=html.escape(tlabel),
                       showarrow=False, xanchor="right", yanchor="bottom")
    value_axis(fig, [target["value"], measured["value"]], str(target["unit"]), lang, axis="x")
    layout(fig, title, theme, height=230)
    fig.update_layout(showlegend=False)
    return fig

