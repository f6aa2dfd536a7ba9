"""Every page through Streamlit's AppTest, in every language, on the fixture tables.

Expected strings are computed from the tables and i18n.fmt, never typed in.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from charts.headlines import headline_rows
from charts.labels import figure_text, period_text
from charts.progress import target_progress
from etl.schema import LANGS
from etl.store import load_tables
from i18n.fmt import format_ratio
from i18n.text import REGISTER_LANG, t
from tests.fixtures import tables as fx
from tests.fixtures.app import cards_of
from tests.fixtures.charts import figure_specs
from ui.components import plain
from ui.state import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return fx.write_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture
def app(tables_dir, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))

    def run(page: str = "overview", **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        at.run()
        return at

    return run


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                 "metric"):
        for el in getattr(at, kind):
            parts.append(str(el.value))
            if kind == "metric":
                parts.append(str(el.label))
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p for p in PAGES], ids=lambda p: p.slug)
def test_page_runs_in_every_language(app, page, lang):
    at = app(page.slug, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    expected_title = t("app_title" if page.slug == "overview" else page.title_key, lang)
    assert at.title[0].value == expected_title


@pytest.mark.parametrize("lang", LANGS)
def test_overview_cards_show_figures_formatted_for_the_locale(app, tables_dir, lang):
    tables = load_tables(tables_dir)
    at = app("overview", lang=lang)
    cards = cards_of(at)
    heads = headline_rows(tables.figures, order=list(tables.indicators["indicator_id"]))
    assert len(cards) == len(heads) > 3
    f = tables.figures
    for fid in ("f-companies-2025", "f-mc-2024", "f-az-imports"):
        row = f[f["figure_id"] == fid].iloc[0]
        assert any(figure_text(row, lang) in card[1] for card in cards), fid
    # in the indicators' order, each card first naming its indicator
    labels = tables.indicators.set_index("indicator_id")[f"label_{lang}"]
    assert [card[0] for card in cards] == [labels[i] for i in heads["indicator_id"]]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_states_what_progress_is_measured_against(app, tables_dir, lang):
    tables = load_tables(tables_dir)
    prog = target_progress(tables)
    text = all_text(app("overview", lang=lang))
    assert plain(format_ratio(prog["ratio"], lang)) in text
    # issue 11: the formula reads in words (value and period of the measured figure), no ids
    assert plain(figure_text(prog["measured"], lang)) in text
    assert plain(period_text(prog["measured"], tables, lang)) in text
    assert plain(prog["measured"]["figure_id"]) not in text
    assert plain(figure_text(prog["target"], lang)) in text


@pytest.mark.parametrize("lang", LANGS)
def test_trade_page_shows_sources_conflicts_and_caveats(app, tables_dir, lang):
    tables = load_tables(tables_dir)
    at = app("trade", lang=lang)
    text = all_text(at)
    assert plain(t("sources_label", lang)) in text
    assert at.warning, "the disagreeing turnover figures are flagged"
    prev = tables.figures.set_index("figure_id").loc["f-turnover-prev"]
    note = prev["note" if lang == REGISTER_LANG else f"note_{lang}"]
    other = prev["note" if lang != REGISTER_LANG else f"note_{LANGS[0]}"]
    assert plain(note) in text
    assert plain(other) not in text
    f = tables.figures
    h1 = f[f["figure_id"] == "f-turnover-h1"].iloc[0]
    assert plain(figure_text(h1, lang)) in text  # in the text alternative


def test_language_param_switches_everything(app):
    titles = {lang: app("trade", lang=lang).title[0].value for lang in LANGS}
    assert len(set(titles.values())) == len(LANGS)
    assert app("trade").title[0].value == titles[LANGS[0]]  # default is Azerbaijani


def test_timeline_filter_comes_from_the_url(app):
    at = app("timeline", lang="en", ev=["meeting", "agreement"])
    assert sorted(at.multiselect[0].value) == ["agreement", "meeting"]
    assert sorted(at.query_params["ev"]) == ["agreement", "meeting"]


def test_data_page_filters_and_downloads(app, tables_dir):
    at = app("data", lang="en", kind="target")
    assert at.multiselect(key="kind").value == ["target"]
    df = at.dataframe[0].value
    # issue 11: the reader's table shows no register ids; the quote identifies the row
    tables = load_tables(tables_dir)
    target = tables.figures.set_index("figure_id").loc["f-target"]
    assert len(df) == 1 and df[t("col_quote", "en")].iloc[0] == target["quote"]
    assert not any(c.endswith("_id") for c in df.columns)
    assert t("col_note", "en") in df.columns


def test_sources_page_highlights_quotes(app, tables_dir):
    tables = load_tables(tables_dir)
    at = app("sources", lang="en", article="dayaz-mambetali")
    body = "".join(h.proto.body for h in at.get("html"))
    assert "<mark" in body
    quote = tables.figures.set_index("figure_id").loc["f-turnover-h1", "quote"]
    assert f">{quote}</mark>" in body


def test_missing_tables_give_the_build_command(monkeypatch, tmp_path):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tmp_path / "nowhere"))
    for lang in ("az", "en"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert t("tables_missing_title", lang) in at.error[0].value
        assert "python -m etl build" in at.error[0].value


def test_unreadable_table_gives_a_message(monkeypatch, tmp_path):
    d = fx.write_tables(tmp_path / "tables")
    (d / "figures.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(d))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/trade.py")
    at.run()
    assert not at.exception
    assert "python -m etl build" in at.error[0].value
    caption = "".join(c.value for c in at.caption)
    assert plain("figures.parquet could not be read") in caption
    assert plain(str(tmp_path)) not in caption  # no server paths shown to readers


def test_chart_param_hands_over_to_the_live_embed(app):
    at = app("overview", lang="en", chart="trade-turnover", embed="true")
    assert not at.exception
    assert not cards_of(at)  # no overview cards: only the embed ran
    assert not at.title
    unknown = app("overview", lang="en", chart="../../etc/passwd")
    assert not unknown.exception
    assert not cards_of(unknown)


def test_live_embed_reads_the_tables_dir_from_the_environment(monkeypatch, tmp_path):
    """The live embed shows the tables of $AZKZ_TABLES_DIR, not the repository's."""
    sources = fx.sources_frame()
    sources.loc[sources["source_id"] == "dayaz-mambetali", "outlet"] = "Outlet-in-temp-dir"
    d = fx.write_tables(tmp_path / "tables", {"sources": sources})
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(d))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["chart"] = "trade-turnover"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert not cards_of(at)  # the embed, not the overview
    captions = "".join(c.value for c in at.caption)
    assert plain("Outlet-in-temp-dir") in captions
    spec = figure_specs(at)[0]
    assert "Outlet-in-temp-dir" in spec  # the hover text names the source too


@pytest.mark.parametrize("lang", LANGS)
def test_live_embed_and_sources_page_show_caveats_in_the_page_language(app, tables_dir, lang):
    tables = load_tables(tables_dir)
    col = "note" if lang == REGISTER_LANG else f"note_{lang}"
    other = next(c for c in ("note", *(f"note_{x}" for x in LANGS if x != REGISTER_LANG))
                 if c != col)
    mc = tables.figures.set_index("figure_id").loc["f-mc-2024"]
    at = app("overview", lang=lang, chart="transit-cargo", embed="true")
    assert not at.exception
    captions = "".join(c.value for c in at.caption)
    assert plain(mc[col]) in captions and plain(mc[other]) not in captions
    spec = json.dumps(json.loads(figure_specs(at)[0]), ensure_ascii=False)
    # the hover text too (issue 11: wrapped into lines, so compare across line breaks)
    assert " ".join(mc[col].split()[:3]) in spec.replace("<br>", " ")
    assert html.escape(" ".join(mc[other].split()[:3])) not in spec

    src = tables.sources.set_index("source_id").loc["press-service-2024"]
    at = app("sources", lang=lang, article="press-service-2024")
    body = "".join(h.proto.body for h in at.get("html"))
    for field in ("note", "published_note"):
        shown = src[field if lang == REGISTER_LANG else f"{field}_{lang}"]
        hidden = src[field if lang != REGISTER_LANG else f"{field}_{LANGS[0]}"]
        assert html.escape(shown) in body and html.escape(hidden) not in body


def _english_only_periods(tables, lang: str) -> set[str]:
    """period_label values that differ from their rendering in ``lang`` ('H1 2025', ...)."""
    return {r["period_label"] for _, r in tables.figures.iterrows()
            if r["period_label"] not in period_text(r, tables, lang)}


@pytest.mark.parametrize("lang", [x for x in LANGS if x != REGISTER_LANG])
@pytest.mark.parametrize("page", ["overview", "trade", "investment", "transit", "data",
                                  "sources"])
def test_periods_read_in_the_page_language(app, tables_dir, page, lang):
    tables = load_tables(tables_dir)
    english = _english_only_periods(tables, lang)
    assert {"H1 2025", "Jan–Jul 2025"} <= english, "the fixture has English-only labels"
    at = app(page, lang=lang, article="dayaz-mambetali")
    assert not at.exception
    text = all_text(at)
    for frame in at.dataframe:  # less the column that may be English on purpose
        text += "\n" + frame.value.drop(columns=[t("col_quote_rendering", lang)]).to_csv()
    assert not [label for label in english if label in text]
    h1 = tables.figures.set_index("figure_id").loc["f-exports-h1"]
    h1["figure_id"] = "f-exports-h1"
    if page in ("trade", "data", "sources"):
        assert plain(period_text(h1, tables, lang)) in text or \
            period_text(h1, tables, lang) in text


def test_dark_option_repaints_the_page_to_match_the_charts(app):
    from charts.style import theme_colors

    bg, fg = theme_colors("dark")
    dark = app("trade", lang="en", theme="dark")
    styles = "".join(h.proto.body for h in dark.get("html"))
    assert f"background-color: {bg}" in styles and f"color: {fg}" in styles
    light = app("trade", lang="en")
    assert bg not in "".join(h.proto.body for h in light.get("html"))
    embed = app("overview", lang="en", chart="trade-turnover", theme="dark")
    assert f"background-color: {bg}" in "".join(h.proto.body for h in embed.get("html"))
