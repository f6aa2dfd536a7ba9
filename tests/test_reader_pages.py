"""The reader-view features of issue 11 on the pages, run headless with Streamlit's AppTest:
caveats in sight on the Overview, the honest target headline, the timeline's happenings,
"only this kind" and the targets/forecasts switch, the Data page without ids, the chart CSV and
"cite this" line, and the default language taken from the browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from charts.catalogue import CHARTS
from charts.conflicts import table_conflicts
from charts.embed import chart_page_url, embed_notes
from charts.labels import figure_text, first_sentence, reader_text
from charts.progress import target_progress
from charts.timeline import happenings
from etl.schema import LANGS
from etl.store import load_tables
from i18n.text import localized, strings, t
from tests.fixtures import tables as fx
from tests.fixtures.app import cards_of
from tests.fixtures.charts import figure_specs
from ui import figures
from ui.components import Card, cards_html, plain

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
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def text_of(at: AppTest) -> str:
    return "\n".join(str(el.value) for kind in ("markdown", "caption", "warning", "subheader")
                     for el in getattr(at, kind))


@pytest.mark.parametrize("lang", LANGS)
def test_target_headline_says_the_year_is_uncertain_and_shows_the_caveat(app, tables_dir,
                                                                         lang):
    tables = load_tables(tables_dir)
    prog = target_progress(tables)
    measured = prog["measured"]
    assert measured["period_basis"] == "inferred"  # the fixture's 598.47 million "last year"
    text = text_of(app("overview", lang=lang))
    # the sentence's own words after its last placeholder ("... the year ... is uncertain")
    words = strings(lang)["target_measured_uncertain"].rsplit("}", 1)[-1].strip(" ,")
    assert len(words) > 20 and plain(words) in text
    caveat = first_sentence(reader_text(localized(measured, "note", lang), tables, lang))
    assert plain(caveat) in text


@pytest.mark.parametrize("lang", LANGS)
def test_headline_cards_carry_the_caveat_and_the_other_source(app, tables_dir, lang):
    """The fixture's H1 2025 turnover has two sources that disagree: the card names the other
    one; a card's figure with a note shows the note's first sentence."""
    tables = load_tables(tables_dir)
    cards = cards_of(app("overview", lang=lang))
    other = t("card_other_source", lang, items="").strip()
    # a card whose sources disagree: its value is flagged and it names the other figure
    disputed = [c for c in cards if c[1].startswith("⚠ ")]
    assert disputed
    conflicting = figures.per_build(table_conflicts, tables)
    for card in disputed:
        said = [p for p in card[2:] if p.startswith(f"⚠ {other}")]
        assert len(said) == 1, card
        assert any(figure_text(r, lang) in said[0] for _, r in conflicting.iterrows()), card
    label = t("caveat_label", lang)
    assert any(p.startswith(f"{label}: ") and len(p) > len(label) + 10
               for c in cards for p in c)


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_lists_happenings_and_switches_horizons_off(app, tables_dir, lang):
    tables = load_tables(tables_dir)
    at = app("timeline", lang=lang)
    lists = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(lists) == 1  # one list, not one per happening
    items = [line for line in lists[0].splitlines() if line.startswith("- ")]
    assert len(items) == len(happenings(tables.events))
    spec = json.loads(figure_specs(at)[0])
    lanes = {str(y) for tr in spec["data"] for y in (tr.get("y") or [])}
    assert t("lane_targets", lang) in lanes
    off = app("timeline", lang=lang, horizons="off")
    spec = json.loads(figure_specs(off)[0])
    lanes = {str(y) for tr in spec["data"] for y in (tr.get("y") or [])}
    assert t("lane_targets", lang) not in lanes


def test_only_this_kind_is_one_click(app):
    at = app("timeline", lang="en")
    kinds = at.multiselect(key="ev").value
    assert len(kinds) > 1
    at.get("button_group")[0].set_value("meeting").run()  # st.pills is a button group
    assert at.multiselect(key="ev").value == ["meeting"]


def test_every_chart_offers_its_rows_as_csv_and_a_citation(app):
    at = app("trade", lang="en")
    labels = [b.proto.label for b in at.get("download_button")]
    trade = [s for s in CHARTS.values() if s.page == "trade"]
    assert labels.count(t("chart_csv", "en")) == len(trade)
    cites = [c.value for c in at.caption if c.value.startswith(plain(t("cite_label", "en")))]
    assert len(cites) == len(trade)
    assert all("/embed/en/" in c.replace("\\", "") for c in cites)


def test_data_page_shows_no_register_ids(app, tables_dir):
    tables = load_tables(tables_dir)
    df = app("data", lang="az").dataframe[0].value
    shown = " ".join(str(v) for v in df.astype(str).to_numpy().ravel())
    leaked = [i for i in set(tables.figures["figure_id"]) | set(tables.sources["source_id"])
              if i in shown]
    assert leaked == []
    assert t("col_quote", "az") in df.columns and t("col_note", "az") in df.columns


@pytest.mark.parametrize("lang", LANGS)
def test_live_embed_shows_the_static_embeds_notes_line(monkeypatch, lang):
    """The live embed says under its chart what the static embed says (charts.embed.
    embed_notes): the first caveat only, a link to the rest on the chart's dashboard page in
    the same language, and what '*' means — not every caveat."""
    monkeypatch.delenv("AZKZ_TABLES_DIR", raising=False)  # the committed tables: many caveats
    tables = load_tables()
    spec = CHARTS["trade-turnover"]
    rows = spec.rows(tables)
    notes = embed_notes(rows, tables, lang)
    assert notes.first_caveat and notes.more >= 1 and notes.inferred  # the case under test
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"embed": "true", "chart": spec.chart_id, "lang": lang})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [str(c.value) for c in at.caption]
    label = plain(t("caveat_label", lang))
    with_caveat = [c for c in captions if label in c]
    assert len(with_caveat) == 1, with_caveat
    line = with_caveat[0]
    assert plain(notes.first_caveat) in line
    assert plain(t("caveat_more", lang, n=notes.more)) in line
    page_link = chart_page_url(spec.chart_id, lang)
    assert f"({page_link})" in line and f"/trade?lang={lang}" in page_link
    assert plain(notes.inferred) in captions
    # no other caveat of the chart is written out
    others = {first_sentence(reader_text(localized(r, "note", lang), tables, lang))
              for _, r in rows[rows["note"].notna()].iterrows()} - {notes.first_caveat}
    assert others and not any(plain(o) in "\n".join(captions) for o in others)


def test_cards_are_one_list_in_reading_order_with_their_text_escaped():
    cards = (Card(title="<script>alert(1)</script>", value="1 & 2", caption="H1 · <i>x</i>",
                  caveat="rounded <b>up</b>", inferred="* inferred"),
             Card(title="Second", value="2", caption="2024"))
    body = cards_html(cards, "en")
    assert "<script" not in body and "<i>" not in body and "<b>up" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "1 &amp; 2" in body
    # one list, card by card in the given order (the grid keeps it at every width)
    assert body.count("<ul") == 1 and body.count('<li class="azkz-card">') == 2
    assert body.index("alert(1)") < body.index("Second")
    assert f"<strong>{t('caveat_label', 'en')}:</strong> rounded &lt;b&gt;up" in body
    assert body.count('class="azkz-caption"') == 3  # each period line, what '*' means
