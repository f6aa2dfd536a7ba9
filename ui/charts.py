"""Pure chart builders: tidy frames in, ``go.Figure`` out. No Streamlit here.

Encoding used by every chart (the legend explains it):
- kind: observed = filled marker; target = dashed line ending in a hollow diamond at its
  deadline (or across the chart with "no deadline"); forecast = hollow circle with a dotted
  line; agreement = square; change = triangle; derived = "x" marker with the formula in hover.
- qualifier: always in the label (">3,5 mln t", "≈40%").
- a figure covering a period is drawn as a horizontal segment over that period with its marker
  at the midpoint, so H1 2025 and a whole year never look like the same thing.
- two sources giving different values for the same indicator, kind and period: both drawn,
  outlined in red, labelled "⚠", and listed in a note under the chart.
- a figure whose source date or period was inferred carries "*" in its label.
Hover shows the verbatim quote, its English rendering, who said it and the source.
"""

from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd
import plotly.graph_objects as go

from etl.schema import PRECISIONS
from ui.citations import describe_source
from ui.data import Tables
from ui.fmt import format_base_period, format_date, format_period, format_ratio, format_value
from ui.i18n import localized, t

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
CONFLICT_COLOR = "#D62728"
KIND_SYMBOL = {"observed": "circle", "target": "diamond-open", "forecast": "circle-open",
               "agreement": "square", "change": "triangle-up", "derived": "x"}
KIND_DASH = {"target": "dash", "forecast": "dot", "derived": "dashdot"}
EVENT_COLORS = {"agreement": "#0072B2", "visit": "#E69F00", "meeting": "#009E73",
                "institution": "#CC79A7", "milestone": "#56B4E9", "deadline": "#D55E00"}


# Small templates instead of Plotly's named ones: assigning "plotly_white" deep-copies and
# validates a large template on every figure (a third of the build time).
_AXIS = {"light": {"gridcolor": "#E6E8EC", "linecolor": "#C9CDD4", "zerolinecolor": "#C9CDD4",
                   "automargin": True},
         "dark": {"gridcolor": "#30343C", "linecolor": "#4A4F58", "zerolinecolor": "#4A4F58",
                  "automargin": True}}
_BG = {"light": ("#FFFFFF", "#262730"), "dark": ("#0E1117", "#FAFAFA")}


def _template(theme: str) -> go.layout.Template:
    bg, fg = _BG[theme]
    return go.layout.Template({"layout": {
        "paper_bgcolor": bg, "plot_bgcolor": bg, "font": {"color": fg}, "colorway": PALETTE,
        "xaxis": _AXIS[theme], "yaxis": _AXIS[theme],
        "hoverlabel": {"font": {"color": "#111"}, "bgcolor": "#FFFFFF"}}})


# Built once: validating a template is the slow part, assigning a built one is cheap.
TEMPLATES = {theme: _template(theme) for theme in _BG}


def theme_colors(theme: str) -> tuple[str, str]:
    """(background, text) colours of the chart theme ("light" or "dark"; else light)."""
    return _BG.get(theme, _BG["light"])


def template(theme: str) -> go.layout.Template:
    """Plotly template for ``theme`` ("light" or "dark"; anything else is light)."""
    return TEMPLATES.get(theme, TEMPLATES["light"])


def _isna(v: object) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _str(v: object) -> str:
    return "" if _isna(v) else str(v)


_LOOKUP: tuple[Tables, dict, dict] | None = None


def _lookups(tables: Tables) -> tuple[dict, dict]:
    """(sources by id, indicators by id) as dicts of rows, computed once per Tables object.

    One slot is enough: a page run builds all its charts from the same Tables. The slot holds
    the Tables itself, so the identity check cannot be fooled by a recycled id.
    """
    global _LOOKUP
    cached = _LOOKUP
    if cached is not None and cached[0] is tables:
        return cached[1], cached[2]
    sources = {r["source_id"]: r for _, r in tables.sources.iterrows()}
    indicators = {r["indicator_id"]: r for _, r in tables.indicators.iterrows()}
    _LOOKUP = (tables, sources, indicators)
    return sources, indicators


def indicator_label(tables: Tables, indicator_id: str, lang: str) -> str:
    """Indicator label in ``lang`` (the id itself when the indicator is not in the table)."""
    row = _lookups(tables)[1].get(indicator_id)
    if row is None:
        return indicator_id
    return str(row["label_az" if lang == "az" else "label_en"])


def figure_text(row: pd.Series, lang: str) -> str:
    """The figure's value as a reader sees it, e.g. '>3,5 mln t' (qualifier included)."""
    return format_value(row["value"], row["unit"], lang, qualifier=_str(row["qualifier"]),
                        value_high=None if _isna(row.get("value_high")) else row["value_high"],
                        per=_str(row.get("per")) or None)


def _source_row(tables: Tables, source_id: str) -> pd.Series | None:
    return _lookups(tables)[0].get(source_id)


def period_text(row: pd.Series, tables: Tables, lang: str) -> str:
    """The figure's period in ``lang`` (``ui.fmt.format_period``), e.g. '2025-ci ilin I yarısı';
    the source's publication date tells a future period ("2029-cu ilədək") from a past one."""
    src = _source_row(tables, _str(row.get("source_id")))
    return format_period(row, lang, published=None if src is None else src.get("published"))


def base_text(row: pd.Series, lang: str) -> str:
    """'vs <base period>' of a change in ``lang``, or '' when the row has no base period."""
    base = format_base_period(row, lang)
    return t("vs_base", lang, base=base) if base else ""


def is_inferred(row: pd.Series, tables: Tables) -> bool:
    """True when the figure's period or its source's publication date was inferred."""
    if _str(row.get("period_basis")) == "inferred":
        return True
    src = _source_row(tables, _str(row.get("source_id")))
    return src is not None and _str(src.get("published_basis")) == "inferred"


def conflicts(figures: pd.DataFrame) -> pd.DataFrame:
    """Rows whose indicator, kind, unit and period match a row from another source with a
    different value (or qualifier). Derived rows are not compared.

    >>> df = pd.DataFrame({"figure_id": ["a", "b"], "source_id": ["s1", "s2"],
    ...     "indicator_id": ["x", "x"], "kind": ["observed"] * 2, "unit": ["USD"] * 2,
    ...     "period_start": [None, None], "period_end": [None, None], "value": [1.0, 2.0],
    ...     "qualifier": ["exact"] * 2, "period_label": ["2024"] * 2})
    >>> list(conflicts(df)["figure_id"])
    ['a', 'b']
    """
    if figures.empty:
        return figures.iloc[0:0]
    keys = ["indicator_id", "kind", "unit", "period_start", "period_end", "period_label"]
    groups: dict[tuple, list] = {}
    cols = figures[["source_id", "value", "qualifier", *keys]]
    for idx, source, value, qualifier, *key_vals in cols.itertuples(name=None):
        if key_vals[1] == "derived":
            continue
        key = tuple("∅" if _isna(v) else str(v) for v in key_vals)
        groups.setdefault(key, []).append((idx, source, value, qualifier))
    flagged = []
    for members in groups.values():
        if len({m[1] for m in members}) < 2:
            continue
        if len({(m[2], m[3]) for m in members}) > 1:
            flagged.extend(m[0] for m in members)
    return figures.loc[flagged]


def _hover(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> str:
    """Hover text: value, period, quote, English, speaker, source. Text is HTML-escaped because
    Plotly renders a subset of HTML in hover labels."""
    e = html.escape
    kind = _str(row["kind"])
    kind_text = t(f"kind_{kind}", lang) if kind in KIND_SYMBOL else kind
    parts = [f"<b>{e(indicator_label(tables, row['indicator_id'], lang))}</b>",
             f"{e(figure_text(row, lang))} · {e(kind_text)}",
             f"{e(t('period_label', lang))}: {e(period_text(row, tables, lang))}"]
    if base_text(row, lang):
        parts.append(e(base_text(row, lang)))
    if row["kind"] == "derived":
        parts.append(f"{e(t('formula_label', lang))}: {e(_str(row.get('formula')))}")
    quote = _wrap(_str(row.get("quote")))
    parts.append(f"{e(t('quote_label', lang))}: «{'<br>'.join(e(q) for q in quote)}»")
    quote_en = _wrap(_str(row.get("quote_en")))
    parts.append(f"{e(t('quote_en_label', lang))}: “{'<br>'.join(e(q) for q in quote_en)}”")
    parts.append(f"{e(t('speaker_hover', lang))}: {e(_str(row.get('attributed_to')))}")
    src = _source_row(tables, _str(row.get("source_id")))
    if src is not None:
        parts.append(e(describe_source(src, lang)))
    note = localized(row, "note", lang)
    if note is not None:
        parts.append(f"{e(t('caveat_label', lang))}: "
                     + "<br>".join(e(q) for q in _wrap(note)))
    if conflict:
        parts.append(f"<b>{e(t('conflict_flag', lang))}</b>")
    return "<br>".join(parts)


def _wrap(text: str, width: int = 70) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def _breakable(text: str) -> str:
    """Let a long month range wrap after its dash: 'yanvar–iyul 2025' -> 'yanvar– iyul 2025'."""
    return " ".join(w.replace("–", "– ") if len(w) > 8 else w for w in text.split())


def _label(row: pd.Series, tables: Tables, lang: str, conflict: bool) -> str:
    text = figure_text(row, lang)
    if row["kind"] == "derived":
        text += f" ({t('derived_label', lang)})"
    if is_inferred(row, tables):
        text += "*"
    if conflict:
        text = "⚠ " + text
    return text


def _x_of(row: pd.Series, tables: Tables) -> tuple[object, object, object]:
    """(start, mid, end) of the figure on the time axis; start/end None for a point.

    A figure without period dates is placed at its source's publication date ("as stated").
    """
    start, end = row.get("period_start"), row.get("period_end")
    if not _isna(start) and not _isna(end):
        mid = start + (end - start) / 2
        return start, mid, end
    if not _isna(end):
        return None, end, None
    if not _isna(start):
        return None, start, None
    src = _source_row(tables, _str(row.get("source_id")))
    if src is not None and not _isna(src.get("published")):
        return None, src["published"], None
    return None, None, None


def _nice_ticks(vmax: float, n: int = 5) -> list[float]:
    if vmax <= 0 or math.isnan(vmax):
        return [0.0]
    raw = vmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=raw)
    ticks, v = [], 0.0
    while v <= vmax * 1.0001 + step:
        ticks.append(v)
        v += step
    return ticks


def _value_ticks(part: pd.DataFrame, lang: str) -> dict:
    """Axis settings with locale-formatted ticks for the values of one facet."""
    values = [v for v in part["value"] if v is not None and not math.isnan(v)]
    unit = str(part["unit"].iloc[0]) if len(part) else ""
    ticks = _nice_ticks(max(values) if values else 0.0)
    return {"tickvals": ticks, "ticktext": [format_value(v, unit, lang) if v else "0"
                                            for v in ticks],
            "range": [0, ticks[-1] * 1.15 if ticks[-1] else 1], "rangemode": "tozero"}


def _value_axis(fig: go.Figure, values: list[float], unit: str, lang: str, axis: str = "y",
                **where: object) -> None:
    """Locale-formatted tick labels on a value axis (Plotly's own would say '1G')."""
    finite = [v for v in values if v is not None and not math.isnan(v)]
    ticks = _nice_ticks(max(finite) if finite else 0.0)
    text = [format_value(v, unit, lang) if v else "0" for v in ticks]
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickvals=ticks, ticktext=text, range=[0, ticks[-1] * 1.08 if ticks[-1] else 1],
           rangemode="tozero", automargin=True, **where)


def _date_axis(fig: go.Figure, lang: str) -> None:
    """Date ticks without month names in Azerbaijani (Plotly ships English month names only):
    days as 21.10.2025, months as 10.2025, years as 2025."""
    fig.update_xaxes(type="date", title=None)
    if lang == "az":
        fig.update_xaxes(tickformatstops=[
            {"dtickrange": [None, "M1"], "value": "%d.%m.%Y"},
            {"dtickrange": ["M1", "M12"], "value": "%m.%Y"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ])


def _layout(fig: go.Figure, title: str, theme: str, height: int = 460) -> go.Figure:
    fig.update_layout(
        template=template(theme),
        title={"text": html.escape(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        # below everything, in the container's frame: long tick labels push the plot up
        # instead of running into it
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig


def _empty(title: str, lang: str, theme: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=html.escape(t("no_rows", lang)), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, theme, height=240)


def _group_name(row: pd.Series, tables: Tables, lang: str, color_by: str) -> str:
    if color_by == "indicator":
        return indicator_label(tables, row["indicator_id"], lang)
    if color_by == "reporting_side":
        side = _str(row.get("reporting_side")) or "unknown"
        return t(f"side_{side}", lang) if side in ("AZ", "KZ") else t("side_unknown", lang)
    src = _source_row(tables, _str(row.get("source_id")))
    return describe_source(src, lang) if src is not None else _str(row.get("source_id"))


def _legend_name(name: str) -> str:
    """A legend entry wrapped at ~40 characters: Plotly never wraps legend text, and a source
    description runs off a 360 px embed."""
    return "<br>".join(html.escape(line) for line in _wrap(name, 40))


def _keep_labels_inside(fig: go.Figure) -> None:
    """Labels of points near either end of the time axis grow inwards ('top right' at the
    left edge): a centred label there is cut off by the plot area in a 360 px embed."""
    ends = [pd.Timestamp(x).value for tr in fig.data for x in (tr.x or ()) if x is not None]
    if not ends:
        return
    lo, hi = min(ends), max(ends)
    for tr in fig.data:
        if tr.mode != "markers+text" or hi == lo:
            continue
        frac = (pd.Timestamp(tr.x[0]).value - lo) / (hi - lo)
        side = "right" if frac < 0.2 else "left" if frac > 0.8 else "center"
        vertical = (tr.textposition or "top center").split()[0]
        tr.textposition = f"{vertical} {side}"
        tr.cliponaxis = False


def time_chart(figs: pd.DataFrame, tables: Tables, lang: str, theme: str, title: str,
               color_by: str = "source", connect: bool = False) -> go.Figure:
    """Figures of one unit on a time axis, every source its own colour, kinds encoded."""
    if figs.empty:
        return _empty(title, lang, theme)
    flagged = set(conflicts(figs)["figure_id"])
    fig = go.Figure()
    groups: dict[str, str] = {}
    shown_kinds: set[str] = set()
    xs: list = []
    levels: list[tuple[pd.Series, str]] = []  # targets without deadline: drawn as lines
    order = figs.assign(_x=[_x_of(r, tables)[1] for _, r in figs.iterrows()])
    order = order.sort_values("_x", na_position="last")
    n_conflict = 0
    for _, row in order.iterrows():
        conflict = row["figure_id"] in flagged
        # labels of disagreeing figures sit on top of each other: alternate above/below
        position = "top center"
        if conflict:
            position = "top center" if n_conflict % 2 == 0 else "bottom center"
            n_conflict += 1
        group = _group_name(row, tables, lang, color_by)
        color = groups.setdefault(group, PALETTE[len(groups) % len(PALETTE)])
        start, mid, end = _x_of(row, tables)
        kind = row["kind"]
        if row["kind"] == "target" and _isna(row.get("period_end")):
            levels.append((row, color))
            continue
        if mid is None:
            continue
        xs.append(mid)
        hover = _hover(row, tables, lang, conflict)
        if start is not None:
            fig.add_trace(go.Scatter(
                x=[start, end], y=[row["value"], row["value"]], mode="lines",
                line={"color": color, "width": 4, "dash": KIND_DASH.get(kind, "solid")},
                hoverinfo="skip", showlegend=False, legendgroup=group))
        fig.add_trace(go.Scatter(
            x=[mid], y=[row["value"]], mode="markers+text",
            text=[_label(row, tables, lang, conflict)], textposition=position,
            marker={"symbol": KIND_SYMBOL.get(kind, "circle"), "size": 13, "color": color,
                    "line": {"width": 3 if conflict else 1,
                             "color": CONFLICT_COLOR if conflict else color}},
            hovertext=[hover], hoverinfo="text", name=_legend_name(group), legendgroup=group,
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
        label = (f"{t('kind_target', lang)}: {figure_text(row, lang)} "
                 f"({t('target_no_deadline', lang)})")
        fig.add_hline(y=row["value"], line={"dash": "dash", "color": color, "width": 2})
        fig.add_annotation(text=html.escape(label), xref="paper", x=0, y=row["value"],
                           yanchor="bottom", xanchor="left", showarrow=False,
                           hovertext=_hover(row, tables, lang, False))
        shown_kinds.add("target")
    for kind in sorted(shown_kinds - {"observed"}):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers+lines",
                                 marker={"symbol": KIND_SYMBOL[kind], "size": 11, "color": "#777"},
                                 line={"dash": KIND_DASH.get(kind, "solid"), "color": "#777"},
                                 name=t(f"kind_{kind}", lang), showlegend=True))
    _keep_labels_inside(fig)
    units = figs["unit"].dropna().unique()
    unit = str(units[0]) if len(units) else ""
    _value_axis(fig, list(figs["value"]) + list(figs["value_high"].dropna()), unit, lang)
    _date_axis(fig, lang)
    _layout(fig, title, theme)
    if flagged:
        fig.add_annotation(text=html.escape(t("conflict_flag", lang)), xref="paper", yref="paper",
                           x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
                           font={"color": CONFLICT_COLOR})
    return fig


def bar_chart(figs: pd.DataFrame, tables: Tables, lang: str, theme: str, title: str,
              facet: str | None = None, color_by: str = "indicator") -> go.Figure:
    """One bar per figure, optionally faceted into columns by ``facet`` (e.g. reporting side,
    unit) so unlike things never share an axis.

    The category is the period (the legend names the indicator by colour; with another
    ``color_by`` the indicator is added), written horizontally and wrapped so that narrow
    embeds (360 px) keep tick labels short and clear of the legend."""
    if figs.empty:
        return _empty(title, lang, theme)
    flagged = set(conflicts(figs)["figure_id"])
    facets = [None] if facet is None else list(dict.fromkeys(figs[facet].fillna("∅")))
    names = []
    for f in facets:
        if facet == "reporting_side":
            names.append(t(f"side_{f}", lang) if f in ("AZ", "KZ") else t("side_unknown", lang))
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
    layout: dict = {}
    traces: list[dict] = []
    groups: dict[str, str] = {}
    legend_done: set[str] = set()
    for i, f in enumerate(facets, start=1):
        suffix = "" if i == 1 else str(i)
        x0 = (i - 1) * (width + gap)
        lo, hi = max(0.0, round(x0, 6)), min(1.0, round(x0 + width, 6))
        xdom, ydom = ([0, 1], [round(1 - hi, 6), round(1 - lo, 6)]) if stacked else ([lo, hi],
                                                                                      [0, 1])
        layout[f"xaxis{suffix}"] = {"domain": xdom, "anchor": f"y{suffix}",
                                    "type": "category", "automargin": True, "tickangle": 0}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "automargin": True, "domain": ydom,
                                    **_value_ticks(figs if facet is None or shared else
                                                   figs[figs[facet].fillna("∅") == f], lang)}
        if shared and i > 1:
            layout[f"yaxis{suffix}"].update(matches="y", showticklabels=False)
        if names[i - 1]:
            layout.setdefault("annotations", []).append(
                {"text": html.escape(names[i - 1]), "x": sum(xdom) / 2, "y": ydom[1],
                 "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
                 "showarrow": False})
        part = figs if facet is None else figs[figs[facet].fillna("∅") == f]
        # tick text per line: a 360 px embed gives ~300 px to the categories of one row
        wrap = 9 if n > 1 and not stacked else (24 if part["period_label"].nunique() <= 2
                                                 else 12)
        for _, row in part.iterrows():
            conflict = row["figure_id"] in flagged
            group = _group_name(row, tables, lang, color_by)
            color = groups.setdefault(group, PALETTE[len(groups) % len(PALETTE)])
            cat = period_text(row, tables, lang)
            if base_text(row, lang):
                cat += f" ({base_text(row, lang)})"
            if color_by != "indicator":
                cat = f"{indicator_label(tables, row['indicator_id'], lang)} {cat}"
            cat = "<br>".join(html.escape(line) for line in _wrap(_breakable(cat), wrap))
            hollow = row["kind"] in ("target", "forecast")
            traces.append({
                "type": "bar", "x": [cat], "y": [row["value"]], "name": _legend_name(group),
                "legendgroup": group, "showlegend": group not in legend_done,
                "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                "text": [_label(row, tables, lang, conflict).replace(
                    f" ({t('derived_label', lang)})", f"<br>({t('derived_label', lang)})")],
                "textposition": "outside", "cliponaxis": False,
                "marker": {"color": "rgba(0,0,0,0)" if hollow else color,
                           "line": {"color": CONFLICT_COLOR if conflict else color,
                                    "width": 3 if conflict or hollow else 0},
                           "pattern": {"shape": "/" if row["kind"] == "derived" else ""}},
                "hovertext": [_hover(row, tables, lang, conflict)], "hoverinfo": "text",
                "customdata": [row["figure_id"]]})
            legend_done.add(group)
    fig = go.Figure(data=traces, layout=layout)
    fig.update_layout(barmode="group", uniformtext={"minsize": 9, "mode": "show"})
    _layout(fig, title, theme, height=300 + 230 * (n - 1) if stacked else 460)
    if flagged:
        fig.add_annotation(text=html.escape(t("conflict_flag", lang)), xref="paper", yref="paper",
                           x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
                           font={"color": CONFLICT_COLOR})
    return fig


# --- target progress -------------------------------------------------------------------------

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


def build_target_progress(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    title = t("chart_target_progress", lang)
    prog = target_progress(tables)
    if prog is None or prog["measured"] is None:
        return _empty(title, lang, theme)
    target, measured = prog["target"], prog["measured"]
    fig = go.Figure()
    label = period_text(measured, tables, lang)
    fig.add_trace(go.Bar(
        y=[label], x=[measured["value"]], orientation="h", marker={"color": PALETTE[0]},
        text=[f"{_label(measured, tables, lang, False)} · {format_ratio(prog['ratio'], lang)}"],
        textposition="auto", hovertext=[_hover(measured, tables, lang, False)],
        hoverinfo="text", name=t("kind_observed", lang)))
    deadline = target.get("period_end")
    tlabel = f"{t('kind_target', lang)}: {figure_text(target, lang)} · " + (
        t("target_deadline", lang, date=format_date(deadline, "year", lang))
        if not _isna(deadline) else t("target_no_deadline", lang))
    fig.add_vline(x=target["value"], line={"dash": "dash", "color": PALETTE[5], "width": 3})
    fig.add_annotation(x=target["value"], y=1.0, yref="paper", text=html.escape(tlabel),
                       showarrow=False, xanchor="right", yanchor="bottom")
    _value_axis(fig, [target["value"], measured["value"]], str(target["unit"]), lang, axis="x")
    _layout(fig, title, theme, height=230)
    fig.update_layout(showlegend=False)
    return fig


# --- timeline --------------------------------------------------------------------------------

def _period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    if precision == "year":
        return pd.Timestamp(start.year, 12, 31)
    if precision == "month":
        return start + pd.offsets.MonthEnd(0)
    return start


def build_timeline(tables: Tables, lang: str, theme: str = "light",
                   today: dt.date | None = None) -> go.Figure:
    """Events on lanes by kind; year/month-precision events as spans over the whole year or
    month, day events as points; inferred dates hollow/hatched; targets and forecasts with a
    deadline in their own lane; a vertical line for today."""
    title = t("chart_timeline", lang)
    ev = tables.events
    horizons = tables.figures[tables.figures["kind"].isin(["target", "forecast"])
                              & tables.figures["period_end"].notna()]
    if ev.empty and horizons.empty:
        return _empty(title, lang, theme)
    e = html.escape
    fig = go.Figure()
    title_col = "title_az" if lang == "az" else "title_en"
    seen: set[str] = set()
    for _, row in ev.sort_values("date_start").iterrows():
        kind = _str(row["kind"])
        lane = t(f"evkind_{kind}", lang) if kind in EVENT_COLORS else kind
        color = EVENT_COLORS.get(kind, "#777")
        precision = _str(row["precision"])
        inferred = _str(row.get("date_basis")) == "inferred"
        start = row["date_start"]
        end = row["date_end"] if not _isna(row.get("date_end")) else _period_end(start, precision)
        when = format_date(start, precision, lang)
        if not _isna(row.get("date_end")):
            when += f" – {format_date(row['date_end'], precision, lang)}"
        prec_text = t(f"precision_{precision}", lang) if precision in PRECISIONS else precision
        quote = "<br>".join(e(q) for q in _wrap(_str(row["quote"])))
        lines = [f"<b>{e(_str(row[title_col]))}</b>",
                 f"{e(when)} ({e(prec_text)})"
                 + (f" · {e(t('date_basis_inferred', lang))}" if inferred else ""),
                 f"{e(t('quote_label', lang))}: «{quote}»"]
        note = localized(row, "note", lang)
        if note is not None:
            lines.append(f"{e(t('caveat_label', lang))}: {e(note)}")
        src = _source_row(tables, _str(row["source_id"]))
        if src is not None:
            lines.append(e(describe_source(src, lang)))
        hover = "<br>".join(lines)
        show = lane not in seen
        seen.add(lane)
        if end > start:
            fig.add_trace(go.Bar(
                base=[start], x=[(end - start).total_seconds() * 1000 + 86_400_000], y=[lane],
                orientation="h", width=0.45, opacity=0.6,
                marker={"color": "rgba(0,0,0,0)" if inferred else color,
                        "line": {"color": color, "width": 2},
                        "pattern": {"shape": "/" if inferred else "", "fgcolor": color}},
                hovertext=[hover], hoverinfo="text", name=lane, legendgroup=lane,
                showlegend=show, customdata=[row["event_id"]]))
        else:
            fig.add_trace(go.Scatter(
                x=[start], y=[lane], mode="markers",
                # white rim: a day-dated event stays visible on top of a year span
                marker={"symbol": "circle-open" if inferred else "circle", "size": 13,
                        "color": color,
                        "line": {"width": 2, "color": color if inferred else "#FFFFFF"}},
                hovertext=[hover], hoverinfo="text", name=lane, legendgroup=lane,
                showlegend=show, customdata=[row["event_id"]]))
    lane = t("lane_targets", lang)
    for _, row in horizons.iterrows():
        fig.add_trace(go.Scatter(
            x=[row["period_end"]], y=[lane], mode="markers+text",
            text=[f"{figure_text(row, lang)}"], textposition="top center",
            marker={"symbol": KIND_SYMBOL.get(row["kind"], "diamond-open"), "size": 14,
                    "color": PALETTE[5], "line": {"width": 2}},
            hovertext=[_hover(row, tables, lang, False)], hoverinfo="text", name=lane,
            legendgroup=lane, showlegend=lane not in seen, customdata=[row["figure_id"]]))
        seen.add(lane)
    today = pd.Timestamp(today or dt.date.today())
    fig.add_shape(type="line", x0=today, x1=today, y0=0, y1=1, yref="paper",
                  line={"color": "#888", "dash": "dot", "width": 2})
    fig.add_annotation(x=today, y=1, yref="paper", text=html.escape(t("today", lang)),
                       showarrow=False, yanchor="bottom")
    _date_axis(fig, lang)
    fig.update_yaxes(title=None, autorange="reversed")
    _layout(fig, title, theme, height=420)
    fig.update_layout(barmode="overlay")
    return fig


# --- chart entry points (used by ui.catalogue) ----------------------------------------------

TRADE_SPLIT = ["kz_exports_to_az", "kz_imports_from_az", "az_imports_from_kz"]
INVESTMENT = ["investment_kz_in_az", "investment_az_in_kz"]
TRANSIT = ["middle_corridor_volume", "kz_transit_cargo"]
ENERGY = ["oil_transit_aktau_ceyhan"]
COMPANIES = ["companies_kz_capital"]
TURNOVER = ["trade_turnover"]


def indicator_rows(indicators: list[str]):
    """Row selector: figures of ``indicators`` except changes (percent/times never share an
    axis with levels; they have their own growth charts)."""
    def rows(tables: Tables) -> pd.DataFrame:
        f = tables.figures
        return f[f["indicator_id"].isin(indicators) & (f["kind"] != "change")]
    return rows


turnover_rows = indicator_rows(TURNOVER)
trade_split_rows = indicator_rows(TRADE_SPLIT)
investment_rows = indicator_rows(INVESTMENT)
companies_rows = indicator_rows(COMPANIES)
transit_rows = indicator_rows(TRANSIT)
energy_rows = indicator_rows(ENERGY)


def build_trade_turnover(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return time_chart(turnover_rows(tables), tables, lang, theme, t("chart_trade_turnover", lang))


def build_trade_split(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(trade_split_rows(tables), tables, lang, theme, t("chart_trade_split", lang),
                     facet="reporting_side")


def trade_growth_rows(tables: Tables) -> pd.DataFrame:
    f = tables.figures
    trade = tables.indicators.loc[tables.indicators["category"] == "trade", "indicator_id"]
    return f[(f["kind"] == "change") & f["indicator_id"].isin(trade)]


def build_trade_growth(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(trade_growth_rows(tables), tables, lang, theme,
                     t("chart_trade_growth", lang), facet="unit")


def build_investment(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(investment_rows(tables), tables, lang, theme,
                     t("chart_investment_stocks", lang))


def build_companies(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return time_chart(companies_rows(tables), tables, lang, theme,
                      t("chart_business_companies", lang), connect=True)


def build_transit(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return time_chart(transit_rows(tables), tables, lang, theme, t("chart_transit_cargo", lang),
                      color_by="indicator")


def other_growth_rows(tables: Tables) -> pd.DataFrame:
    """Changes (percent or times) of every non-trade indicator, e.g. the transit forecast's
    "about 5 times"; they never share an axis with tonnes."""
    f = tables.figures
    trade = tables.indicators.loc[tables.indicators["category"] == "trade", "indicator_id"]
    return f[(f["kind"] == "change") & ~f["indicator_id"].isin(trade)]


def build_other_growth(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(other_growth_rows(tables), tables, lang, theme,
                     t("chart_transit_growth", lang), facet="unit")


def build_energy(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(energy_rows(tables), tables, lang, theme, t("chart_energy_oil", lang))


COVERED = set(TURNOVER + TRADE_SPLIT + INVESTMENT + TRANSIT + ENERGY + COMPANIES)


def other_rows(tables: Tables) -> pd.DataFrame:
    """Figures of every indicator no other chart shows (diplomacy, people, digital, and any
    indicator added later), so no indicator is left without a chart."""
    f = tables.figures
    return f[~f["indicator_id"].isin(COVERED) & (f["kind"] != "change")]


def build_other(tables: Tables, lang: str, theme: str = "light") -> go.Figure:
    return bar_chart(other_rows(tables), tables, lang, theme, t("chart_diplomacy_people", lang),
                     facet="unit")


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
                f"{figure_text(r, lang)} ({kind}; {_str(r['attributed_to'])})")
        if r["figure_id"] in flagged:
            item += f" {t('conflict_flag', lang)}"
        items.append(item)
    return f"{title}. " + "; ".join(items) + "."


def describe_events(rows: pd.DataFrame, lang: str, title: str) -> str:
    if rows.empty:
        return f"{title}. {t('no_rows', lang)}"
    col = "title_az" if lang == "az" else "title_en"
    items = [f"{format_date(r['date_start'], _str(r['precision']), lang)}: {_str(r[col])}"
             + (f" ({t('date_basis_inferred', lang)})" if _str(r.get('date_basis')) == "inferred"
                else "")
             for _, r in rows.sort_values("date_start").iterrows()]
    return f"{title}. " + "; ".join(items) + "."

