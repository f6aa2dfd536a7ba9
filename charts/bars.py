"""Bar chart family: one bar per figure, optionally faceted (reporting side, unit) so unlike
things never share an axis."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.conflicts import conflicts
from charts.labels import (
    base_text,
    breakable,
    group_name,
    hover,
    indicator_label,
    label,
    period_text,
    side_name,
)
from charts.style import (
    CONFLICT_COLOR,
    PALETTE,
    empty,
    layout,
    legend_name,
    plotly_text,
    value_ticks,
    wrap,
)
from etl.store import Tables
from i18n.text import t


def bar_chart(figs: pd.DataFrame, tables: Tables, lang: str, theme: str, title: str,
              facet: str | None = None, color_by: str = "indicator") -> go.Figure:
    """One bar per figure, optionally faceted into columns by ``facet`` (e.g. reporting side,
    unit) so unlike things never share an axis.

    The category is the period (the legend names the indicator by colour; with another
    ``color_by`` the indicator is added), written horizontally and wrapped so that narrow
    embeds (360 px) keep tick labels short and clear of the legend."""
    if figs.empty:
        return empty(title, lang, theme)
    flagged = set(conflicts(figs)["figure_id"])
    facets = [None] if facet is None else list(dict.fromkeys(figs[facet].fillna("∅")))
    names = []
    for f in facets:
        if facet == "reporting_side":
            names.append(side_name(f, lang))
        elif facet == "unit":
            names.append("")
        else:
            names.append("" if f is None else str(f))
    # Facets as axis pairs laid out by hand (make_subplots costs ~50 ms a call): side by side
    # for reporting sides (read across), stacked for units (three unit facets side by side
    # leave ~90 px each in a 360 px embed).
    n = len(facets)
    stacked = facet == "unit" and n > 1
    # Side-by-side facets of one unit share the value axis: the panels read on one scale and
    # only the first carries tick labels (which otherwise run into the neighbouring panel).
    shared = n > 1 and not stacked and figs["unit"].nunique() == 1
    gap = (0.2 if stacked else (0.04 if shared else 0.08)) if n > 1 else 0.0
    width = (1 - gap * (n - 1)) / n
    axes: dict = {}
    traces: list[dict] = []
    groups: dict[str, str] = {}
    legend_done: set[str] = set()
    for i, f in enumerate(facets, start=1):
        suffix = "" if i == 1 else str(i)
        x0 = (i - 1) * (width + gap)
        lo, hi = max(0.0, round(x0, 6)), min(1.0, round(x0 + width, 6))
        xdom, ydom = ([0, 1], [round(1 - hi, 6), round(1 - lo, 6)]) if stacked else ([lo, hi],
                                                                                      [0, 1])
        axes[f"xaxis{suffix}"] = {"domain": xdom, "anchor": f"y{suffix}",
                                    "type": "category", "automargin": True, "tickangle": 0}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "automargin": True, "domain": ydom,
                                    **value_ticks(figs if facet is None or shared else
                                                   figs[figs[facet].fillna("∅") == f], lang)}
        if shared and i > 1:
            axes[f"yaxis{suffix}"].update(matches="y", showticklabels=False)
        if names[i - 1]:
            axes.setdefault("annotations", []).append(
                {"text": plotly_text(names[i - 1]), "x": sum(xdom) / 2, "y": ydom[1],
                 "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
                 "showarrow": False})
        part = figs if facet is None else figs[figs[facet].fillna("∅") == f]
        # tick text per line: a 360 px embed gives ~300 px to the categories of one row
        chars = 9 if n > 1 and not stacked else (24 if part["period_label"].nunique() <= 2
                                                  else 12)
        for _, row in part.iterrows():
            conflict = row["figure_id"] in flagged
            group = group_name(row, tables, lang, color_by)
            color = groups.setdefault(group, PALETTE[len(groups) % len(PALETTE)])
            cat = period_text(row, tables, lang)
            if base_text(row, lang):
                cat += f" ({base_text(row, lang)})"
            if color_by != "indicator":
                cat = f"{indicator_label(tables, row['indicator_id'], lang)} {cat}"
            cat = "<br>".join(plotly_text(line) for line in wrap(breakable(cat), chars))
            hollow = row["kind"] in ("target", "forecast")
            traces.append({
                "type": "bar", "x": [cat], "y": [row["value"]], "name": legend_name(group),
                "legendgroup": group, "showlegend": group not in legend_done,
                "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                "text": [label(row, tables, lang, conflict).replace(
                    f" ({t('derived_label', lang)})", f"<br>({t('derived_label', lang)})")],
                "textposition": "outside", "cliponaxis": False,
                "marker": {"color": "rgba(0,0,0,0)" if hollow else color,
                           "line": {"color": CONFLICT_COLOR if conflict else color,
                                    "width": 3 if conflict or hollow else 0},
                           "pattern": {"shape": "/" if row["kind"] == "derived" else ""}},
                "hovertext": [hover(row, tables, lang, conflict)], "hoverinfo": "text",
                "customdata": [row["figure_id"]]})
            legend_done.add(group)
    fig = go.Figure(data=traces, layout=axes)
    fig.update_layout(barmode="group", uniformtext={"minsize": 9, "mode": "show"})
    layout(fig, title, theme, height=300 + 230 * (n - 1) if stacked else 460)
    if flagged:
        fig.add_annotation(text=plotly_text(t("conflict_flag", lang)), xref="paper", yref="paper",
                           x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
                           font={"color": CONFLICT_COLOR})
    return fig

