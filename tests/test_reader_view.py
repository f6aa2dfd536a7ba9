"""What a reader sees in the charts (issue 11): hovers without HTML entities and wrapped, no
register ids in any reader-facing text, full-year and part-year figures in separate panels,
one timeline event per happening, short legend keys. Pure: figures are built without a browser.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from charts.catalogue import CHARTS
from charts.checks import (
    REFERENCE_GROUP,
    VIA_RELATIONS,
    reference_citation,
    reference_lines,
    references_by_id,
    references_line,
)
from charts.embed import chart_page_url, embed_notes
from charts.labels import figure_text, formula_words, reader_text
from charts.style import HOVER_WIDTH
from charts.timeline import happenings
from charts.timeseries import period_class
from etl.schema import LANGS
from etl.store import load_tables
from i18n.text import t
from tests.fixtures.tables import BUILDS, build_tables
from web.export import render_page

ROOT = Path(__file__).resolve().parents[1]
# Entities Plotly.js turns into characters (svg_text_utils: named ones it knows, numeric ones);
# any other entity is shown to the reader literally.
PLOTLY_ENTITIES = re.compile(r"&(?:amp|lt|gt|nbsp|mu|times|plusmn|deg|#\d+|#x[0-9a-fA-F]+);")
ENTITY = re.compile(r"&[A-Za-z#0-9]+;")
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module", params=BUILDS)
def tables(request, tmp_path_factory):
    return build_tables(request.param, tmp_path_factory)


def texts(fig) -> list[tuple[str, str]]:
    """Every string of a figure a reader can see: (where, text)."""
    out = [("title", fig.layout.title.text or "")]
    for tr in fig.data:
        for h in (tr.hovertext if isinstance(tr.hovertext, tuple | list) else [tr.hovertext]):
            out.append(("hover", h or ""))
        for x in (tr.text if isinstance(tr.text, tuple | list) else [tr.text]):
            out.append(("text", x or ""))
        out.append(("legend", tr.name or ""))
    for a in fig.layout.annotations:
        out.append(("annotation", a.text or ""))
        out.append(("annotation hover", a.hovertext or ""))
    for ax in ("xaxis", "yaxis", "xaxis2", "yaxis2", "xaxis3", "yaxis3"):
        axis = fig.layout[ax] if ax in fig.layout else None
        if axis is not None and axis.ticktext:
            out.extend(("tick", str(x)) for x in axis.ticktext)
    return [(w, x) for w, x in out if x]


def ids(tables) -> set[str]:
    return (set(tables.figures["figure_id"]) | set(tables.events["event_id"])
            | set(tables.sources["source_id"]))


@pytest.mark.parametrize("lang", LANGS)
def test_every_hover_and_label_is_free_of_entities_and_ids(tables, lang):
    """Every chart's every hover text, label, legend entry and annotation in every language:
    no HTML entity survives Plotly's own decoding, and no register id is shown."""
    known = ids(tables)
    problems = []
    hovers = 0
    for spec in CHARTS.values():
        fig = spec.build(tables, lang)
        for where, text in texts(fig):
            shown = PLOTLY_ENTITIES.sub("", text)
            if ENTITY.search(shown):
                problems.append((spec.chart_id, where, ENTITY.search(shown).group(0), text[:80]))
            plain = TAG.sub(" ", text)
            leaked = [i for i in known if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])",
                                                     plain)]
            if leaked:
                problems.append((spec.chart_id, where, leaked, text[:80]))
            hovers += where == "hover"
    assert hovers > 20
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_hover_lines_are_wrapped(tables, lang):
    """No line of a hover box is wider than the readable width (one long word aside)."""
    too_long = []
    for spec in CHARTS.values():
        for tr in spec.build(tables, lang).data:
            for h in tr.hovertext or ():
                for line in html.unescape(TAG.sub("", h.replace("<br>", "\n"))).split("\n"):
                    if len(line) > HOVER_WIDTH + 2 and " " in line.strip():
                        too_long.append((spec.chart_id, line))
    assert too_long == []


def test_quotes_keep_their_quotation_marks(tables):
    """The quote of a figure whose text holds a double quote reaches the hover as a quote mark,
    not as &quot;."""
    fig = CHARTS["transit-cargo"].build(tables, "en")
    hover = " ".join(h for tr in fig.data for h in (tr.hovertext or ()))
    assert "&quot;" not in hover and "&#x27;" not in hover
    assert "«" in hover


@pytest.mark.parametrize("lang", LANGS)
def test_ids_in_notes_and_formulas_become_reader_text(lang):
    """The register's derived figures (the fixture tables have none): their formulas read as
    values and operators, and notes naming them show the value instead of the id."""
    tables = load_tables(ROOT / "data" / "tables")
    f = tables.figures
    derived = f[f["kind"] == "derived"]
    assert not derived.empty
    for _, row in derived.iterrows():
        words = formula_words(row["formula"], tables, lang)
        for fid in str(row["inputs"]).split(","):
            assert fid not in words
            value = figure_text(f[f["figure_id"] == fid].iloc[0], lang)
            assert value in words, (words, value)
        noted = f[f["note"].fillna("").str.contains(row["figure_id"], regex=False)]
        for _, r in noted.iterrows():
            shown = reader_text(r["note"], tables, lang)
            assert row["figure_id"] not in shown
            assert figure_text(row, lang) in shown


def test_full_year_and_half_year_figures_are_in_separate_panels(tables):
    """Turnover: a full year and half-years never share one axis."""
    fig = CHARTS["trade-turnover"].build(tables, "en")
    marks = [tr for tr in fig.data if tr.mode == "markers+text"]
    rows = tables.figures.set_index("figure_id")
    axis_of_class: dict[str, set[str]] = {}
    for tr in marks:
        cls = period_class(rows.loc[tr.customdata[0]])
        axis_of_class.setdefault(cls, set()).add(tr.yaxis or "y")
    assert {"year", "half"} <= set(axis_of_class)
    assert all(len(a) == 1 for a in axis_of_class.values())
    assert axis_of_class["year"] != axis_of_class["half"]
    titles = [a.text for a in fig.layout.annotations]
    assert any("Full year" in x for x in titles) and any("Half-year" in x for x in titles)


def test_period_class_reads_the_period_length():
    def row(a, b):
        return pd.Series({"period_start": pd.Timestamp(a) if a else None,
                          "period_end": pd.Timestamp(b) if b else None})
    assert period_class(row("2023-01-01", "2023-12-31")) == "year"
    assert period_class(row("2025-01-01", "2025-06-30")) == "half"
    assert period_class(row("2025-01-01", "2025-07-31")) == "months:7"
    assert period_class(row(None, "2025-10-18")) == "point"


def test_one_timeline_event_per_happening():
    """The register's October 2025 visit is reported by two articles: one event, two sources;
    events whose notes name each other (the 2005 treaty) are one happening too."""
    tables = load_tables(ROOT / "data" / "tables")
    ev = happenings(tables.events)
    visits = ev[(ev["kind"] == "visit") & (ev["date_start"].dt.year == 2025)]
    assert len(visits) == 1
    assert len(visits.iloc[0]["source_ids"].split(",")) == 2
    treaty = ev[ev["event_ids"].str.contains("treaty-2005-05-24")]
    assert len(treaty) == 1 and treaty.iloc[0]["precision"] == "day"
    assert len(ev) < len(tables.events)
    # a shared month is not enough: the IGC meeting and the Supreme Council are two happenings
    march = ev[(ev["kind"] == "meeting") & (ev["date_start"] == pd.Timestamp("2024-03-01"))]
    assert len(march) == 2
    year_2022 = ev[(ev["kind"] == "agreement") & (ev["date_start"].dt.year == 2022)]
    assert len(year_2022) == 2  # the 2022 Declaration (two articles) and the Road Map
    # distinct happenings stay apart
    assert ev["event_ids"].str.split(",").map(len).sum() == len(tables.events)


def test_legends_name_series_not_citations(tables):
    """Legend entries are short source keys; speaker and '(date inferred)' words stay in the
    sources line under the chart."""
    fig = CHARTS["trade-turnover"].build(tables, "az")
    names = [TAG.sub(" ", tr.name) for tr in fig.data if tr.showlegend is not False and tr.name]
    assert names
    for speaker in tables.sources["speaker"]:
        assert all(speaker not in n for n in names)
    assert all(len(n) <= 60 for n in names), names


def test_timeline_labels_are_numbers_where_crowded_and_titles_where_there_is_room():
    """The register's timeline: the two March 2024 meetings are labelled by number only, the
    1999 commission (alone in its lane) by number and title; the numbers follow date order,
    as in the list under the chart."""
    tables = load_tables(ROOT / "data" / "tables")
    fig = CHARTS["timeline-events"].build(tables, "en")
    ev = happenings(tables.events)
    labels = {}
    for tr in fig.data:
        text_only = getattr(tr, "mode", None) == "text"
        owner = tr.meta if text_only else (tr.customdata or [None])[0]
        if tr.text and owner:
            labels[owner] = TAG.sub(" ", tr.text[0]).split()
    first = ev.iloc[0]
    assert labels[first["event_id"]][0] == "1" and len(labels[first["event_id"]]) > 2
    meetings = ev[(ev["kind"] == "meeting") & (ev["date_start"] == pd.Timestamp("2024-03-01"))]
    for _, m in meetings.iterrows():
        number = str(ev.index[ev["event_id"] == m["event_id"]][0] + 1)
        assert labels.get(m["event_id"], [number]) == [number]


# The interface words of the statistics' citations in English (the English locale's citation
# keys and the register's relation words): none of them may reach an az or ru reader.
CITATION_KEYS = ("reported_statistics_sources", "ref_via", "ref_own_site", "ref_citation",
                 "ref_outlet", *VIA_RELATIONS.values())
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # "Trend-in" is one word


def english_citation_words() -> set[str]:
    words = {w.lower() for k in CITATION_KEYS
             for w in WORD.findall(re.sub(r"\{\w+\}", " ", t(k, "en")))}
    return words | {w for rel in VIA_RELATIONS for w in rel.split()}


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_statistics_citations_hold_no_english_interface_word(lang):
    """'Reported statistics: body, in outlet, page date' under a chart and each statistic's
    outlet line: every word but the names of bodies and outlets in the reader's language
    (the register's statistics: the fixture has none)."""
    tables = load_tables()
    refs = references_by_id(tables)
    assert refs
    # a figure that draws every statistic of the build (as charts.checks.with_checks marks it)
    fig = {"data": [{"meta": REFERENCE_GROUP, "ids": list(refs)}]}
    lines = [references_line(fig, tables, lang)]
    for ref in refs.values():
        lines += [reference_citation(ref, lang), *reference_lines(ref, tables, lang)[2:4]]
    english = english_citation_words()
    assert {"citing", "reported", "statistics", "in"} <= english
    names = set()  # outlet and body names stay as written (Trend, The Astana Times, …)
    for ref in refs.values():
        via = ref.get("via")
        if isinstance(via, str):
            for part in re.split(r"[()]", via):
                for rel in VIA_RELATIONS:
                    part = part.replace(rel, " ")
                names |= {w.lower() for w in WORD.findall(part)}
    leaks = {line: sorted({w.lower() for w in WORD.findall(line)} & (english - names))
             for line in lines}
    assert {line: words for line, words in leaks.items() if words} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_static_embed_links_the_rest_of_the_caveats_to_the_charts_page(lang):
    """The static embed's notes line, like the live one, links its other caveats to the
    chart's own dashboard page in the same language (the committed tables: several caveats)."""
    tables = load_tables()
    spec = CHARTS["trade-turnover"]
    assert embed_notes(spec.rows(tables), tables, lang).more >= 1
    base = "https://x.example"
    page = render_page(spec, spec.chart_id, tables, lang, "plotly.js", base)
    link = html.escape(chart_page_url(spec.chart_id, lang, base))
    assert link == f"{base}/trade?lang={lang}#trade-turnover"
    assert re.search(rf'<p class="azkz-notes">[^\n]*href="{re.escape(link)}"', page.html)
