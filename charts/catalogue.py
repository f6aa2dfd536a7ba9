"""Every chart of the dashboard and the embeds, read from ``charts/catalogue.yaml``.

The catalogue is data: per chart its stable id, page, family (the module that draws it), title
key, which rows it shows, facet and colour rule. ``ChartSpec`` turns one entry into the three
things pages, embeds and tests need: ``rows(tables)`` (for source lines, caveats and the
numbers table), ``build(tables, lang, theme)`` (a ``go.Figure``) and ``describe(tables, lang)``
(the text alternative). Ids are part of embed URLs, so never rename one.

``rest`` in ``indicators`` (or ``categories``) means every indicator (category) that no other
chart with the same kind of rows names: the "other" chart is derived from the catalogue, so a
new indicator is always drawn somewhere and leaves the rest once a chart names it.

Example:
    >>> list(CHARTS)[:2]
    ['overview-target-progress', 'trade-turnover']
    >>> CHARTS["trade-split"].facet
    'reporting_side'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import yaml

from charts.bars import bar_chart
from charts.checks import describe_checks, with_checks
from charts.labels import describe_events, describe_figures
from charts.progress import build_target_progress, target_progress
from charts.style import keep_labels_inside
from charts.timeline import build_timeline, happenings
from charts.timeseries import time_chart
from etl.store import Tables
from i18n.text import t

CATALOGUE = Path(__file__).resolve().parent / "catalogue.yaml"
FAMILIES = ("time", "bars", "progress", "timeline")
ROW_KINDS = ("levels", "changes", "events", "progress")
FACETS = ("reporting_side", "unit")
COLORS = ("source", "indicator", "reporting_side")
REST = "rest"
# A chart id is a slug; anything else (dots, slashes, percent signs, NUL) can never name a file
# outside the static export.
CHART_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def is_chart_id(chart_id: object) -> bool:
    """True when ``chart_id`` has the shape of a chart id (a lowercase slug).

    Example:
        >>> is_chart_id("trade_turnover"), is_chart_id("../etc/passwd")
        (True, False)
    """
    return isinstance(chart_id, str) and bool(CHART_ID_RE.match(chart_id))


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    page: str  # page slug: overview, trade, investment, transit, timeline
    family: str
    title_key: str
    row_kind: str
    indicators: tuple[str, ...] | None = None  # None: the rest (see ``excluded``)
    categories: tuple[str, ...] | None = None  # None: the rest (see ``excluded``)
    facet: str | None = None
    color: str = "source"
    connect: bool = False
    # for a ``rest`` chart: the indicators (or categories) other charts of its kind name
    excluded: frozenset[str] = frozenset()

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)

    def rows(self, tables: Tables) -> pd.DataFrame:
        """The rows of ``tables`` this chart shows (figures, or events for the timeline)."""
        f = tables.figures
        if self.row_kind == "events":
            return tables.events
        if self.row_kind == "progress":
            return _progress_rows(tables, self.indicators[0])
        if self.row_kind == "levels":
            named = f["indicator_id"].isin(self.indicators or self.excluded)
            return f[(named if self.indicators is not None else ~named) & (f["kind"] != "change")]
        ind = tables.indicators
        in_cats = ind["category"].isin(self.categories or self.excluded)
        chosen = ind.loc[in_cats if self.categories is not None else ~in_cats, "indicator_id"]
        return f[(f["kind"] == "change") & f["indicator_id"].isin(chosen)]

    def build(self, tables: Tables, lang: str, theme: str = "light") -> go.Figure:
        """The figure in ``lang`` and ``theme``."""
        title = self.title(lang)
        if self.family == "progress":
            return build_target_progress(tables, lang, theme, title, self.indicators[0])
        if self.family == "timeline":
            return build_timeline(tables, lang, theme, title)
        rows = self.rows(tables)
        if self.family == "time":
            fig = time_chart(rows, tables, lang, theme, title, color_by=self.color,
                             connect=self.connect)
        else:
            fig = bar_chart(rows, tables, lang, theme, title, facet=self.facet,
                            color_by=self.color)
        fig = with_checks(fig, rows, tables, lang, theme, self.family)
        if self.family == "time":
            keep_labels_inside(fig)  # again: the reference points widened the time axis
        return fig

    def describe(self, tables: Tables, lang: str) -> str:
        """Text alternative: the title, then one sentence per figure or event."""
        if self.row_kind == "events":
            return describe_events(happenings(tables.events), lang, self.title(lang))
        rows = self.rows(tables)
        checked = describe_checks(rows, tables, lang)
        return describe_figures(rows, tables, lang, self.title(lang)) + (
            f" {checked}" if checked else "")


def _progress_rows(tables: Tables, indicator_id: str) -> pd.DataFrame:
    prog = target_progress(tables, indicator_id)
    if prog is None:
        return tables.figures.iloc[0:0]
    ids = [prog["target"]["figure_id"]]
    if prog["measured"] is not None:
        ids.append(prog["measured"]["figure_id"])
    return tables.figures[tables.figures["figure_id"].isin(ids)]


def _names(value: object, where: str, key: str) -> tuple[str, ...] | None:
    if value == REST:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key} must be a list of ids or {REST!r}, got {value!r}")
    return tuple(value)


def _choice(entry: dict, key: str, options: tuple, where: str, default=None):
    value = entry.get(key, default)
    if value not in options and not (value is None and default is None):
        raise ValueError(f"{where}: {key} must be one of {list(options)}, got {value!r}")
    return value


def load(path: Path = CATALOGUE) -> dict[str, ChartSpec]:
    """The catalogue file as ``{chart_id: ChartSpec}`` in display order.

    Raises ``ValueError`` naming the file, the chart and the field for a malformed entry,
    a duplicate or malformed id, or a second ``rest`` chart of one kind.
    """
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of charts")
    raw: list[dict] = []
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: chart {n} ({entry.get('id') if isinstance(entry, dict) else entry!r})"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping")
        unknown = set(entry) - {"id", "page", "family", "title", "rows", "indicators",
                                "categories", "facet", "color", "connect"}
        if unknown:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
        if not is_chart_id(entry.get("id")):
            raise ValueError(f"{where}: id must be a lowercase slug")
        for key in ("page", "title"):
            if not isinstance(entry.get(key), str):
                raise ValueError(f"{where}: {key} is required")
        row_kind = _choice(entry, "rows", ROW_KINDS, where, "levels")
        spec = {
            "chart_id": entry["id"], "page": entry["page"], "title_key": entry["title"],
            "family": _choice(entry, "family", FAMILIES, where, "bars"), "row_kind": row_kind,
            "facet": _choice(entry, "facet", FACETS, where),
            "color": _choice(entry, "color", COLORS, where, "source"),
            "connect": bool(entry.get("connect", False)),
        }
        if row_kind in ("levels", "progress"):
            spec["indicators"] = _names(entry.get("indicators"), where, "indicators")
            if row_kind == "progress" and spec["indicators"] is None:
                raise ValueError(f"{where}: a progress chart names its indicator")
        if row_kind == "changes":
            spec["categories"] = _names(entry.get("categories"), where, "categories")
        raw.append(spec)
    ids = [s["chart_id"] for s in raw]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path}: duplicate chart ids {dupes}")
    for kind, key in (("levels", "indicators"), ("changes", "categories")):
        same = [s for s in raw if s["row_kind"] == kind]
        rest = [s for s in same if s.get(key) is None]
        if len(rest) > 1:
            raise ValueError(f"{path}: only one {kind} chart may take the {REST!r} of "
                             f"{key}, not {[s['chart_id'] for s in rest]}")
        for s in rest:
            s["excluded"] = frozenset(v for o in same if o.get(key) for v in o[key])
    return {s["chart_id"]: ChartSpec(**s) for s in raw}


CHARTS: dict[str, ChartSpec] = load()


def charts_on(page: str) -> list[ChartSpec]:
    """Charts of one page, in display order."""
    return [s for s in CHARTS.values() if s.page == page]
