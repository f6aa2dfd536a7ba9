"""Records → tables: formulas, scanner matching, derived rows, mentions review (etl/tables.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.build import default_scanner
from etl.register import load_register
from etl.schema import TABLES
from etl.tables import Mention, build_frames, evaluate_formula, mention_matches
from tests.conftest import FIXTURE_CORPUS


@pytest.mark.parametrize(("formula", "values", "expected"), [
    ("a / (1 + b / 100)", {"a": 110.0, "b": 10.0}, 100.0),
    ("x-2025 - y-2024", {"x-2025": 5.0, "y-2024": 3.0}, 2.0),
    ("-a * 2 + 0.5", {"a": 1.0}, -1.5),
    ("a / 1e3", {"a": 5000.0}, 5.0),
])
def test_evaluate_formula(formula, values, expected):
    value, names = evaluate_formula(formula, values)
    assert value == pytest.approx(expected)
    assert names == list(values)


@pytest.mark.parametrize(("formula", "needle"), [
    ("a ** 2", "only + - * / ( )"),
    ("a // 2", "only + - * / ( )"),
    ("__import__('os')", "unknown figure id '__import__'"),
    ("a + 'x'", "unexpected character"),
    ("a.real", "unexpected character"),
    ("abs(a)", "unknown figure id 'abs'"),
    ("a-b", "unknown figure id 'a-b'"),
    ("a / (b - b)", "division by zero"),
    ("a +", "not a valid arithmetic expression"),
    ("1 + 2", "uses no figure ids"),
    ("a < b", "unexpected character"),
])
def test_evaluate_formula_rejects(formula, needle):
    with pytest.raises(ValueError) as exc:
        evaluate_formula(formula, {"a": 1.0, "b": 2.0})
    assert needle in str(exc.value)


def _m(**kw):
    base = dict(start=0, end=3, text="x", value=3.5e6, value_high=None, unit="t",
                qualifier="more_than", per=None, kind="quantity")
    base.update(kw)
    return Mention(**base)


FIG = {"value": 3500000.0, "value_high": None, "unit": "t", "qualifier": "more_than",
       "per": None}


@pytest.mark.parametrize(("over", "ok"), [
    ({}, True),
    ({"value": 3500000.0000001}, True),
    ({"value": 3.6e6}, False),
    ({"unit": "USD"}, False),
    ({"unit": None}, False),
    ({"qualifier": "exact"}, False),
    ({"per": "year"}, False),
    ({"value_high": 4e6}, False),
])
def test_mention_matches(over, ok):
    assert mention_matches(_m(**over), FIG) is ok


def test_bare_number_matches_a_count():
    fig = dict(FIG, unit="count", value=250.0)
    assert mention_matches(_m(value=250.0, unit=None), fig)


@pytest.fixture(scope="module")
def frames():
    return build_frames(load_register(FIXTURE_CORPUS), default_scanner())


def test_frames_follow_the_contract(frames):
    for name, df in frames.items():
        assert list(df.columns) == TABLES[name].names, name
        assert len(df) > 0, name


def test_derived_row(frames):
    fig = frames["figures"].set_index("figure_id")
    d = fig.loc["fx-derived-turnover-2023"]
    assert d["kind"] == "derived"
    assert d["value"] == pytest.approx(400e6 / 1.25)
    assert d["inputs"] == "fx-turnover-2024,fx-turnover-growth-2024"
    assert d["source_id"] == "fx-deputat" and d["attributed_to"] == "derived"
    assert d["quote"] == (fig.loc["fx-turnover-2024", "quote"] + " … "
                          + fig.loc["fx-turnover-growth-2024", "quote"])
    assert pd.isna(d["quote_start"]) and pd.isna(d["quote_end"])
    assert d["reporting_side"] == "AZ"  # shared by both inputs
    assert list(frames["figures"]["figure_id"])[-1] == "fx-derived-turnover-2023"


def test_every_mention_is_reviewed(frames):
    m = frames["mentions"]
    assert set(m["status"]) == {"registered", "dismissed"}
    registered = m[m["status"] == "registered"]
    assert (registered["figure_id"].notna() | registered["event_id"].notna()).all()
    dismissed = m[m["status"] == "dismissed"]
    assert list(dismissed["reason"]) == ["Length of a visit, not an indicator."]
    assert "fx-council-2024-03" in set(m["event_id"].dropna())
    assert {"fx-corridor-2024", "fx-turnover-2024", "fx-turnover-growth-2024",
            "fx-companies"} <= set(m["figure_id"].dropna())
    # page chrome ("1234 baxış", "2026") is outside the bodies, so never scanned
    assert not m["text"].str.contains("1234|2026").any()
