"""Claims checked against reported statistics (the ``checks`` and ``reference`` tables), as a
reader sees them: the verdict in words, a reference's citation, the "reported statistics"
series drawn behind the claims of a chart, the verdict on each claim's label and hover, the
overview's count of verdicts and the rows of the Claims page. Pure: no Streamlit.

Every number comes from the tables: the verdict, gap and gap percentage are computed by the
build (``etl/checks.py``); this module only formats and places them.

Example:
    >>> verdict_text("understates", "en")
    '↓ understates'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from charts.citations import source_key
from charts.labels import (
    as_str,
    figure_text,
    indicator_label,
    isna,
    period_text,
    reader_text,
    side_name,
    x_of,
)
from charts.style import plotly_text, value_axis, value_ticks, wrapped
from charts.timeseries import period_class
from etl.schema import DEFINITIONS, GRADES, VERDICTS
from etl.store import Tables
from i18n.fmt import format_date, format_period, format_value
from i18n.text import localized, quote_rendering, t

# A verdict's mark: the words follow it, so the mark is never the only carrier of meaning.
VERDICT_MARK = {"matches": "✓", "understates": "↓", "overstates": "↑", "not_comparable": "≠",
                "no_reference": "∅"}
# Verdicts that compare the claim with a reference (the others found none to compare with).
COMPARED = ("matches", "understates", "overstates")
# The summary counts, in the order the overview card names them.
SUMMARY = ("matches", "understates", "overstates", "not_comparable", "no_reference")
# Reported statistics are drawn thin and muted, behind the claims, in either theme.
REFERENCE_COLOR = {"light": "#8A8F98", "dark": "#9AA0A6"}
REFERENCE_GROUP = "reported-statistics"
NO_REFERENCE_NOTE = "no-reference-note"  # the legend line that explains the ∅ mark
LABEL_INSIDE = 0.3  # share of a bar facet's height from which a bar holds its own label


def verdict_text(verdict: str, lang: str) -> str:
    """The verdict as a reader reads it: its mark and its words in ``lang``."""
    return f"{VERDICT_MARK.get(verdict, '')} {t(f'verdict_{verdict}', lang)}".strip()


# Rows by id, made once per table object (a build's tables never change): every chart,
# card and hover looks claims and statistics up by id. A few builds at most are held.
_ROWS: dict[tuple[int, str], tuple[pd.DataFrame, dict[str, pd.Series]]] = {}
_ROWS_MAX = 16


def _rows_by(frame: pd.DataFrame, key: str) -> dict[str, pd.Series]:
    hit = _ROWS.get((id(frame), key))
    if hit is not None and hit[0] is frame:
        return hit[1]
    rows = {r[key]: r for _, r in frame.iterrows()}
    if len(_ROWS) >= _ROWS_MAX:
        _ROWS.clear()
    _ROWS[(id(frame), key)] = (frame, rows)
    return rows


def checks_by_figure(tables: Tables) -> dict[str, pd.Series]:
    """Rows of ``checks`` by ``figure_id`` (read-only: shared between callers)."""
    return _rows_by(tables.checks, "figure_id")


def references_by_id(tables: Tables) -> dict[str, pd.Series]:
    """Rows of ``reference`` by ``reference_id`` (read-only: shared between callers)."""
    return _rows_by(tables.reference, "reference_id")


def candidate_ids(check: pd.Series) -> list[str]:
    """The other fitting references of a check (not picked), in the table's order."""
    return [c.strip() for c in as_str(check.get("candidates")).split(",") if c.strip()]


def reference_text(ref: pd.Series, tables: Tables, lang: str) -> str:
    """A reference in a few words: value and period ('4,48 mln t, 2024')."""
    return f"{figure_text(ref, lang)}, {format_period(ref, lang)}"


def grade_text(grade: str, lang: str) -> str:
    """'Grade B: an outlet quoting a named body or official' in ``lang``."""
    if grade not in GRADES:
        return grade
    return t("ref_grade", lang, grade=grade, meaning=t(f"grade_{grade}", lang))


# How the page that carried a statistic got it from another (the register's ``via``: "Outlet
# (citing X)"), said in the reader's language: the relation's locale key.
VIA_RELATIONS = {"citing": "ref_via_citing", "republished by": "ref_via_republished",
                 "interview given to": "ref_via_interview"}
_RELATION = "|".join(map(re.escape, VIA_RELATIONS))
_VIA = re.compile(rf"^(?P<outlet>.+?) \((?P<relation>{_RELATION}) (?P<source>[^()]+)\)$")


def outlet_text(via: str, lang: str) -> str:
    """The outlet of a reported statistic in ``lang``: names stay, the relation to the outlet
    it drew on is translated (any other text is kept as written).

    >>> outlet_text("AzerNews (citing Trend)", "ru")
    'AzerNews (со ссылкой на Trend)'
    """
    m = _VIA.match(via)
    if m is None:
        return via
    return t(VIA_RELATIONS[m["relation"]], lang, outlet=m["outlet"], source=m["source"])


def reference_citation(ref: pd.Series, lang: str) -> str:
    """Who reported a statistic and where: body, outlet (or the body's own site), page date."""
    body = localized(ref, "reported_by", lang) or ""
    via = as_str(ref.get("via"))
    date = format_date(ref.get("page_date"), as_str(ref.get("page_date_precision")) or "day",
                       lang)
    where = t("ref_via", lang, outlet=outlet_text(via, lang)) if via else t("ref_own_site", lang)
    return t("ref_citation", lang, body=body, where=where, date=date)


def reference_lines(ref: pd.Series, tables: Tables, lang: str) -> list[str]:
    """A reference's facts, one plain-text line each: value and period, side and definition,
    body, outlet, page date, grade, address and caveat."""
    lines = [f"{indicator_label(tables, ref['indicator_id'], lang)}: "
             f"{reference_text(ref, tables, lang)}"]
    side, definition = ref.get("reporting_side"), as_str(ref.get("definition"))
    extra = [t("ref_side", lang, side=side_name(side, lang))] if not isna(side) else []
    if definition in DEFINITIONS:
        extra.append(t("ref_definition", lang, definition=t(f"definition_{definition}", lang)))
    if extra:
        lines.append(" · ".join(extra))
    lines.append(t("ref_reported_by", lang, body=localized(ref, "reported_by", lang) or ""))
    via = as_str(ref.get("via"))
    lines.append(t("ref_outlet", lang, outlet=outlet_text(via, lang)) if via
                 else t("ref_own_site", lang))
    lines.append(t("ref_page_date", lang, date=format_date(
        ref.get("page_date"), as_str(ref.get("page_date_precision")) or "day", lang)))
    lines.append(grade_text(as_str(ref.get("grade")), lang))
    lines.append(t("ref_address", lang, url=as_str(ref.get("url"))))
    note = localized(ref, "note", lang)
    if note:
        lines.append(f"{t('caveat_label', lang)}: {reader_text(note, tables, lang)}")
    return lines


def gap_text(check: pd.Series, lang: str) -> str | None:
    """The gap of a compared claim in percent of the statistic ('−21,88%'), or None."""
    if isna(check.get("gap_pct")):
        return None
    sign = "+" if check["gap_pct"] > 0 else ""
    return sign + format_value(float(check["gap_pct"]), "percent", lang)


def check_lines(check: pd.Series, figure: pd.Series, tables: Tables, lang: str,
                with_reference: bool = True) -> list[str]:
    """What the check says about a claim, one plain-text line each: the verdict, the picked
    statistic (left out with ``with_reference=False``, where it is shown beside the claim),
    the gap (derived, with its formula), whether the claim's wording holds, the other fitting
    statistics, or why nothing could be compared."""
    refs = references_by_id(tables)
    verdict = as_str(check["verdict"])
    lines = [t("check_verdict", lang, verdict=verdict_text(verdict, lang))]
    definition = as_str(figure.get("definition"))
    if definition in DEFINITIONS:  # what the quote's own words say is counted
        lines.append(t("claim_definition", lang,
                       definition=t(f"definition_{definition}", lang)))
    ref = refs.get(as_str(check.get("reference_id")))
    if ref is not None:
        if with_reference:
            lines.append(t("check_against", lang, reference=reference_text(ref, tables, lang),
                           citation=reference_citation(ref, lang)))
        gap = gap_text(check, lang)
        if gap is not None:
            lines.append(t("check_gap", lang, gap=gap))
        holds = check.get("qualifier_holds")
        if not isna(holds):
            claim = figure_text(figure, lang)
            lines.append(t("check_wording_holds" if bool(holds) else "check_wording_fails",
                           lang, claim=claim))
        others = [refs[c] for c in candidate_ids(check) if c in refs]
        if others:
            lines.append(t("check_also_fit", lang, references="; ".join(
                f"{reference_text(o, tables, lang)} ({localized(o, 'reported_by', lang)})"
                for o in others)))
        # statistics of the same period that could not check the claim (another side or
        # definition): drawn on the chart, so said here why they are not the match
        fitting = {ref["reference_id"], *candidate_ids(check)}
        same = related_references(figure, tables)
        same = same[same_period(same, figure) & ~same["reference_id"].isin(fitting)]
        unfit = [(r, mismatch(figure, r, lang)) for _, r in same.iterrows()]
        if unfit := [(r, why) for r, why in unfit if why]:
            lines.append(t("check_other_forms", lang, references="; ".join(
                f"{reference_text(r, tables, lang)} — {why}" for r, why in unfit)))
    elif verdict == "not_comparable":
        related = related_references(figure, tables)
        reasons = "; ".join(f"{reference_text(r, tables, lang)} — {why}"
                            for r, why in ((r, mismatch(figure, r, lang))
                                           for _, r in related.iterrows()) if why)
        lines.append(t("check_not_comparable", lang, references=reasons or "—"))
    else:
        lines.append(t("check_no_reference", lang))
    return lines


def related_references(figure: pd.Series, tables: Tables) -> pd.DataFrame:
    """References of the claim's indicator and kind whose period overlaps the claim's (a stock:
    the same month), in page-date order: what a not-comparable claim was held against."""
    ref = tables.reference
    kind = "change" if figure.get("kind") == "change" else "observed"
    same = ref[(ref["indicator_id"] == figure["indicator_id"]) & (ref["kind"] == kind)]
    start, end = figure.get("period_start"), figure.get("period_end")
    if isna(end):
        return same.iloc[0:0]
    if isna(start):  # a stock: the same calendar month
        hit = same["period_start"].isna() & (same["period_end"].dt.to_period("M")
                                             == pd.Timestamp(end).to_period("M"))
    else:
        hit = same["period_start"].notna() & (same["period_start"] <= end) & (
            same["period_end"] >= start)
    return same[hit].sort_values(["page_date", "reference_id"])


def same_period(refs: pd.DataFrame, figure: pd.Series) -> pd.Series:
    """Which of ``refs`` cover the figure's period: a flow exactly the same dates, a stock the
    same calendar month (as the checks compare them)."""
    start, end = figure.get("period_start"), figure.get("period_end")
    if isna(end):
        return pd.Series(False, index=refs.index)
    if isna(start):
        return refs["period_start"].isna() & (refs["period_end"].dt.to_period("M")
                                              == pd.Timestamp(end).to_period("M"))
    return (refs["period_start"] == start) & (refs["period_end"] == end)


def mismatch(figure: pd.Series, ref: pd.Series, lang: str) -> str:
    """Why ``ref`` cannot check ``figure``, in ``lang`` ('' when it could): another reporting
    side, another definition or another period."""
    fside, rside = figure.get("reporting_side"), ref.get("reporting_side")
    if not isna(fside) and not isna(rside) and fside != rside:
        return t("mismatch_side", lang, side=side_name(rside, lang))
    fdef, rdef = as_str(figure.get("definition")), as_str(ref.get("definition"))
    if rdef in DEFINITIONS and rdef != fdef:
        return t("mismatch_definition", lang, definition=t(f"definition_{rdef}", lang))
    same_period = (figure.get("period_start") == ref.get("period_start")
                   or (isna(figure.get("period_start")) and isna(ref.get("period_start"))))
    if not same_period or figure.get("period_end") != ref.get("period_end"):
        return t("mismatch_period", lang, period=format_period(ref, lang))
    return ""


# --- the overview card ------------------------------------------------------------------------

def summary(tables: Tables) -> dict[str, int]:
    """How many claims were checked and how many got each verdict, from ``checks``.

    >>> from types import SimpleNamespace
    >>> summary(SimpleNamespace(checks=pd.DataFrame({"verdict": ["matches", "overstates"]})))
    {'total': 2, 'matches': 1, 'understates': 0, 'overstates': 1, 'not_comparable': 0, \
'no_reference': 0}
    """
    counts = tables.checks["verdict"].value_counts()
    return {"total": len(tables.checks), **{v: int(counts.get(v, 0)) for v in SUMMARY}}


def summary_text(tables: Tables, lang: str) -> str:
    """'19 claims checked: 0 match, 3 understate, 1 overstate, 2 not comparable, 12 without
    reference' in ``lang``, every number counted from ``checks``."""
    n = summary(tables)
    return t("claims_summary", lang, total=n["total"], matches=n["matches"],
             understates=n["understates"], overstates=n["overstates"],
             not_comparable=n["not_comparable"], no_reference=n["no_reference"])


# --- the Claims page --------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """One checked claim with everything the Claims page and the claim embed show."""

    figure: pd.Series
    check: pd.Series
    reference: pd.Series | None  # the statistic picked (None: nothing compared)
    source: pd.Series | None

    @property
    def figure_id(self) -> str:
        return str(self.figure["figure_id"])

    @property
    def verdict(self) -> str:
        return str(self.check["verdict"])


def claims(tables: Tables, indicators: list[str] | None = None,
           verdicts: list[str] | None = None) -> list[Claim]:
    """Every checked claim (optionally only of ``indicators`` / ``verdicts``), compared
    claims first (by verdict order), then by indicator and period."""
    figs = tables.figures.set_index("figure_id", drop=False)
    refs = references_by_id(tables)
    out = []
    for _, check in tables.checks.iterrows():
        fid = check["figure_id"]
        if fid not in figs.index:
            continue
        fig = figs.loc[fid]
        if indicators and fig["indicator_id"] not in indicators:
            continue
        if verdicts and check["verdict"] not in verdicts:
            continue
        out.append(Claim(fig, check, refs.get(as_str(check.get("reference_id"))),
                         tables.sources_by_id.get(fig["source_id"])))
    order = {v: i for i, v in enumerate(VERDICTS)}
    return sorted(out, key=lambda c: (order.get(c.verdict, len(order)),
                                      str(c.figure["indicator_id"]),
                                      pd.Timestamp(c.figure["period_end"])
                                      if not isna(c.figure["period_end"]) else pd.Timestamp.max,
                                      c.figure_id))


def claim_summary(claim: Claim, tables: Tables, lang: str) -> str:
    """The claim in a few words: indicator, value and period ('Middle Corridor …: >3,5 mln t,
    2024')."""
    f = claim.figure
    return (f"{indicator_label(tables, f['indicator_id'], lang)}: {figure_text(f, lang)}, "
            f"{period_text(f, tables, lang)}")


def claim_value(claim: Claim, tables: Tables, lang: str) -> str:
    """The claimed value and its period ('>3,5 mln t, 2024')."""
    return f"{figure_text(claim.figure, lang)}, {period_text(claim.figure, tables, lang)}"


def claim_citation(claim: Claim, lang: str) -> str:
    """The claim's source: speaker and the article (outlet, date)."""
    speaker = localized(claim.figure, "attributed_to", lang) or ""
    src = source_key(claim.source, lang) if claim.source is not None else ""
    return t("claim_citation", lang, speaker=speaker, source=src)


# --- the reported statistics on the charts ----------------------------------------------------

def chart_references(figs: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """The reported statistics that belong on a chart of ``figs``: those of its indicators
    with the same kind of number (growth rates beside changes, levels beside the rest) and a
    unit and rate the chart's figures of that indicator use."""
    if figs.empty or tables.reference.empty:
        return tables.reference.iloc[0:0]
    ref = tables.reference
    keep = pd.Series(False, index=ref.index)
    for (ind, is_change), part in figs.groupby(
            [figs["indicator_id"], figs["kind"] == "change"]):
        units = set(part["unit"])
        pers = {as_str(p) for p in part["per"]}
        keep |= ((ref["indicator_id"] == ind)
                 & ((ref["kind"] == "change") == is_change)
                 & ref["unit"].isin(units)
                 & ref["per"].map(as_str).isin(pers))
    return ref[keep]


def reference_hover(ref: pd.Series, tables: Tables, lang: str, roles: dict[str, str]) -> str:
    """Hover of a reported statistic: the series name, its facts, and the claim it checks."""
    lines = [f"<b>{plotly_text(t('reported_statistics', lang))}</b>"]
    lines += [wrapped(line) for line in reference_lines(ref, tables, lang)]
    role = roles.get(ref["reference_id"])
    if role:
        lines.append(f"<i>{wrapped(role)}</i>")
    return "<br>".join(lines)


def _roles(tables: Tables, figs: pd.DataFrame, lang: str) -> dict[str, str]:
    """reference_id -> what it is to a claim on this chart: the statistic it was checked
    against, or another one that fits (drawn, not picked)."""
    roles: dict[str, str] = {}
    by_fig = checks_by_figure(tables)
    for _, f in figs.iterrows():
        check = by_fig.get(f["figure_id"])
        if check is None:
            continue
        claim = figure_text(f, lang)
        rid = as_str(check.get("reference_id"))
        if rid:
            roles[rid] = t("ref_role_match", lang, claim=claim,
                           verdict=verdict_text(check["verdict"], lang))
        for c in candidate_ids(check):
            roles.setdefault(c, t("ref_role_candidate", lang, claim=claim))
    return roles


def _claim_traces(fig: go.Figure) -> dict[str, object]:
    """The trace that carries each claim on the chart (marker or bar), by figure_id."""
    out = {}
    for tr in fig.data:
        data = tr.customdata
        if data is not None and len(data) == 1 and (tr.type == "bar" or "markers" in
                                                     (tr.mode or "")):
            out.setdefault(str(data[0]), tr)
    return out


def with_checks(fig: go.Figure, figs: pd.DataFrame, tables: Tables, lang: str, theme: str,
                family: str) -> go.Figure:
    """``fig`` (a time or bar chart of ``figs``) with the reported statistics drawn as a thin,
    muted series labelled "reported statistics" (on a time chart behind the claims, in the
    panel of its period length; on a bar chart as a tick across the bar of the same period),
    and each checked claim's verdict added to its label and hover."""
    claim_traces = _claim_traces(fig)
    if not claim_traces:
        return fig
    figs = figs[figs["figure_id"].isin(claim_traces)]
    by_fig = checks_by_figure(tables)
    unchecked = False
    for fid, tr in claim_traces.items():
        check = by_fig.get(fid)
        if check is None:
            continue
        row = figs[figs["figure_id"] == fid]
        if row.empty:
            continue
        lines = check_lines(check, row.iloc[0], tables, lang)
        tr.hovertext = [(tr.hovertext[0] if tr.hovertext else "") + "<br><b>"
                        + wrapped(lines[0]) + "</b><br>"
                        + "<br>".join(wrapped(x) for x in lines[1:])]
        if not tr.text:
            continue
        if check["verdict"] == "no_reference":
            # the mark alone, explained once in the legend: a line of words under every
            # unchecked bar would run into its neighbours' labels
            tr.text = [f"{tr.text[0]} {VERDICT_MARK['no_reference']}"]
            unchecked = True
        else:
            tr.text = [f"{tr.text[0]}<br>{plotly_text(verdict_text(check['verdict'], lang))}"]
    if unchecked:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 marker={"opacity": 0, "color": "rgba(0,0,0,0)"},
                                 name=plotly_text(t("chart_no_reference", lang)),
                                 showlegend=True, hoverinfo="skip", meta=NO_REFERENCE_NOTE))
    refs = chart_references(figs, tables)
    if refs.empty:
        return fig
    color = REFERENCE_COLOR.get(theme, REFERENCE_COLOR["light"])
    roles = _roles(tables, figs, lang)
    name = plotly_text(t("reported_statistics", lang))
    # (xaxis, yaxis[, bar's offsetgroup]) -> [(x, y, hover, segment, reference_id)]
    points: dict[tuple, list] = {}
    if family == "time":
        panels: dict[str, tuple[str, str]] = {}
        for _, f in figs.iterrows():
            tr = claim_traces[f["figure_id"]]
            panels.setdefault(period_class(f), (tr.xaxis or "x", tr.yaxis or "y"))
        for _, r in refs.iterrows():
            axes = panels.get(period_class(r))
            start, mid, end = x_of(r, tables)
            if axes is None or mid is None:
                continue
            points.setdefault(axes, []).append(
                (mid, r["value"], reference_hover(r, tables, lang, roles),
                 None if start is None else (start, end), r["reference_id"]))
    else:
        for _, f in figs.iterrows():
            tr = claim_traces[f["figure_id"]]
            same = refs[(refs["indicator_id"] == f["indicator_id"])
                        & (refs["unit"] == f["unit"]) & same_period(refs, f)]
            if same.empty:
                continue
            # the tick sits over its own bar, not the middle of a group of bars
            tr.offsetgroup = tr.offsetgroup or f["figure_id"]
            fig.update_layout(scattermode="group")
            # a statistic just above the bar would hide under the bar's label: the label
            # moves inside the top of a bar tall enough to hold it
            top = max([*same["value"], *(float(v) for b in fig.data if b.type == "bar"
                                         and (b.yaxis or "y") == (tr.yaxis or "y")
                                         for v in b.y)])
            if (same["value"] > f["value"]).any() and f["value"] >= LABEL_INSIDE * top:
                tr.textposition = "inside"
                tr.insidetextanchor = "end"
            for _, r in same.iterrows():
                points.setdefault((tr.xaxis or "x", tr.yaxis or "y", tr.offsetgroup), []).append(
                    (tr.x[0], r["value"], reference_hover(r, tables, lang, roles), None,
                     r["reference_id"]))
    behind, above = [], []
    legend_done = False
    for (xaxis, yaxis, *group), pts in points.items():
        seg_x, seg_y = [], []
        for _x, y, _, seg, _id in pts:
            if seg is not None:
                seg_x += [seg[0], seg[1], None]
                seg_y += [y, y, None]
        if seg_x:
            behind.append(go.Scatter(x=seg_x, y=seg_y, mode="lines", hoverinfo="skip",
                                     line={"color": color, "width": 1.5}, opacity=0.7,
                                     showlegend=False, legendgroup=REFERENCE_GROUP,
                                     xaxis=xaxis, yaxis=yaxis))
        marker = ({"symbol": "circle-open", "size": 9, "color": color, "line": {"width": 1.5}}
                  if family == "time" else
                  {"symbol": "line-ew", "size": 34, "color": color,
                   "line": {"width": 2, "color": color}})
        trace = go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], mode="markers",
                           marker=marker, opacity=0.9, name=name, legendgroup=REFERENCE_GROUP,
                           showlegend=not legend_done, hovertext=[p[2] for p in pts],
                           hoverinfo="text", meta=REFERENCE_GROUP, xaxis=xaxis, yaxis=yaxis,
                           offsetgroup=group[0] if group else None, ids=[p[4] for p in pts])
        legend_done = True
        (behind if family == "time" else above).append(trace)
        _fit_axis(fig, yaxis, [p[1] for p in pts], str(refs['unit'].iloc[0]), lang, family)
    n_before, n_behind = len(fig.data), len(behind)
    fig.add_traces(behind + above)
    data = fig.data  # the added traces as the figure holds them, then reordered
    fig.data = (data[n_before:n_before + n_behind] + data[:n_before]
                + data[n_before + n_behind:])
    return fig


def _fit_axis(fig: go.Figure, yaxis: str, values: list[float], unit: str, lang: str,
              family: str) -> None:
    """Widen a value axis whose range would cut off a reported statistic, never narrow one
    (ticks as the chart family draws them: one scale for every time panel, so its targets
    drawn as lines stay in view; one per bar facet)."""
    keys = ([k for k in fig.layout if k.startswith("yaxis")] if family == "time"
            else ["yaxis" + yaxis[1:]])
    tops = [fig.layout[k].range[1] for k in keys
            if fig.layout[k].range is not None and fig.layout[k].range[1] is not None]
    if tops and max(values) <= min(tops):
        return
    drawn = [float(v) for tr in fig.data if family == "time" or (tr.yaxis or "y") == yaxis
             for v in (tr.y or ()) if v is not None]
    lines = [float(v) for shape in fig.layout.shapes for v in (shape.y0, shape.y1)
             if isinstance(v, int | float)]
    if family == "time":
        value_axis(fig, drawn + lines + values + [max(tops, default=0) / 1.08], unit, lang)
    else:
        fig.layout[keys[0]].update(value_ticks(pd.DataFrame(
            {"value": drawn + values, "unit": unit}), lang))


def drawn_references(fig: go.Figure | dict) -> list[str]:
    """Ids of the reported statistics drawn on ``fig`` (``with_checks``), in drawing order;
    ``fig`` may also be the figure as a JSON dict (the static embeds hold that)."""
    traces = fig.get("data", []) if isinstance(fig, dict) else [
        tr.to_plotly_json() for tr in fig.data]
    return list(dict.fromkeys(str(i) for tr in traces if tr.get("meta") == REFERENCE_GROUP
                              for i in (tr.get("ids") or ())))


def references_line(fig: go.Figure | dict, tables: Tables, lang: str) -> str:
    """'Reported statistics: body, in outlet, page date; …' for the statistics drawn on
    ``fig`` (each citation once), or '' when none is drawn: their sources follow the chart
    like the articles'."""
    refs = references_by_id(tables)
    cited = dict.fromkeys(reference_citation(refs[i], lang) for i in drawn_references(fig)
                          if i in refs)
    if not cited:
        return ""
    return t("reported_statistics_sources", lang, items="; ".join(cited))


def describe_checks(figs: pd.DataFrame, tables: Tables, lang: str) -> str:
    """Text alternative of the verdicts of a chart's claims ('' when none was checked)."""
    by_fig = checks_by_figure(tables)
    items = []
    for _, f in figs.iterrows():
        check = by_fig.get(f["figure_id"])
        if check is None:
            continue
        lines = check_lines(check, f, tables, lang)
        items.append(f"{figure_text(f, lang)} ({period_text(f, tables, lang)}): "
                     + "; ".join(lines))
    if not items:
        return ""
    return f"{t('claims_checked_heading', lang)}: " + " | ".join(items) + "."


# --- the newsroom's fact-check card (static claim embeds) -------------------------------------

CLAIM_EMBED_PREFIX = "claim-"
# The Claims page: its URL path (ui.state.PAGES) and the query parameters of its filters.
CLAIMS_SLUG = "claims"
INDICATOR_PARAM = "indicator"
VERDICT_PARAM = "verdict"


def claims_page_query(lang: str, indicator: str | None = None) -> str:
    """Path and query of the Claims page in ``lang``, filtered to one indicator when given.

    >>> claims_page_query("en", "trade_turnover")
    'claims?lang=en&indicator=trade_turnover'
    """
    params = {"lang": lang, **({INDICATOR_PARAM: indicator} if indicator else {})}
    return f"{CLAIMS_SLUG}?{urlencode(params)}"


def claim_embed_id(figure_id: str) -> str:
    """The embed id of a checked claim (``claim-<figure_id>``), part of its embed address.

    >>> claim_embed_id("dayaz-qafarov-middle-corridor-2024")
    'claim-dayaz-qafarov-middle-corridor-2024'
    """
    return f"{CLAIM_EMBED_PREFIX}{figure_id}"


@dataclass(frozen=True)
class ClaimCard:
    """Everything a claim's fact-check card says, as plain text in one language (the page
    that shows it escapes it)."""

    embed_id: str
    figure_id: str
    indicator_id: str
    title: str  # the indicator
    verdict: str  # code, for styling
    verdict_text: str  # mark and words
    claim: str  # value and period
    quote: str  # verbatim
    quote_lang: str | None  # the article's language (ISO 639-1)
    rendering: tuple[str, str] | None  # (label, text) in the reader's language
    claim_source: str
    claim_url: str | None
    statistic: str | None  # value and period of the statistic checked against
    statistic_source: str | None
    statistic_url: str | None
    grade: str | None
    lines: tuple[str, ...]  # gap, wording, other statistics, or why nothing was compared
    caveat: str | None

    @property
    def label(self) -> str:
        """The card in one line, for iframe titles and the embed catalogue."""
        return f"{self.title}: {self.claim} — {self.verdict_text}"


def claim_caveat(claim: Claim, tables: Tables, lang: str) -> str | None:
    """The claim's caveat in ``lang``, register ids replaced by what they stand for."""
    note = localized(claim.figure, "note", lang)
    return None if note is None else reader_text(note, tables, lang)


def _http(url: object) -> str | None:
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def claim_card(claim: Claim, tables: Tables, lang: str) -> ClaimCard:
    """The fact-check card of one checked claim in ``lang``."""
    f, ref = claim.figure, claim.reference
    rendering = quote_rendering(f, lang)
    return ClaimCard(
        embed_id=claim_embed_id(claim.figure_id), figure_id=claim.figure_id,
        indicator_id=str(f["indicator_id"]),
        title=indicator_label(tables, f["indicator_id"], lang),
        verdict=claim.verdict, verdict_text=verdict_text(claim.verdict, lang),
        claim=claim_value(claim, tables, lang), quote=as_str(f.get("quote")),
        quote_lang=None if claim.source is None else as_str(claim.source.get("language")) or None,
        rendering=None if rendering is None else (t(rendering[1], lang), rendering[0]),
        claim_source=claim_citation(claim, lang),
        claim_url=None if claim.source is None else _http(claim.source.get("url")),
        statistic=None if ref is None else reference_text(ref, tables, lang),
        statistic_source=None if ref is None else reference_citation(ref, lang),
        statistic_url=None if ref is None else _http(ref.get("url")),
        grade=None if ref is None else grade_text(as_str(ref.get("grade")), lang),
        lines=tuple(check_lines(claim.check, f, tables, lang, with_reference=False)[1:]),
        caveat=claim_caveat(claim, tables, lang))


def claim_cards(tables: Tables, lang: str) -> list[ClaimCard]:
    """The card of every checked claim, in the Claims page's order."""
    return [claim_card(c, tables, lang) for c in claims(tables)]
