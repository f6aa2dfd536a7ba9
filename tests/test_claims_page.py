"""The Claims page and the overview's claims card through Streamlit's AppTest, on the committed
tables, in every language: one card per check with its verdict badge, filters kept in the URL,
the card's counts from the checks table. Expected text is computed, never typed in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from charts.catalogue import CHARTS
from charts.checks import (
    claim_embed_id,
    claims,
    references_line,
    summary_text,
    verdict_text,
)
from charts.labels import indicator_label
from etl.schema import LANGS, VERDICTS
from etl.store import load_tables
from i18n.text import t
from tests.conftest import ROOT
from ui.claims import VERDICT_COLOR
from ui.components import plain

APP = str(ROOT / "dashboard.py")
TABLES = ROOT / "data" / "tables"


@pytest.fixture(scope="module")
def tables():
    return load_tables(TABLES)


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(TABLES))

    def run(page: str, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def badges(at: AppTest) -> list[str]:
    """The verdict badges on the page, as their Markdown (':orange-badge[↓ understates]')."""
    return [m.value for m in at.markdown if m.value.startswith(":") and "-badge[" in m.value]


def text(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "title", "info")
                     for e in getattr(at, kind))


@pytest.mark.parametrize("lang", LANGS)
def test_claims_page_lists_every_check_with_its_verdict(app, tables, lang):
    at = app("claims", lang=lang)
    assert at.title[0].value == t("page_claims", lang)
    expected = [f":{VERDICT_COLOR[c.verdict]}-badge[{verdict_text(c.verdict, lang)}]"
                for c in claims(tables)]
    assert badges(at) == expected
    assert len(expected) == len(tables.checks)
    page = text(at)
    assert plain(t("claims_count", lang, shown=len(tables.checks),
                   total=len(tables.checks))) in page
    # each quote, highlighted, links to its article on the Sources page, in the reader's
    # language
    links = [m.value for m in at.markdown if m.value.startswith("[:orange-background[«")]
    assert links == [f"[:orange-background[«{plain(c.figure['quote'])}»]]"
                     f"(sources?article={c.figure['source_id']}&lang={lang})"
                     for c in claims(tables)]


def test_each_claim_offers_its_fact_check_card(app, tables):
    at = app("claims", lang="ru")
    # closed, the expanders hold nothing (no code block: Streamlit's code highlighter is
    # loaded only when a reader opens one); opened, each shows its card's snippet
    assert len(at.code) == 0
    for claim in claims(tables):
        at.session_state[f"claim-{claim.figure_id}-embed"] = True
    at.run()
    assert not at.exception
    codes = [c.value for c in at.code]
    assert len(codes) == len(tables.checks)
    for code, claim in zip(codes, claims(tables), strict=True):
        assert f"/embed/ru/{claim_embed_id(claim.figure_id)}\"" in code
        assert "/embed/host.js" in code


def test_claims_page_filters_live_in_the_url(app, tables):
    at = app("claims", lang="en", verdict="understates")
    want = claims(tables, verdicts=["understates"])
    assert len(badges(at)) == len(want) > 0
    assert at.multiselect[1].value == ["understates"]
    at = app("claims", lang="en", indicator="middle_corridor_volume")
    (claim,) = claims(tables, indicators=["middle_corridor_volume"])
    assert badges(at) == [f":{VERDICT_COLOR[claim.verdict]}-badge"
                          f"[{verdict_text(claim.verdict, 'en')}]"]
    assert plain(indicator_label(tables, "middle_corridor_volume", "en")) in text(at)
    # a value that is not an option is ignored, never shown
    at = app("claims", lang="en", verdict="<script>")
    assert len(badges(at)) == len(tables.checks)


def test_choosing_a_filter_writes_the_url(app):
    at = app("claims", lang="en")
    at.multiselect[1].set_value(["overstates"]).run()
    value = at.query_params["verdict"]
    assert (value if isinstance(value, list) else [value]) == ["overstates"]
    assert badges(at) == [b for b in badges(at) if "overstates" in b] != []


def test_no_claim_fits_message(app, tables):
    # an indicator and a verdict no claim has together, found in the tables
    indicator, verdict = next((c.figure["indicator_id"], v) for c in claims(tables)
                              for v in VERDICTS if not claims(tables, [c.figure["indicator_id"]],
                                                              [v]))
    at = app("claims", lang="en", indicator=indicator, verdict=verdict)
    assert badges(at) == []
    assert at.info[0].value == t("claims_none", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_overview_card_counts_the_checks(app, tables, lang):
    at = app("overview", lang=lang)
    assert plain(summary_text(tables, lang)) in text(at)
    (link,) = [p for p in at.get("page_link") if "claims" in p.proto.page]
    assert link.proto.label == t("claims_card_link", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_charts_cite_the_statistics_they_draw(app, tables, lang):
    at = app("transit", lang=lang)
    fig = CHARTS["transit-cargo"].build(tables, lang, at.session_state["theme"]
                                        if "theme" in at.session_state else "light")
    line = references_line(fig, tables, lang)
    assert line and plain(line) in [c.value for c in at.caption]
