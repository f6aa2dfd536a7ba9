"""Progress towards the turnover target: the measured figure against the target, with the
ratio computed here (and shown with its formula)."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.conflicts import conflicts
from charts.labels import (
    figure_text,
    first_sentence,
    hover,
    indicator_label,
    is_inferred,
    isna,
    label,
    period_text,
    reader_text,
    speaker,
)
from charts.style import PALETTE, empty, layout, plotly_text, value_axis
from etl.store import Tables
from i18n.fmt import format_date, format_ratio
from i18n.text import localized, t


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
    flagged = conflicts(f)
    others = flagged[(flagged["figure_id"] != measured["figure_id"])
                     & (flagged["period_label"] == measured["period_label"])
                     & (flagged["kind"] == measured["kind"])]
    return {"target": target, "measured": measured, "ratio": ratio, "others": others,
            "formula": f"{measured['figure_id']} ÷ {target['figure_id']}"}


def progress_text(prog: dict, tables: Tables, lang: str) -> dict[str, str | None]:
    """The headline over the progress chart, honest about its figure: ``sentence`` (with "the
    year is uncertain" when the measured figure's period is inferred), ``spread`` (when
    another source gives another value for the same period: both named, the ratio as a
    range; else None), ``caveat`` (the first sentence of the measured figure's note, or None)
    and ``formula`` in words (values and periods, no ids)."""
    m, tg = prog["measured"], prog["target"]
    key = "target_measured_uncertain" if is_inferred(m, tables) else "target_measured"
    period = period_text(m, tables, lang)
    out: dict[str, str | None] = {
        "sentence": t(key, lang, measured=label(m, tables, lang, False), period=period,
                      ratio=format_ratio(prog["ratio"], lang), target=figure_text(tg, lang)),
        "spread": None, "caveat": None,
        "formula": t("target_formula", lang,
                     measured=f"{figure_text(m, lang)} "
                              f"({indicator_label(tables, m['indicator_id'], lang)}, {period})",
                     target=f"{figure_text(tg, lang)} ({t('kind_target', lang)})")}
    others = prog.get("others")
    if others is not None and not others.empty:
        rows = [m, *(r for _, r in others.iterrows())]
        ratios = [float(r["value"]) / float(tg["value"]) for r in rows]
        items = "; ".join(f"{figure_text(r, lang)} ({speaker(r, lang)})" for r in rows)
        out["spread"] = t("target_spread", lang, items=items,
                          low=format_ratio(min(ratios), lang),
                          high=format_ratio(max(ratios), lang))
    note = localized(m, "note", lang)
    if note is not None:
        out["caveat"] = first_sentence(reader_text(note, tables, lang))
    return out


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
    fig.add_annotation(x=target["value"], y=1.0, yref="paper", text=plotly_text(tlabel),
                       showarrow=False, xanchor="right", yanchor="bottom")
    value_axis(fig, [target["value"], measured["value"]], str(target["unit"]), lang, axis="x")
    layout(fig, title, theme, height=230)
    fig.update_layout(showlegend=False)
    return fig

