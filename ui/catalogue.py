"""Every chart of the dashboard, in display order, with a stable id.

A ``ChartSpec`` bundles the pure builder, the rows it shows (for source lines, tests and
embeds) and a text alternative for screen readers. Pages, embeds and tests look charts up here
by ``chart_id``; ids are part of embed URLs, so never rename one.

Example:
    >>> list(CHARTS)[:2]
    ['overview-target-progress', 'trade-turnover']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ui import charts
from ui.data import Tables
from ui.i18n import t


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    page: str  # page slug: overview, trade, investment, transit, timeline
    title_key: str
    build: Callable[..., go.Figure]  # (tables, lang, theme="light") -> go.Figure
    rows: Callable[[Tables], pd.DataFrame]
    describe: Callable[[Tables, str], str]

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)


def _progress_rows(tables: Tables) -> pd.DataFrame:
    prog = charts.target_progress(tables)
    if prog is None:
        return tables.figures.iloc[0:0]
    ids = [prog["target"]["figure_id"]]
    if prog["measured"] is not None:
        ids.append(prog["measured"]["figure_id"])
    return tables.figures[tables.figures["figure_id"].isin(ids)]


def _describe_figs(rows_fn, title_key: str):
    def describe(tables: Tables, lang: str) -> str:
        return charts.describe_figures(rows_fn(tables), tables, lang, t(title_key, lang))
    return describe


def _timeline_rows(tables: Tables) -> pd.DataFrame:
    return tables.events


def _describe_timeline(tables: Tables, lang: str) -> str:
    return charts.describe_events(tables.events, lang, t("chart_timeline", lang))


def _spec(chart_id: str, page: str, title_key: str, build, rows) -> ChartSpec:
    return ChartSpec(chart_id, page, title_key, build, rows, _describe_figs(rows, title_key))


_SPECS = [
    _spec("overview-target-progress", "overview", "chart_target_progress",
          charts.build_target_progress, _progress_rows),
    _spec("trade-turnover", "trade", "chart_trade_turnover", charts.build_trade_turnover,
          charts.turnover_rows),
    _spec("trade-split", "trade", "chart_trade_split", charts.build_trade_split,
          charts.trade_split_rows),
    _spec("trade-growth", "trade", "chart_trade_growth", charts.build_trade_growth,
          charts.trade_growth_rows),
    _spec("investment-stocks", "investment", "chart_investment_stocks", charts.build_investment,
          charts.investment_rows),
    _spec("business-companies", "investment", "chart_business_companies",
          charts.build_companies, charts.companies_rows),
    _spec("transit-cargo", "transit", "chart_transit_cargo", charts.build_transit,
          charts.transit_rows),
    _spec("transit-growth", "transit", "chart_transit_growth", charts.build_other_growth,
          charts.other_growth_rows),
    _spec("energy-oil-transit", "transit", "chart_energy_oil", charts.build_energy,
          charts.energy_rows),
    ChartSpec("timeline-events", "timeline", "chart_timeline", charts.build_timeline,
              _timeline_rows, _describe_timeline),
    _spec("diplomacy-people", "timeline", "chart_diplomacy_people", charts.build_other,
          charts.other_rows),
]

CHARTS: dict[str, ChartSpec] = {s.chart_id: s for s in _SPECS}


def charts_on(page: str) -> list[ChartSpec]:
    """Charts of one page, in display order."""
    return [s for s in CHARTS.values() if s.page == page]
