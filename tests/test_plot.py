"""The dashboard draws its charts with the partial Plotly.js bundle (ui/plot.py, issue 13), not
with ``st.plotly_chart`` (Streamlit's 4.7 MB Plotly component), and nothing a reader sees
changes: the same figure, the selection behaviour ``on_select="rerun"`` gave, its height."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st

from charts.bundle import PLOTLY_JS, SERVED_ENV, plotly_path
from charts.catalogue import CHARTS, charts_on
from charts.embed import embed_figure, iframe_snippets
from etl.schema import LANGS
from etl.store import load_tables
from tests.fixtures import tables as fx
from tests.fixtures.app import run_page
from tests.fixtures.charts import chart_data
from ui import figures, plot
from ui.state import PAGES


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return fx.write_tables(tmp_path_factory.mktemp("tables"))


def pruned(value):
    """``value`` without empty objects (and None), recursively."""
    if isinstance(value, dict):
        out = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ({}, None)}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


@pytest.mark.parametrize("page", [p.slug for p in PAGES])
def test_every_page_draws_its_charts_with_the_partial_bundle(tables_dir, monkeypatch, page):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    tables = load_tables(tables_dir)
    lang = LANGS[-1]
    at = run_page(page, lang)
    assert len(at.get("plotly_chart")) == 0
    drawn = chart_data(at)
    specs = charts_on(page)
    assert len(drawn) == len(specs), page
    for data, spec in zip(drawn, specs, strict=True):
        assert data["src"] == plotly_path() and PLOTLY_JS.name != data["src"]
        # the page's figure, the one the static embed draws, with the selection defaults
        want = figures.drawing_of(embed_figure(spec.build(tables, lang, "light")), lang)
        assert data["figure"] == want.figure_json and data["digest"] == want.digest
        assert data["height"] == json.loads(data["figure"])["layout"]["height"]
        # the chart shows at once as its SVG picture (a phone's and a wide one), until
        # Plotly has drawn
        assert data["picture"] == want.picture
        assert data["picture"].startswith(('<div class="azkz-pic-narrow"><svg', "<svg"))
        assert data["config"]["displaylogo"] is False
        assert "lasso2d" in data["config"]["modeBarButtonsToRemove"]


def test_without_a_served_bundle_the_dashboard_falls_back_to_plotly_chart(tables_dir,
                                                                          monkeypatch):
    """A bare ``streamlit run dashboard.py`` publishes no bundle: the same figures are drawn by
    ``st.plotly_chart`` with the same selection behaviour."""
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    monkeypatch.delenv(SERVED_ENV)
    tables = load_tables(tables_dir)
    at = run_page("trade", "en")
    assert chart_data(at) == []
    drawn = at.get("plotly_chart")
    assert len(drawn) == len(charts_on("trade"))
    for node, spec in zip(drawn, charts_on("trade"), strict=True):
        want = figures.drawing_of(embed_figure(spec.build(tables, "en", "light")))
        # Streamlit drops empty objects ("title": {}) from the spec; nothing else differs
        assert pruned(json.loads(node.proto.spec)) == pruned(json.loads(want.figure_json))
        assert list(node.proto.selection_mode) == [0]  # points only, as before


def test_the_live_embed_draws_with_the_component_without_a_toolbar(tables_dir, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    at = run_page("overview", "en", embed="true", chart="trade-turnover")
    (data,) = chart_data(at)
    assert data["config"]["displayModeBar"] is False and data["src"] == plotly_path()


def test_the_browser_form_keeps_the_figure_and_adds_only_unset_selection_defaults(tables_dir):
    tables = load_tables(tables_dir)
    fig = embed_figure(CHARTS["trade-turnover"].build(tables, "az", "dark"))
    drawing = figures.drawing_of(fig)
    plain = json.loads(drawing.figure_json)
    assert plain["data"] == json.loads(fig.to_json())["data"]
    for name, value in figures.SELECTION_LAYOUT.items():
        assert plain["layout"][name] == value
    assert drawing.height == fig.layout.height
    # a figure's own choice wins over the defaults; a different figure, a different digest
    fig2 = type(fig)(fig).update_layout(hovermode="x unified")
    other = figures.drawing_of(fig2)
    assert json.loads(other.figure_json)["layout"]["hovermode"] == "x unified"
    assert other.digest != drawing.digest
    assert fig.layout.hovermode != "x unified", "the shared figure is not changed"
    assert figures.drawing_of(fig) == drawing, "deterministic"


def test_the_browser_form_is_serialised_once_per_build(tables_dir, monkeypatch):
    st.cache_resource.clear()
    calls = []
    real = figures.drawing_of

    def counting(fig, lang="en"):
        calls.append(1)
        return real(fig, lang)

    monkeypatch.setattr(figures, "drawing_of", counting)
    tables = load_tables(tables_dir)
    spec = CHARTS["trade-turnover"]
    first = figures.drawing(spec, tables, "ru", "light")
    assert figures.drawing(spec, tables, "ru", "light") is first
    figures.drawing(spec, tables, "ru", "dark")
    assert len(calls) == 2
    st.cache_resource.clear()


def test_the_component_loads_only_the_bundle_it_is_given():
    js = plot._JS
    assert "data.src" in js and "cdn" not in js.lower() and "http" not in js
    # a selection goes back to Python as the points' customdata, a deselection as none
    assert 'setStateValue("selection", ids(' in js and 'setStateValue("selection", [])' in js
    # one script per page, shared by its charts, never a second copy of the bundle
    assert js.count('createElement("script")') == 1 and "window.__azkzPlotly" in js
    assert "script[data-azkz-plotly]" in js


def test_embed_snippets_are_written_when_their_expander_is_opened(tables_dir, monkeypatch):
    """Closed, a chart's "Embed" expander holds nothing, so a page loads no code block (and not
    Streamlit's 1.5 MB code highlighter); opened, it shows the chart's two snippets."""
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    at = run_page("trade", "en")
    assert len(at.code) == 0
    spec = charts_on("trade")[0]
    at.session_state[f"embed-{spec.chart_id}"] = True
    at.run()
    assert not at.exception
    snippets = iframe_snippets(spec.chart_id, "en")
    assert [c.value for c in at.code] == [snippets["static"], snippets["live"]]
