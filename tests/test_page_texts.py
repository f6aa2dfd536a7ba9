"""What the pages say around their charts is made once per build and shared (issue 13: server
CPU per page view): the sources line, reported statistics, conflict warning, caveats, CSV and
cite line of every chart, the Overview's cards, the Claims page's cards, the timeline list,
the Sources page's article and the Data page's table. Their builders are counted across two
AppTest sessions per page and language, as readers would meet them; the second session must
show exactly what the first showed (same elements, same text, same order)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from charts.catalogue import CHARTS
from etl.schema import LANGS
from etl.store import load_tables
from tests.fixtures import tables as fx
from tests.fixtures.app import run_page
from ui import claims, components

PAGES = ("overview", "trade", "investment", "transit", "timeline", "claims", "sources", "data")
SESSION_LANGS = (LANGS[0], "en")


@pytest.fixture(scope="module")
def tables_dir() -> Path:
    """The committed tables: unlike the fixture's, they hold checked claims."""
    return fx.ROOT / "data" / "tables"


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Calls of the pages' text builders by (builder, key), from an empty cache."""
    st.cache_resource.clear()
    counted: Counter = Counter()

    def count(module, name, key):
        real = getattr(module, name)

        def counting(*args, **kwargs):
            counted[(name, *key(*args, **kwargs))] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)

    count(components, "chart_notes_of", lambda spec, tables, lang, theme, rows, embed, *_: (
        spec.chart_id, lang, theme, embed))
    count(components, "card_of", lambda row, tables, lang: (row["figure_id"], lang))
    count(claims, "block_of", lambda claim, tables, lang: (claim.figure_id, lang))
    count(components, "timeline_lines", lambda events, tables, lang: (lang,))
    count(components, "figures_view", lambda view, tables, lang: (lang,))
    count(components, "article_text_html", lambda src, figs, evs, tables, lang: (
        src["sha256"], lang))
    yield counted
    st.cache_resource.clear()


def shown(at: AppTest) -> list[tuple[str, str]]:
    """Every text element of a run in order: (kind, text)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                 "metric", "code", "badge", "html"):
        for el in getattr(at, kind, []):
            out.append((kind, str(getattr(el, "value", "") or getattr(el, "body", ""))))
    return out


def test_page_texts_are_made_once_per_build_and_shown_alike(tables_dir, calls, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    seen: dict[tuple[str, str], list] = {}
    for session in range(2):
        for page in PAGES:
            for lang in SESSION_LANGS:
                texts = shown(run_page(page, lang))
                if session == 0:
                    seen[(page, lang)] = texts
                else:  # the shared words are the very ones the first reader saw
                    assert texts == seen[(page, lang)], (page, lang)
        run_page("overview", "en", embed="true", chart="trade-turnover")
    tables = load_tables(tables_dir)
    charts = {(spec.chart_id, lang, "light", False) for spec in CHARTS.values()
              for lang in SESSION_LANGS}
    assert {k[1:] for k in calls if k[0] == "chart_notes_of"} == charts | {
        ("trade-turnover", "en", "light", True)}
    checked = set(tables.checks["figure_id"]) & set(tables.figures["figure_id"])
    assert checked, "the committed tables hold checked claims"
    assert {k[1] for k in calls if k[0] == "block_of"} == checked
    assert {k[0] for k in calls} == {"chart_notes_of", "card_of", "block_of", "timeline_lines",
                                     "figures_view", "article_text_html"}
    assert [k for k, n in calls.items() if n != 1] == [], "each made once, for both sessions"


def test_a_new_build_makes_them_again_and_unbuilt_tables_are_never_shared(tables_dir, calls):
    tables = load_tables(tables_dir)
    spec = CHARTS["trade-turnover"]
    first = components.chart_notes(spec, tables, "en", "light", None, False, None)
    assert components.chart_notes(spec, tables, "en", "light", None, False, None) is first
    assert first.sources and first.csv and first.cite, "a chart of the fixture has them all"
    other = dataclasses.replace(tables, build_id="next")
    assert components.chart_notes(spec, other, "en", "light", None, False, None) == first
    unbuilt = dataclasses.replace(tables, build_id="")
    components.chart_notes(spec, unbuilt, "en", "light", None, False, None)
    components.chart_notes(spec, unbuilt, "en", "light", None, False, None)
    assert calls[("chart_notes_of", "trade-turnover", "en", "light", False)] == 4
