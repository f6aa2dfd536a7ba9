"""The timeline: events on lanes by kind, targets and forecasts at their deadlines, a marker
for today."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pandas as pd
import plotly.graph_objects as go

from charts.citations import describe_source
from charts.labels import (
    as_str,
    figure_text,
    hover,
    indicator_label,
    isna,
    reader_text,
    source_row,
)
from charts.style import (
    EVENT_COLORS,
    KIND_SYMBOL,
    PALETTE,
    date_axis,
    empty,
    layout,
    plotly_text,
    wrapped,
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


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _names(event: pd.Series, event_id: str) -> bool:
    """True when ``event``'s note names ``event_id`` as a whole word."""
    return re.search(rf"(?<![\w-]){re.escape(event_id)}(?![\w-])",
                     as_str(event.get("note"))) is not None


def happenings(events: pd.DataFrame) -> pd.DataFrame:
    """One row per happening: events that are the same happening reported by several articles
    are merged. The register links them: the editor's note of one event names the other's id
    ("also mentioned ... (treaty-2005-05-24)"); linked events of the same kind and year are one
    happening. A shared date alone is not enough (two different meetings in March 2024).

    The merged row is the most precisely dated event; ``source_ids`` and ``event_ids`` list
    every member (comma-separated, the row's own first), ``quotes`` their quotes.

    >>> ev = pd.DataFrame({"event_id": ["a", "b"], "source_id": ["s1", "s2"],
    ...     "kind": ["visit", "visit"], "date_start": pd.to_datetime(["2025-10-01"] * 2),
    ...     "precision": ["month", "month"], "note": ["Same visit as b.", None],
    ...     "quote": ["q1", "q2"]})
    >>> happenings(ev)[["event_id", "source_ids"]].values.tolist()
    [['a', 's1,s2']]
    """
    if events.empty:
        return events.assign(source_ids=[], event_ids=[], quotes=[])
    rows = [r for _, r in events.iterrows()]
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if a["kind"] != b["kind"] or a["date_start"].year != b["date_start"].year:
                continue
            if _names(a, b["event_id"]) or _names(b, a["event_id"]):
                parent[root(j)] = root(i)
    groups: dict[int, list[pd.Series]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(root(i), []).append(r)
    out = []
    for members in groups.values():
        members = sorted(members, key=lambda r: _PRECISION_RANK.get(as_str(r["precision"]), 3))
        head = members[0].copy()
        head["source_ids"] = ",".join(dict.fromkeys(as_str(m["source_id"]) for m in members))
        head["event_ids"] = ",".join(m["event_id"] for m in members)
        head["quotes"] = [as_str(m["quote"]) for m in members]
        out.append(head)
    return pd.DataFrame(out).sort_values("date_start").reset_index(drop=True)


# Two labels in one lane closer than this (in time) would run into each other at desktop width
# (a 22-character label is about 4 years of the 1999-2030 axis wide).
LABEL_ROOM = pd.Timedelta(days=4 * 365)


def _crowded(ev: pd.DataFrame) -> set[str]:
    """Ids of happenings with another one of the same kind within ``LABEL_ROOM``: these are
    labelled by their number only (the list under the chart gives the title)."""
    out: set[str] = set()
    for _, lane in ev.groupby("kind"):
        starts = list(zip(lane["date_start"], lane["event_id"], strict=True))
        for (a, ida), (b, idb) in itertools.pairwise(sorted(starts)):
            if b - a < LABEL_ROOM:
                out |= {ida, idb}
    return out


def build_timeline(tables: Tables, lang: str, theme: str = "light", title: str | None = None,
                   today: dt.date | None = None) -> go.Figure:
    """Happenings (``happenings``: one per event reported by several articles) on lanes by
    kind, each labelled with its number in date order (the list under the chart has the same
    numbers) and, where there is room in its lane, its title; year/month-precision events as
    spans over the whole year or month, day events as points; inferred dates hollow/hatched;
    targets and forecasts with a deadline in their own lane; a vertical line for today."""
    title = t("chart_timeline", lang) if title is None else title
    ev = happenings(tables.events)
    horizons = tables.figures[tables.figures["kind"].isin(["target", "forecast"])
                              & tables.figures["period_end"].notna()]
    if ev.empty and horizons.empty:
        return empty(title, lang, theme)
    fig = go.Figure()
    seen: set[str] = set()
    lane_count: dict[str, int] = {}
    crowded = _crowded(ev)
    for number, (_, row) in enumerate(ev.iterrows(), start=1):
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
        name = localized(row, "title", lang) or ""
        lines = [f"<b>{wrapped(name)}</b>",
                 wrapped(f"{when} ({prec_text})"
                         + (f" · {t('date_basis_inferred', lang)}" if inferred else ""))]
        for quote in row["quotes"]:
            lines.append(wrapped(f"{t('quote_label', lang)}: «{quote}»"))
        note = localized(row, "note", lang)
        if note is not None:
            lines.append(wrapped(f"{t('caveat_label', lang)}: "
                                 f"{reader_text(note, tables, lang)}"))
        for sid in row["source_ids"].split(","):
            src = source_row(tables, sid)
            if src is not None:
                lines.append(wrapped(describe_source(src, lang)))
        hover_text = "<br>".join(lines)
        show = lane not in seen
        seen.add(lane)
        # Every happening carries its number (the list under the chart has the same); one with
        # room around it in its lane carries its title too. Labels alternate above and below.
        n = lane_count.get(lane, 0)
        lane_count[lane] = n + 1
        text = f"<b>{number}</b>" if row["event_id"] in crowded else (
            f"<b>{number}</b> {wrapped(name, 22)}")
        position = "top center" if n % 2 == 0 else "bottom center"
        if end > start:
            fig.add_trace(go.Bar(
                base=[start], x=[(end - start).total_seconds() * 1000 + 86_400_000], y=[lane],
                orientation="h", width=0.45, opacity=0.6,
                marker={"color": "rgba(0,0,0,0)" if inferred else color,
                        "line": {"color": color, "width": 2},
                        "pattern": {"shape": "/" if inferred else "", "fgcolor": color}},
                hovertext=[hover_text], hoverinfo="text", name=lane, legendgroup=lane,
                showlegend=show, customdata=[row["event_id"]]))
            mid = start + (end - start) / 2
            fig.add_trace(go.Scatter(
                x=[mid], y=[lane], mode="text", text=[text], textposition=position,
                textfont={"size": 10}, hoverinfo="skip", showlegend=False, legendgroup=lane,
                cliponaxis=False, meta=row["event_id"]))  # the label's event, not a point
        else:
            fig.add_trace(go.Scatter(
                x=[start], y=[lane], mode="markers+text", text=[text], textposition=position,
                textfont={"size": 10}, cliponaxis=False,
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
            text=[wrapped(f"{indicator_label(tables, row['indicator_id'], lang)}: "
                          f"{figure_text(row, lang)}", 22)],
            textposition="top center", textfont={"size": 10}, cliponaxis=False,
            marker={"symbol": KIND_SYMBOL.get(row["kind"], "diamond-open"), "size": 14,
                    "color": PALETTE[5], "line": {"width": 2}},
            hovertext=[hover(row, tables, lang, False)], hoverinfo="text", name=lane,
            legendgroup=lane, showlegend=lane not in seen, customdata=[row["figure_id"]]))
        seen.add(lane)
    today = pd.Timestamp(today or dt.date.today())
    fig.add_shape(type="line", x0=today, x1=today, y0=0, y1=1, yref="paper",
                  line={"color": "#888", "dash": "dot", "width": 2})
    fig.add_annotation(x=today, y=1, yref="paper", text=plotly_text(t("today", lang)),
                       showarrow=False, yanchor="bottom")
    date_axis(fig, lang)
    fig.update_yaxes(title=None, autorange="reversed")
    layout(fig, title, theme, height=140 + 110 * max(len(seen), 1))
    fig.update_layout(barmode="overlay")
    return fig
