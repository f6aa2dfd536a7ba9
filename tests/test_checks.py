"""Claims checked against reported statistics (etl/checks.py, data/README.md "Checks"): each
verdict and each tie-break case by case, the register's real Middle Corridor case, and bad
reference input (clear error naming file, record and field; last good tables unchanged)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etl.build import run
from etl.checks import build_checks, quote_step
from etl.schema import TRANSLATED
from etl.tables import frame
from tests.conftest import ROOT
from tests.test_bad_input import fails_with

D = dt.date


def fig(**kw) -> dict:
    row = dict(figure_id="f", source_id="s", indicator_id="ind", kind="observed", value=100.0,
               unit="t", qualifier="exact", period_start=D(2024, 1, 1),
               period_end=D(2024, 12, 31), period_label="2024")
    row.update(kw)
    return row


def ref(rid: str, **kw) -> dict:
    row = dict(reference_id=rid, indicator_id="ind", kind="observed", value=100.0, unit="t",
               qualifier="exact", period_start=D(2024, 1, 1), period_end=D(2024, 12, 31),
               period_label="2024", reported_by="body", basis="statistics", url="https://x.org",
               page_date=D(2025, 1, 1), page_date_precision="day", grade="B", via="outlet")
    row.update(kw)
    return row


def checks(figures: list[dict], refs: list[dict], texts: dict[str, str] | None = None):
    mentions = [dict(source_id="s", start=i, end=i + 1, text=text, value=f["value"],
                     unit=f["unit"], qualifier=f["qualifier"], status="registered",
                     figure_id=f["figure_id"], mention_kind="quantity")
                for i, f in enumerate(figures) if (text := (texts or {}).get(f["figure_id"]))]
    out = build_checks(frame(figures, "figures"), frame(refs, "reference"),
                       frame(mentions, "mentions"))
    return out.astype(object).where(out.notna(), None).to_dict("records")


def check(figure: dict, refs: list[dict], text: str | None = None) -> dict:
    rows = checks([figure], refs, {figure["figure_id"]: text} if text else None)
    assert len(rows) == 1
    return rows[0]


H1_2025 = dict(period_start=D(2025, 1, 1), period_end=D(2025, 6, 30), period_label="H1 2025")
STOCK_MAR = dict(period_start=None, period_end=D(2024, 3, 1), period_label="as of Mar 2024")
MT = "3,5 milyon ton"

# name, figure, references, quoted text, (verdict, reference_id, qualifier_holds), in rule
VERDICTS = [
    ("matches within the quote's rounding", fig(value=3.5e6), [ref("r", value=3.54e6)], MT,
     ("matches", "r", None), "within r"),
    ("matches at the edge of the rounding", fig(value=3.5e6), [ref("r", value=3.55e6)], MT,
     ("matches", "r", None), "±50 000"),
    ("understates beyond the rounding", fig(value=3.5e6), [ref("r", value=3.56e6)], MT,
     ("understates", "r", None), "below r"),
    ("overstates", fig(value=598.47e6, unit="USD"), [ref("r", value=529.4e6, unit="USD")],
     "598,47 milyon dollar", ("overstates", "r", None), "above r"),
    ("the quote's last digit sets the rounding", fig(value=598.47e6, unit="USD"),
     [ref("r", value=598.476e6, unit="USD")], "598,47 milyon dollar",
     ("understates", "r", None), "±5 000"),
    ("more than: understates, qualifier holds", fig(value=3.5e6, qualifier="more_than"),
     [ref("r", value=4.48e6)], MT, ("understates", "r", True), "more_than holds"),
    ("more than: overstates, qualifier fails", fig(value=3.5e6, qualifier="more_than"),
     [ref("r", value=3.3e6)], MT, ("overstates", "r", False), "does not hold"),
    ("more than: an equal reference is not more", fig(value=3.5e6, qualifier="more_than"),
     [ref("r", value=3.5e6)], MT, ("matches", "r", False), "does not hold"),
    ("at least: equal holds", fig(value=3.5e6, qualifier="at_least"), [ref("r", value=3.5e6)],
     MT, ("matches", "r", True), "at_least holds"),
    ("less than: holds", fig(value=100, unit="count", qualifier="less_than"),
     [ref("r", value=90, unit="count")], "100-dən az", ("overstates", "r", True), "holds"),
    ("up to: fails", fig(value=100, unit="count", qualifier="up_to"),
     [ref("r", value=120, unit="count")], "100-ə qədər", ("understates", "r", False),
     "does not hold"),
    ("range: contains the reference", fig(value=100, value_high=120, qualifier="range"),
     [ref("r", value=110)], "100-120 ton", ("matches", "r", True), "range holds"),
    ("range: below the reference", fig(value=100, value_high=120, qualifier="range"),
     [ref("r", value=130)], "100-120 ton", ("understates", "r", False), "does not hold"),
    ("approx: no qualifier to honour", fig(value=40, unit="count", qualifier="approx"),
     [ref("r", value=40, unit="count")], "təxminən 40", ("matches", "r", None), "within r"),
    ("no reference for the indicator", fig(), [ref("r", indicator_id="other")], None,
     ("no_reference", None, None), "for indicator ind"),
    ("no reference for the period", fig(), [ref("r", period_start=D(2023, 1, 1),
                                                 period_end=D(2023, 12, 31),
                                                 period_label="2023")], None,
     ("no_reference", None, None), "no reported figure for 2024 (reported periods: 2023)"),
    ("not comparable: only an overlapping period", fig(**H1_2025),
     [ref("r", period_start=D(2025, 1, 1), period_end=D(2025, 7, 31),
          period_label="Jan–Jul 2025")], None,
     ("not_comparable", None, None), "only for other periods overlapping H1 2025: r (Jan–Jul"),
    ("not comparable: only the other reporting side", fig(reporting_side="KZ"),
     [ref("r", reporting_side="AZ")], None, ("not_comparable", None, None),
     "only by the other reporting side (AZ): r (2024); claim is KZ"),
    ("not comparable: only another definition", fig(definition="whole_route"),
     [ref("r", definition="seaports")], None, ("not_comparable", None, None),
     "only under another definition (seaports)"),
    ("not comparable: the claim does not say which definition", fig(),
     [ref("a", definition="whole_route"), ref("b", definition="seaports")], None,
     ("not_comparable", None, None), "several definitions (seaports, whole_route)"),
    ("the one definition in use fits a claim that names none", fig(),
     [ref("r", definition="whole_route")], None, ("matches", "r", None), "within r"),
    ("a reference of no side fits a claim of one side", fig(reporting_side="KZ"),
     [ref("r", reporting_side=None)], None, ("matches", "r", None), "within r"),
    ("stock: same calendar month", fig(**STOCK_MAR),
     [ref("r", period_start=None, period_end=D(2024, 3, 5), period_label="as of Mar 2024")],
     None, ("matches", "r", None), "as of Mar 2024: claim"),
    ("stock: another month is no reference", fig(**STOCK_MAR),
     [ref("r", period_start=None, period_end=D(2024, 9, 4), period_label="as of Sep 2024")],
     None, ("no_reference", None, None), "no reported figure as of Mar 2024"),
    ("stock against a flow", fig(**STOCK_MAR), [ref("r")], None,
     ("no_reference", None, None), "reported periods: 2024"),
    ("rate per year against a total", fig(per="year"), [ref("r")], None,
     ("no_reference", None, None), "no reported observed figure"),
    ("change in percent against a growth in times: matches", fig(
        kind="change", unit="percent", value=320), [ref("r", kind="change", unit="times",
                                                        value=4.2)], "320%",
     ("matches", "r", None), "times read as percent"),
    ("change in percent against a growth in times: understates", fig(
        kind="change", unit="percent", value=40, qualifier="approx"),
     [ref("r", kind="change", unit="times", value=4.2)], "təxminən 40%",
     ("understates", "r", None), "= 320 percent"),
]


@pytest.mark.parametrize(("figure", "refs", "text", "want", "rule"),
                         [c[1:] for c in VERDICTS], ids=[c[0] for c in VERDICTS])
def test_verdict(figure, refs, text, want, rule):
    row = check(figure, refs, text)
    assert (row["verdict"], row["reference_id"], row["qualifier_holds"]) == want
    assert rule in row["rule"], row["rule"]
    if row["reference_id"] is None:
        assert row["gap"] is None and row["gap_pct"] is None
    else:
        best = next(r for r in refs if r["reference_id"] == row["reference_id"])
        ref_value = best["value"] if best["unit"] == figure["unit"] else (best["value"] - 1) * 100
        assert row["gap"] == pytest.approx(figure["value"] - ref_value)
        assert row["gap_pct"] == pytest.approx(row["gap"] / ref_value * 100)


# name, figure, references (the winner is "b"), criterion named in the rule
TIE_BREAKS = [
    ("same reporting side before grade", fig(reporting_side="KZ"),
     [ref("a", reporting_side=None, grade="A", via=None), ref("b", reporting_side="KZ",
                                                             grade="C")],
     "same reporting side"),
    ("same definition before grade", fig(definition="whole_route"),
     [ref("a", definition=None, grade="A", via=None), ref("b", definition="whole_route")],
     "same definition"),
    ("higher grade", fig(), [ref("a", grade="C"), ref("b", grade="A", via=None)],
     "higher grade"),
    ("statistics before statements, even on an older page", fig(),
     [ref("a", basis="statement", page_date=D(2025, 6, 1)), ref("b", page_date=D(2024, 1, 1))],
     "statistics before statements"),
    ("later page date", fig(), [ref("a", page_date=D(2024, 1, 1)),
                                ref("b", page_date=D(2025, 1, 1))], "later page date"),
]


@pytest.mark.parametrize(("figure", "refs", "criterion"), [c[1:] for c in TIE_BREAKS],
                         ids=[c[0] for c in TIE_BREAKS])
def test_tie_break(figure, refs, criterion):
    for order in (refs, refs[::-1]):  # the input order does not matter
        row = check(figure, order)
        assert row["reference_id"] == "b"
        assert row["candidates"] == "a"
        assert f"picked over a by {criterion}" in row["rule"], row["rule"]


def test_tie_break_last_resort_is_the_id():
    row = check(fig(), [ref("r2"), ref("r1"), ref("r3")])
    assert row["reference_id"] == "r1"
    assert row["candidates"] == "r2, r3"
    assert "r2 by reference id" in row["rule"]


def test_which_figures_are_checked():
    figures = [fig(figure_id="obs"), fig(figure_id="tgt", kind="target"),
               fig(figure_id="fct", kind="forecast"), fig(figure_id="agr", kind="agreement"),
               fig(figure_id="der", kind="derived"),
               fig(figure_id="chg", kind="change", unit="percent", value=10),
               fig(figure_id="chg-other", kind="change", unit="percent", value=10,
                   indicator_id="other")]
    rows = checks(figures, [ref("r"), ref("g", kind="change", unit="percent", value=10)])
    # change figures only where the reference holds growth rates for their indicator
    assert [r["figure_id"] for r in rows] == ["chg", "obs"]
    assert checks(figures, [ref("r")])[0]["figure_id"] == "obs"
    assert len(checks(figures, [ref("r")])) == 1


@pytest.mark.parametrize(("text", "value", "step"), [
    ("3,5 milyon tonu keçmişdir", 3.5e6, 1e5),
    ("598,47 milyon dollar", 598.47e6, 1e4),
    ("102,2 milyon dollar", 102.2e6, 1e5),
    ("250-dən artıq", 250, 1),
    ("1 500 000 ton", 1.5e6, 1),
    ("0,8 milyon ton", 8e5, 1e5),
    ("təxminən 155 min nəfər", 155e3, 1e3),
    ("dörd dəfə", 4, 1),          # words: the value's own last digit
    ("otuz ildən artıq", 30, 10),
    (None, 4.48e6, 1e4),
])
def test_quote_step(text, value, step):
    assert quote_step(text, value) == pytest.approx(step)


def test_tolerance_is_read_from_the_figures_mention():
    row = check(fig(value=598.47e6, unit="USD"), [], "598,47 milyon dollar")
    assert row["tolerance"] == pytest.approx(5000)
    assert check(fig(value=598.47e6, unit="USD"), [])["tolerance"] == pytest.approx(5000)
    assert check(fig(value=600e6, unit="USD"), [], "600 milyon")["tolerance"] == 0.5e6


@pytest.fixture(scope="module")
def built() -> dict:
    return run(Path(ROOT), write=False).frames


def test_middle_corridor_claim_understates_the_ministrys_whole_route_figure(built):
    checks_ = built["checks"].set_index("figure_id")
    row = checks_.loc["dayaz-qafarov-middle-corridor-2024"]
    assert row["verdict"] == "understates"
    assert row["qualifier_holds"] is not None and bool(row["qualifier_holds"]) is True
    assert row["reference_id"] == "ref-mc-2024-kz-transport"
    reference = built["reference"].set_index("reference_id")
    match = reference.loc[row["reference_id"]]
    assert (match["value"], match["definition"], match["period_label"]) == (4.48e6,
                                                                            "whole_route",
                                                                            "2024")
    assert row["gap"] == pytest.approx(3.5e6 - 4.48e6)
    # the seaport count for 2024 is registered, but never the match: another definition
    seaports = reference.loc["ref-mc-2024-titr-seaports"]
    assert (seaports["value"], seaports["definition"]) == (3.3e6, "seaports")
    assert seaports["period_start"] == D(2024, 1, 1) and seaports["period_end"] == D(2024, 12, 31)
    assert "ref-mc-2024-titr-seaports" not in (row["candidates"] or "")
    figure = built["figures"].set_index("figure_id").loc["dayaz-qafarov-middle-corridor-2024"]
    assert figure["definition"] == "whole_route"


def test_every_observed_figure_has_a_check(built):
    figures = built["figures"]
    observed = set(figures.loc[figures["kind"] == "observed", "figure_id"])
    assert observed <= set(built["checks"]["figure_id"])
    assert set(built["checks"]["reference_id"].dropna()) <= set(built["reference"]["reference_id"])


# --- bad reference input: through the CLI, like every register file ---------------------------

REF = "reference.yaml"


def test_unknown_indicator(corpus):
    corpus.replace(REF, "indicator_id: middle_corridor_volume", "indicator_id: middle_corridor")
    fails_with(corpus, "data/reference.yaml:1:", "reference 'fx-ref-corridor-2024'",
               "field 'indicator_id'", "unknown indicator 'middle_corridor'")


def test_unit_that_does_not_fit_the_indicator(corpus):
    corpus.replace(REF, "  unit: t\n", "  unit: USD\n")
    fails_with(corpus, "data/reference.yaml:1:", "reference 'fx-ref-corridor-2024'",
               "field 'unit'", "unit 'USD' does not fit indicator 'middle_corridor_volume' "
                               "(expected t for kind observed)")


def test_missing_url(corpus):
    corpus.replace(REF, "  url: https://example.org/corridor-2024\n", "")
    fails_with(corpus, "data/reference.yaml:1:", "reference 'fx-ref-corridor-2024'",
               "field 'url'", "required field is missing")


def test_url_that_is_not_an_address(corpus):
    corpus.replace(REF, "url: https://example.org/corridor-2024", "url: example.org/corridor")
    fails_with(corpus, "reference 'fx-ref-corridor-2024'", "field 'url'",
               "is not an http(s) address")


def test_untranslated_note(corpus):
    corpus.replace(REF, "  note_ru: Учитывает весь маршрут.\n", "")
    fails_with(corpus, "data/reference.yaml:1:", "reference 'fx-ref-corridor-2024'",
               "field 'note_ru'", "required when note is given")


def test_untranslated_reported_by(corpus):
    corpus.replace(REF, "  reported_by_ru: Тестовый министр\n", "")
    fails_with(corpus, "data/reference.yaml:", "reference 'fx-ref-turnover-2024'",
               "field 'reported_by_ru'", "required field is missing")


def test_reported_by_in_every_language(built):
    """Who reported a statistic reaches readers in every language of LANGS."""
    ref_ = built["reference"]
    (reported_by,) = (tr for tr in TRANSLATED["reference"] if tr.name == "reported_by")
    for col in reported_by.columns:
        assert ref_[col].notna().all() and (ref_[col].str.strip() != "").all(), col
    ministry = ref_.set_index("reference_id").loc["ref-mc-2024-kz-transport"]
    assert ministry["reported_by_ru"] == "Министерство транспорта Казахстана"


def test_duplicate_id(corpus):
    corpus.replace(REF, "reference_id: fx-ref-turnover-2024", "reference_id: fx-ref-corridor-2024")
    fails_with(corpus, "data/reference.yaml:", "reference 'fx-ref-corridor-2024'",
               "field 'reference_id'",
               "duplicate id 'fx-ref-corridor-2024' (first defined at data/reference.yaml:1)")


def test_grade_outside_the_vocabulary(corpus):
    corpus.replace(REF, "grade: B", "grade: D")
    fails_with(corpus, "reference 'fx-ref-corridor-2024'", "field 'grade'",
               "'D' is not in the vocabulary (A | B | C)")


def test_period_and_page_date_rules(corpus):
    corpus.replace(REF, "page_date: 2026-03-10", "page_date: 2024-06-30")
    fails_with(corpus, "reference 'fx-ref-corridor-2024'", "field 'page_date'",
               "page dated 2024-06-30 cannot report a period ending 2024-12-31")


def test_unknown_figure_definition(corpus):
    corpus.replace("figures.yaml", "  period_label: \"2024\"\n",
                   "  period_label: \"2024\"\n  definition: ports\n")
    fails_with(corpus, "data/figures.yaml:1:", "figure 'fx-corridor-2024'", "field 'definition'",
               "'ports' is not in the vocabulary (whole_route | seaports | az_railways)")


def test_every_reference_problem_at_once(corpus):
    corpus.replace(REF, "indicator_id: trade_turnover", "indicator_id: turnover")
    corpus.replace(REF, "  note_az: Bütün marşrutu sayır.\n", "")
    corpus.replace(REF, "  via: Test Outlet\n", "", count=2)
    err = fails_with(corpus, "reference 'fx-ref-turnover-2024': field 'indicator_id'",
                     "reference 'fx-ref-corridor-2024': field 'note_az'",
                     "reference 'fx-ref-corridor-2024': field 'via'",
                     "reference 'fx-ref-turnover-2024': field 'via'")
    assert err.count("data/reference.yaml:") >= 4


def test_fixture_corpus_checks(corpus):
    """The last good build of the fixture corpus holds the reference and its checks."""
    checks_ = pd.read_parquet(corpus.tables / "checks.parquet").set_index("figure_id")
    assert checks_.loc["fx-corridor-2024", "verdict"] == "understates"
    assert bool(checks_.loc["fx-corridor-2024", "qualifier_holds"]) is True
    assert checks_.loc["fx-turnover-2024", "verdict"] == "understates"
    assert checks_.loc["fx-companies", "verdict"] == "no_reference"
    assert "fx-turnover-growth-2024" not in checks_.index  # no growth rates registered
