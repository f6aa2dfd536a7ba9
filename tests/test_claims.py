"""Claims beside the reported statistics, reader side (charts/checks.py): the "reported
statistics" series behind the claims, the verdict on each claim's label and hover, the
overview's counts and the Claims page rows, on the committed tables, in every language."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from charts.catalogue import CHARTS
from charts.checks import (
    CLAIMS_SLUG,
    COMPARED,
    INDICATOR_PARAM,
    NO_REFERENCE_NOTE,
    REFERENCE_GROUP,
    SUMMARY,
    VERDICT_MARK,
    check_lines,
    claim_cards,
    claims,
    claims_page_query,
    drawn_references,
    gap_text,
    reference_citation,
    references_line,
    summary,
    summary_text,
    verdict_text,
)
from charts.labels import figure_text
from charts.style import plotly_text
from etl.schema import LANGS, VERDICTS
from etl.store import load_tables
from i18n.text import localized, t
from tests.conftest import ROOT
from ui.state import PAGES

MC_CLAIM = "dayaz-qafarov-middle-corridor-2024"


@pytest.fixture(scope="module")
def tables():
    return load_tables(ROOT / "data" / "tables")


def reference_traces(fig):
    return [tr for tr in fig.data if tr.meta == REFERENCE_GROUP]


def claim_trace(fig, figure_id):
    (tr,) = [tr for tr in fig.data if tr.customdata is not None
             and list(tr.customdata) == [figure_id] and tr.meta != REFERENCE_GROUP
             and (tr.type == "bar" or "markers" in tr.mode)]
    return tr


@pytest.mark.parametrize("lang", LANGS)
def test_middle_corridor_chart_draws_every_2024_statistic_behind_the_claim(tables, lang):
    fig = CHARTS["transit-cargo"].build(tables, lang, "light")
    refs = reference_traces(fig)
    assert refs, "no reported statistics drawn"
    # one legend entry, named in the reader's language
    assert [tr.name for tr in refs if tr.showlegend] == [t("reported_statistics", lang)]
    # behind the claims: every reference trace comes before the claim's marker
    claim = claim_trace(fig, MC_CLAIM)
    order = list(fig.data)
    assert max(order.index(tr) for tr in refs) < order.index(claim)
    # the ministry's 4.48 Mt (the match), the 4.5 Mt that also fits and the seaports' 3.3 Mt
    reference = tables.reference.set_index("reference_id")
    drawn = {(pd.Timestamp(x).year, y): h.replace("<br>", " ") for tr in refs
             for x, y, h in zip(tr.x, tr.y, tr.hovertext, strict=True)}
    for rid in ("ref-mc-2024-kz-transport", "ref-mc-2024-kz-transport-official",
                "ref-mc-2024-titr-seaports"):
        assert (2024, reference.loc[rid, "value"]) in drawn, rid
    match = drawn[(2024, reference.loc["ref-mc-2024-kz-transport", "value"])]
    seaports = drawn[(2024, reference.loc["ref-mc-2024-titr-seaports", "value"])]
    claim_words = figure_text(tables.figures.set_index("figure_id").loc[MC_CLAIM], lang)
    role = plotly_text(t("ref_role_match", lang, claim=claim_words,
                         verdict=verdict_text("understates", lang)))
    assert role in match
    # the seaport count is drawn, with its definition, but is not the statistic checked
    assert t("definition_seaports", lang) in seaports
    assert role not in seaports
    assert plotly_text(t("ref_role_candidate", lang, claim=claim_words)) in drawn[
        (2024, reference.loc["ref-mc-2024-kz-transport-official", "value"])]
    # hover of a statistic: body, outlet, page date, grade and address
    ministry = reference.loc["ref-mc-2024-kz-transport"]
    for part in (localized(ministry, "reported_by", lang), ministry["via"],
                 t("grade_B", lang), ministry["url"]):
        assert plotly_text(part) in match, part


@pytest.mark.parametrize("lang", LANGS)
def test_claim_shows_its_verdict_on_the_chart_and_in_the_hover(tables, lang):
    fig = CHARTS["transit-cargo"].build(tables, lang, "light")
    claim = claim_trace(fig, MC_CLAIM)
    words = verdict_text("understates", lang)
    assert words in claim.text[0]
    hover = claim.hovertext[0].replace("<br>", " ")
    assert t("verdict_understates", lang) in hover
    check = tables.checks.set_index("figure_id").loc[MC_CLAIM]
    assert gap_text(check, lang) in hover  # the build's gap, formatted, never typed here


def test_every_statistic_on_a_chart_is_inside_its_value_axis(tables):
    for spec in CHARTS.values():
        fig = spec.build(tables, "en", "light")
        for tr in reference_traces(fig):
            axis = fig.layout["yaxis" + (tr.yaxis or "y")[1:]]
            assert axis.range is None or max(tr.y) <= axis.range[1], spec.chart_id
        # drawing the statistics never pushes a target line (a shape) off the chart
        for shape in fig.layout.shapes:
            if str(shape.yref).startswith("y") and "domain" not in str(shape.yref):
                top = fig.layout["yaxis" + shape.yref[1:]].range
                assert top is None or shape.y0 <= top[1], spec.chart_id


def test_bar_chart_ticks_sit_on_their_own_bar(tables):
    fig = CHARTS["investment-stocks"].build(tables, "en", "light")
    refs = reference_traces(fig)
    checked = tables.checks.set_index("figure_id")
    bars = {tr.customdata[0]: tr for tr in fig.data if tr.type == "bar"}
    assert len(refs) == 2
    for tr in refs:
        (bar,) = [b for b in bars.values() if b.offsetgroup == tr.offsetgroup]
        rid = checked.loc[bar.customdata[0], "reference_id"]
        assert list(tr.y) == [tables.reference.set_index("reference_id").loc[rid, "value"]]
        assert list(tr.x) == list(bar.x)
        # the statistic is above the bar: the bar's label moved inside, clear of the tick
        assert max(tr.y) > bar.y[0] and bar.textposition == "inside"
    assert fig.layout.scattermode == "group"


def test_charts_without_checks_are_untouched(tables):
    empty = replace(tables, checks=tables.checks.iloc[0:0],
                    reference=tables.reference.iloc[0:0])
    fig = CHARTS["transit-cargo"].build(empty, "en", "light")
    assert not reference_traces(fig)
    assert "↓" not in claim_trace(fig, MC_CLAIM).text[0]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_summary_counts_the_checks_table(tables, lang):
    counts = summary(tables)
    table = tables.checks["verdict"].value_counts()
    assert counts["total"] == len(tables.checks)
    assert sum(counts[v] for v in SUMMARY) == counts["total"]
    assert {v: counts[v] for v in SUMMARY} == {v: int(table.get(v, 0)) for v in SUMMARY}
    text = summary_text(tables, lang)
    for v in ("total", *SUMMARY):
        assert str(counts[v]) in text


def test_summary_follows_the_table(tables):
    """Change the table, the card changes: nothing is typed in code."""
    checks = tables.checks.copy()
    checks["verdict"] = "matches"
    other = replace(tables, checks=checks)
    assert summary(other)["matches"] == len(checks)
    assert summary_text(other, "en").startswith(f"{len(checks)} claims checked: {len(checks)} ")


def test_claims_filter_by_indicator_and_verdict(tables):
    every = claims(tables)
    assert len(every) == len(tables.checks)
    assert {c.verdict for c in every} <= set(VERDICTS)
    only = claims(tables, indicators=["middle_corridor_volume"], verdicts=["understates"])
    assert [c.figure_id for c in only] == [MC_CLAIM]
    assert only[0].reference["reference_id"] == "ref-mc-2024-kz-transport"
    assert claims(tables, verdicts=["matches"]) == [] or all(
        c.verdict == "matches" for c in claims(tables, verdicts=["matches"]))
    # compared claims come first
    verdicts = [c.verdict for c in every]
    assert verdicts == sorted(verdicts, key=VERDICTS.index)


@pytest.mark.parametrize("lang", LANGS)
def test_not_comparable_claim_says_why(tables, lang):
    (claim,) = [c for c in claims(tables, verdicts=["not_comparable"])
                if c.figure["kind"] == "observed"]
    lines = check_lines(claim.check, claim.figure, tables, lang)
    assert verdict_text("not_comparable", lang) in lines[0]
    other = "AZ" if claim.figure["reporting_side"] == "KZ" else "KZ"
    assert t(f"side_{other}", lang) in lines[1]


def test_text_alternative_names_the_verdicts(tables):
    for lang in LANGS:
        text = CHARTS["transit-cargo"].describe(tables, lang)
        assert t("claims_checked_heading", lang) in text
        assert verdict_text("understates", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_claim_cards_say_everything_in_words(tables, lang):
    """A fact-check card per check: verdict in words, both sources, no register id."""
    cards = claim_cards(tables, lang)
    assert [c.figure_id for c in cards] == [c.figure_id for c in claims(tables)]
    ids = set(tables.figures["figure_id"]) | set(tables.reference["reference_id"])
    for card in cards:
        assert card.embed_id == f"claim-{card.figure_id}"
        assert card.verdict_text == verdict_text(card.verdict, lang)
        texts = [card.title, card.claim, card.claim_source, card.statistic or "",
                 card.statistic_source or "", *card.lines, card.caveat or ""]
        assert not [i for i in ids for text in texts if i in text], card.figure_id
        assert (card.statistic is None) == (card.verdict not in COMPARED)
    (mc,) = [c for c in cards if c.figure_id == MC_CLAIM]
    ministry = tables.reference.set_index("reference_id").loc["ref-mc-2024-kz-transport"]
    assert localized(ministry, "reported_by", lang) in mc.statistic_source
    assert mc.statistic_url == ministry["url"]
    assert mc.quote_lang == "az"


def test_claims_page_address_is_the_registered_page():
    assert CLAIMS_SLUG in [p.slug for p in PAGES]
    assert claims_page_query("ru", "trade_turnover") == (
        f"{CLAIMS_SLUG}?lang=ru&{INDICATOR_PARAM}=trade_turnover")


@pytest.mark.parametrize("lang", LANGS)
def test_a_claims_definition_is_shown_with_its_check(tables, lang):
    """The Middle Corridor claim counts the whole route (figures.definition): said in words
    in its check, so in its hover, card and text alternative."""
    (claim,) = claims(tables, indicators=["middle_corridor_volume"])
    assert claim.figure["definition"] == "whole_route"
    words = t("claim_definition", lang, definition=t("definition_whole_route", lang))
    assert words in check_lines(claim.check, claim.figure, tables, lang)
    (card,) = [c for c in claim_cards(tables, lang) if c.figure_id == claim.figure_id]
    assert words in card.lines
    fig = CHARTS["transit-cargo"].build(tables, lang, "light")
    assert plotly_text(words) in claim_trace(fig, MC_CLAIM).hovertext[0].replace("<br>", " ")


@pytest.mark.parametrize("lang", LANGS)
def test_the_statistics_drawn_are_cited_under_the_chart(tables, lang):
    fig = CHARTS["transit-cargo"].build(tables, lang, "light")
    drawn = drawn_references(fig)
    assert "ref-mc-2024-titr-seaports" in drawn and "ref-mc-2024-kz-transport" in drawn
    assert drawn == drawn_references(json.loads(fig.to_json()))  # the embeds' JSON form
    line = references_line(fig, tables, lang)
    refs = tables.reference.set_index("reference_id")
    for rid in drawn:
        assert reference_citation(refs.loc[rid], lang) in line
    assert references_line(CHARTS["trade-split"].build(tables, lang, "light"), tables,
                           lang) == ""  # nothing drawn there, nothing cited


@pytest.mark.parametrize("lang", LANGS)
def test_unchecked_claims_carry_the_mark_the_legend_explains(tables, lang):
    """A claim with no statistic to check against shows ∅ on the chart (explained once in the
    legend) and the verdict in words in its hover."""
    unchecked = set(tables.checks.loc[tables.checks["verdict"] == "no_reference", "figure_id"])
    fig = CHARTS["diplomacy-people"].build(tables, lang, "light")
    shown = [tr for tr in fig.data if tr.customdata is not None
             and tr.customdata[0] in unchecked]
    assert shown
    for tr in shown:
        assert tr.text[0].endswith(f" {VERDICT_MARK['no_reference']}")
        assert t("verdict_no_reference", lang) in tr.hovertext[0].replace("<br>", " ")
    (note,) = [tr for tr in fig.data if tr.meta == NO_REFERENCE_NOTE]
    assert note.name == plotly_text(t("chart_no_reference", lang)) and note.showlegend
    assert not [tr for tr in CHARTS["transit-cargo"].build(tables, lang, "light").data
                if tr.meta == NO_REFERENCE_NOTE]  # every claim there was compared


@pytest.mark.parametrize("lang", LANGS)
def test_the_seaport_count_is_named_as_not_the_match(tables, lang):
    """Drawn beside the Middle Corridor claim but never its match: the check says why."""
    (claim,) = claims(tables, indicators=["middle_corridor_volume"])
    seaports = tables.reference.set_index("reference_id").loc["ref-mc-2024-titr-seaports"]
    lines = check_lines(claim.check, claim.figure, tables, lang)
    (line,) = [x for x in lines if figure_text(seaports, lang) in x]
    assert line.startswith(t("check_other_forms", lang, references="").rstrip())
    assert t("definition_seaports", lang) in line
    matched = figure_text(claim.reference, lang)
    assert not any(x.startswith(t("check_other_forms", lang, references="").rstrip())
                   and matched in x for x in lines)
