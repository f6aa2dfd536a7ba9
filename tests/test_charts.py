"""Chart builders on the fixture frames, without Streamlit (charts/, charts/catalogue.yaml)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import catalogue
from charts.catalogue import CHARTS, charts_on
from charts.citations import sources_line
from charts.conflicts import conflicts
from charts.labels import indicator_label, period_text
from charts.progress import target_progress
from charts.style import CONFLICT_COLOR
from charts.timeline import build_timeline
from etl.schema import LANGS, TABLE_ORDER
from etl.store import Tables, load_tables
from i18n.fmt import format_value
from tests.fixtures import tables as fx


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Tables:
    return load_tables(fx.write_tables(tmp_path_factory.mktemp("tables")))


def marker_traces(fig: go.Figure) -> dict[str, go.Scatter | go.Bar]:
    """Traces that carry one figure each, by figure_id."""
    return {tr.customdata[0]: tr for tr in fig.data if tr.customdata is not None}


@pytest.mark.parametrize("chart_id", list(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_chart_builds(tables, chart_id, lang, theme):
    spec = CHARTS[chart_id]
    fig = spec.build(tables, lang, theme)
    assert isinstance(fig, go.Figure)
    assert spec.describe(tables, lang).startswith(spec.title(lang))
    fig.to_json()  # serialisable: what st.plotly_chart and the embeds send


def test_theme_changes_the_template(tables):
    light = CHARTS["trade-turnover"].build(tables, "en", "light")
    dark = CHARTS["trade-turnover"].build(tables, "en", "dark")
    assert light.layout.template.layout.paper_bgcolor != dark.layout.template.layout.paper_bgcolor


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_every_chart_survives_empty_tables(tables, chart_id):
    empty = Tables(**{name: getattr(tables, name).iloc[0:0] for name in TABLE_ORDER})
    fig = CHARTS[chart_id].build(empty, "en", "light")
    assert isinstance(fig, go.Figure)


def test_chart_ids_are_stable_slugs_and_pages_known():
    for chart_id, spec in CHARTS.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", chart_id)
        assert spec.chart_id == chart_id
        assert spec.page in {"overview", "trade", "investment", "transit", "timeline"}
    assert [s.chart_id for s in charts_on("trade")] == ["trade-turnover", "trade-split",
                                                         "trade-growth"]


def test_every_indicator_with_figures_has_a_chart(tables):
    shown = set()
    for spec in CHARTS.values():
        rows = spec.rows(tables)
        if "indicator_id" in rows.columns:
            shown |= set(rows["indicator_id"])
    assert set(tables.figures["indicator_id"]) <= shown


def test_conflicting_sources_are_both_drawn_and_flagged(tables):
    flagged = set(conflicts(tables.figures)["figure_id"])
    assert flagged == {"f-turnover-h1", "f-turnover-conflict"}
    fig = CHARTS["trade-turnover"].build(tables, "en", "light")
    traces = marker_traces(fig)
    for fid in flagged:
        assert traces[fid].marker.line.color == CONFLICT_COLOR
        assert traces[fid].text[0].startswith("⚠")
    assert not traces["f-turnover-prev"].text[0].startswith("⚠")
    # labels of the two disagreeing points do not sit on top of each other
    assert {traces[f].textposition.split()[0] for f in flagged} == {"top", "bottom"}


def test_same_value_from_two_sources_is_not_a_conflict(tables):
    f = tables.figures.copy()
    f.loc[f["figure_id"] == "f-turnover-conflict", ["value", "qualifier"]] = [331.7e6, "exact"]
    assert conflicts(f).empty


def test_kinds_are_encoded(tables):
    transit = marker_traces(CHARTS["transit-cargo"].build(tables, "en", "light"))
    assert transit["f-mc-2024"].marker.symbol == "circle"
    assert transit["f-transit-2029"].marker.symbol == "circle-open"  # forecast: hollow
    turnover = CHARTS["trade-turnover"].build(tables, "en", "light")
    dashed = [s for s in turnover.layout.shapes if s.line.dash == "dash"]
    assert dashed, "the target without deadline is a dashed line across the chart"
    assert any("no deadline" in (a.text or "") for a in turnover.layout.annotations)
    growth = marker_traces(CHARTS["trade-growth"].build(tables, "en", "light"))
    assert "vs H1 2024" in growth["f-growth-h1"].x[0]


def test_forecast_line_is_dotted(tables):
    fig = CHARTS["transit-cargo"].build(tables, "en", "light")
    segments = [tr for tr in fig.data if tr.mode == "lines" and tr.line.dash == "dot"]
    assert segments


def test_qualifier_and_rate_in_labels(tables):
    transit = marker_traces(CHARTS["transit-cargo"].build(tables, "az", "light"))
    assert transit["f-mc-2024"].text[0] == ">3,5 mln t"
    oil = marker_traces(CHARTS["energy-oil-transit"].build(tables, "en", "light"))
    assert oil["f-oil"].text[0] == "1.5M t/year"


def test_inferred_dates_are_marked(tables):
    traces = marker_traces(CHARTS["trade-turnover"].build(tables, "en", "light"))
    assert traces["f-turnover-prev"].text[0].endswith("*")  # inferred publication date
    assert not traces["f-turnover-h1"].text[0].endswith("*")
    line = sources_line(tables.figures[tables.figures["figure_id"] == "f-turnover-prev"],
                        tables, "en")
    assert "date inferred" in line


def test_period_is_drawn_as_a_segment(tables):
    fig = CHARTS["trade-turnover"].build(tables, "en", "light")
    h1 = marker_traces(fig)["f-turnover-h1"]
    segs = [tr for tr in fig.data if tr.mode == "lines" and tr.y[0] == 331.7e6]
    assert segs and pd.Timestamp(segs[0].x[0]) == pd.Timestamp("2025-01-01")
    assert pd.Timestamp(segs[0].x[1]) == pd.Timestamp("2025-06-30")
    assert pd.Timestamp("2025-01-01") < pd.Timestamp(h1.x[0]) < pd.Timestamp("2025-06-30")


def test_hover_carries_quote_and_english_and_is_escaped(tables):
    f = tables.figures.copy()
    f.loc[f["figure_id"] == "f-mc-2024", "quote"] = "<script>alert(1)</script>"
    fig = CHARTS["transit-cargo"].build(replace(tables, figures=f), "en", "light")
    hover = marker_traces(fig)["f-mc-2024"].hovertext[0]
    assert "&lt;script&gt;" in hover and "<script>" not in hover
    # issue 11: hover lines are wrapped at a readable width, so read across the line breaks
    assert "exceeded 3.5 million tonnes" in hover.replace("<br>", " ")


def test_derived_rows_show_formula(tables):
    f = tables.figures
    derived = f[f["figure_id"] == "f-turnover-h1"].assign(
        figure_id="d-1", kind="derived", formula="a / b", inputs="f-turnover-h1",
        period_start=pd.Timestamp("2024-01-01"), period_end=pd.Timestamp("2024-06-30"))
    view = replace(tables, figures=pd.concat([f, derived], ignore_index=True))
    trace = marker_traces(CHARTS["trade-turnover"].build(view, "en", "light"))["d-1"]
    assert trace.marker.symbol == "x"
    assert "(derived)" in trace.text[0]
    # issue 11: the formula reads in words (operators as a reader writes them, ids as values)
    assert "Formula: a ÷ b" in trace.hovertext[0].replace("<br>", " ")


def test_value_axis_ticks_are_locale_formatted(tables):
    fig = CHARTS["trade-turnover"].build(tables, "az", "light")
    ticks = list(fig.layout.yaxis.ticktext)
    assert any(t.endswith("mlrd $") for t in ticks)
    assert all("." not in t for t in ticks)


def test_target_progress_uses_a_yearly_figure(tables):
    prog = target_progress(tables)
    assert prog["target"]["figure_id"] == "f-target"
    assert prog["measured"]["figure_id"] == "f-turnover-prev"  # not the half-year figure
    assert prog["ratio"] == pytest.approx(598.47e6 / 1e9)
    assert prog["formula"] == "f-turnover-prev ÷ f-target"


def test_timeline_precision_and_inference(tables):
    fig = build_timeline(tables, "en", "light", today=dt.date(2026, 1, 15))
    by_id = marker_traces(fig)
    year = by_id["e-igc-founded"]  # year precision: a span over the whole year
    assert isinstance(year, go.Bar) and year.x[0] >= 365 * 86_400_000
    day = by_id["e-declaration-2004"]
    assert isinstance(day, go.Scatter) and day.marker.symbol == "circle"
    month = by_id["e-council-2024"]  # inferred month: hatched span
    assert isinstance(month, go.Bar) and month.marker.pattern.shape == "/"
    assert 28 * 86_400_000 <= month.x[0] <= 32 * 86_400_000
    assert by_id["f-transit-2029"].marker.symbol == "circle-open"  # the 2029 horizon
    today = [s for s in fig.layout.shapes if pd.Timestamp(s.x0) == pd.Timestamp("2026-01-15")]
    assert today


def test_timeline_titles_follow_language(tables):
    az = marker_traces(build_timeline(tables, "az", "light"))["e-igc-founded"]
    assert "Hökumətlərarası Komissiya yaradılıb" in az.hovertext[0]


def test_describe_lists_every_figure_formatted(tables):
    text = CHARTS["investment-stocks"].describe(tables, "az")
    for _, r in CHARTS["investment-stocks"].rows(tables).iterrows():
        assert format_value(r["value"], r["unit"], "az", r["qualifier"]) in text


def test_changes_never_share_an_axis_with_levels(tables):
    for chart_id in ("trade-turnover", "trade-split", "investment-stocks", "business-companies",
                     "transit-cargo", "energy-oil-transit", "diplomacy-people"):
        rows = CHARTS[chart_id].rows(tables)
        assert "change" not in set(rows["kind"]), chart_id
    changes = set(tables.figures.loc[tables.figures["kind"] == "change", "figure_id"])
    shown = set(CHARTS["trade-growth"].rows(tables)["figure_id"]) | set(
        CHARTS["transit-growth"].rows(tables)["figure_id"])
    assert changes <= shown


def test_labels_at_the_ends_of_the_time_axis_grow_inwards(tables):
    """A centred label on the first or last point is cut off in a 360 px embed."""
    fig = CHARTS["transit-cargo"].build(tables, "en", "light")
    traces = marker_traces(fig)
    first = min(traces.values(), key=lambda tr: pd.Timestamp(tr.x[0]))
    last = max(traces.values(), key=lambda tr: pd.Timestamp(tr.x[0]))
    assert first.textposition.endswith("right") and last.textposition.endswith("left")
    assert first.cliponaxis is False


@pytest.mark.parametrize("lang", LANGS)
def test_bar_categories_are_short_horizontal_periods_and_the_legend_sits_below(tables, lang):
    fig = CHARTS["trade-split"].build(tables, lang, "light")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert bars
    for tr in bars:
        row = tables.figures.set_index("figure_id").loc[tr.customdata[0]]
        row["figure_id"] = tr.customdata[0]
        category = tr.x[0]
        # the legend names the indicator; the tick only says the period, wrapped
        assert indicator_label(tables, row["indicator_id"], lang) not in category
        assert category.replace("<br>", " ").replace("– ", "–") == period_text(row, tables,
                                                                                  lang)
        assert all(len(line) <= 12 for line in category.split("<br>"))
    assert fig.layout.xaxis.tickangle == 0
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0


def test_unit_facets_are_stacked_not_squeezed_side_by_side(tables):
    assert len(set(CHARTS["diplomacy-people"].rows(tables)["unit"])) >= 2
    fig = CHARTS["diplomacy-people"].build(tables, "en", "light")
    axes = [fig.layout[k] for k in ("xaxis", "xaxis2", "yaxis", "yaxis2")]
    assert axes[0].domain == axes[1].domain == (0, 1)
    assert axes[2].domain[0] > axes[3].domain[1]  # first unit above the second


def test_reporting_sides_share_one_value_axis(tables):
    """Kazakh-side and Azerbaijani-side panels (same unit) read on one scale; only the first
    panel carries tick labels, so they never run into the neighbouring panel."""
    rows = CHARTS["trade-split"].rows(tables)
    assert rows["reporting_side"].nunique() == 2 and rows["unit"].nunique() == 1
    fig = CHARTS["trade-split"].build(tables, "en", "light")
    assert fig.layout.yaxis2.matches == "y"
    assert fig.layout.yaxis2.showticklabels is False
    assert fig.layout.yaxis.range[1] >= rows["value"].max()
    assert fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0]  # side by side, apart


def test_other_charts_are_derived_from_the_catalogue(tmp_path, tables):
    """A chart naming an indicator takes it out of the 'rest' chart, with no list kept by hand:
    every figure's level rows land on exactly one chart."""
    levels = [s for s in CHARTS.values() if s.row_kind == "levels"]
    owners: dict[str, list[str]] = {}
    for spec in levels:
        for fid in spec.rows(tables)["figure_id"]:
            owners.setdefault(fid, []).append(spec.chart_id)
    assert {f: c for f, c in owners.items() if len(c) > 1} == {}
    rest_ids = set(CHARTS["diplomacy-people"].rows(tables)["indicator_id"])
    moved = sorted(rest_ids)[0]
    text = (catalogue.CATALOGUE.read_text(encoding="utf-8")
            + f"- id: new-chart\n  page: timeline\n  family: bars\n  title: chart_timeline\n"
              f"  rows: levels\n  indicators: [{moved}]\n  color: indicator\n")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    new = catalogue.load(path)
    assert moved not in set(new["diplomacy-people"].rows(tables)["indicator_id"])
    assert set(new["new-chart"].rows(tables)["indicator_id"]) == {moved}


@pytest.mark.parametrize(
    ("entry", "message"),
    [("- id: Bad/Id\n  page: x\n  title: t\n", "lowercase slug"),
     ("- id: a\n  page: x\n  title: t\n  family: pie\n", "family must be one of"),
     ("- id: a\n  page: x\n  title: t\n  facet: colour\n", "facet must be one of"),
     ("- id: a\n  page: x\n  title: t\n  indicators: rest\n"
      "- id: b\n  page: x\n  title: t\n  indicators: rest\n", "only one levels chart"),
     ("- id: a\n  page: x\n  title: t\n  indicators: [x]\n"
      "- id: a\n  page: x\n  title: t\n  indicators: [y]\n", "duplicate chart ids"),
     ("- id: a\n  page: x\n  title: t\n  colour: source\n", "unknown fields")],
)
def test_catalogue_errors_name_file_chart_and_field(tmp_path, entry, message):
    path = tmp_path / "catalogue.yaml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        catalogue.load(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("spec", list(CHARTS.values()), ids=list(CHARTS))
def test_every_catalogue_title_is_in_every_language(spec):
    assert all(spec.title(lang) for lang in LANGS)
