"""Figures are built once per (chart, language, theme, build) and shared by every session
(ui/figures.py, issue 13): rebuilding them on every script run was most of a page view's
server time. Counted across AppTest sessions, the way readers would meet them."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from charts.catalogue import CHARTS, ChartSpec
from charts.embed import embed_figure
from etl.schema import LANGS
from etl.store import load_tables
from tests.fixtures import tables as fx
from tests.fixtures.app import run_page
from tests.fixtures.charts import figure_specs
from ui import figures

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return fx.write_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture
def builds(monkeypatch) -> Counter:
    """Calls of ``ChartSpec.build`` by (chart, language, theme), from an empty cache."""
    st.cache_resource.clear()
    calls: Counter = Counter()
    build = ChartSpec.build

    def counting(self, tables, lang, theme="light"):
        calls[(self.chart_id, lang, theme)] += 1
        return build(self, tables, lang, theme)

    monkeypatch.setattr(ChartSpec, "build", counting)
    yield calls
    st.cache_resource.clear()


def test_every_figure_is_built_once_across_sessions(tables_dir, builds, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    pages = list(dict.fromkeys(spec.page for spec in CHARTS.values()))
    for _session in range(2):
        for page in pages:
            for lang in LANGS:
                run_page(page, lang)
        # the live embed draws with the same component: it reuses the page's figure
        run_page("overview", LANGS[0], embed="true", chart="trade-turnover")
    wanted = {(spec.chart_id, lang, "light") for spec in CHARTS.values() for lang in LANGS}
    assert set(builds) == wanted
    assert [k for k, n in builds.items() if n != 1] == []


def test_a_new_build_or_theme_builds_again_and_tables_without_a_build_are_not_cached(
        tables_dir, builds):
    tables = load_tables(tables_dir)
    assert tables.build_id, "tables read from a build know their build"
    spec = CHARTS["trade-turnover"]
    first = figures.figure(spec, tables, "en", "light")
    assert figures.figure(spec, tables, "en", "light") is first  # shared, not rebuilt
    assert figures.figure(spec, dataclasses.replace(tables, build_id="next"), "en",
                          "light") is not first
    figures.figure(spec, tables, "en", "dark")
    unbuilt = dataclasses.replace(tables, build_id="")
    figures.figure(spec, unbuilt, "en", "light")
    figures.figure(spec, unbuilt, "en", "light")
    assert builds == {("trade-turnover", "en", "light"): 4, ("trade-turnover", "en", "dark"): 1}
    assert figures.description(spec, tables, "en") == spec.describe(tables, "en")


def test_the_shared_figure_is_the_one_a_reader_saw_before(tables_dir):
    """Nothing a reader sees changes: the cached figure is the embed form of a fresh build."""
    st.cache_resource.clear()
    tables = load_tables(tables_dir)
    for spec in CHARTS.values():
        fresh = embed_figure(spec.build(tables, "en", "dark")).to_dict()
        assert figures.figure(spec, tables, "en", "dark").to_dict() == fresh, spec.chart_id


def test_a_filtered_timeline_is_drawn_from_its_selection_not_the_shared_figure(tables_dir,
                                                                               monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    st.cache_resource.clear()
    kinds = sorted(set(load_tables(tables_dir).events["kind"]))
    assert len(kinds) > 1, "the fixture has events of several kinds"
    specs = {}
    for ev in (None, kinds[0]):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = "en"
        if ev is not None:
            at.query_params["ev"] = ev
        at.switch_page("pages/timeline.py")
        at.run()
        assert not at.exception
        specs[ev] = figure_specs(at)[0]
    assert specs[None] != specs[kinds[0]]
