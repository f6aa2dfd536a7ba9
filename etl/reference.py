"""The reference register (``data/reference.yaml``) → rows of the ``reference`` table.

Fields, types, vocabularies, duplicate ids and translations in sets are checked by
:mod:`etl.register` (``SPECS["reference"]``) like every register file; this module adds the
rules that need more than one field or another file, each reported as a
:class:`~etl.errors.Problem` naming file, record and field:

* the indicator exists and the unit fits it (a ``change`` is in percent or times);
* a flow has a period (start ≤ end), a stock only ``period_end``; ``page_date`` is not before
  the period ends (when known to the day) and is the first of its month/year when coarser;
* a ``change`` names its base period, other kinds do not; ``range`` has ``value_high``;
* ``url`` is an http(s) address; grade A (the body's own site) has no ``via``, grades B and C
  name the outlet; an unattributed figure is grade C.

Example:
    >>> from etl.register import Register
    >>> reg = Register(); reg.files["reference"] = "data/reference.yaml"
    >>> reg.records["reference"] = []
    >>> reference_rows(reg, {}, [])
    []
"""

from __future__ import annotations

from etl.errors import Problem
from etl.register import LINE, SPECS, Record, Register, record_name
from etl.schema import TABLES

CHANGE_UNITS = ("percent", "times")


def _rules(rec: Record, indicators: dict[str, Record], bad, indicators_file: str) -> None:
    iid, unit, kind = rec["indicator_id"], rec["unit"], rec["kind"]
    ind = indicators.get(iid) if iid else None
    if iid is not None and ind is None:
        bad("indicator_id", f"unknown indicator {iid!r} (not in {indicators_file})")
    elif ind is not None and unit is not None and kind is not None:
        allowed = CHANGE_UNITS if kind == "change" else (ind["unit"],)
        if unit not in allowed:
            bad("unit", f"unit {unit!r} does not fit indicator {iid!r} "
                f"(expected {' or '.join(allowed)} for kind {kind})")
    ps, pe, page = rec["period_start"], rec["period_end"], rec["page_date"]
    if ps is not None and pe is not None and ps > pe:
        bad("period_end", f"period_end {pe} is before period_start {ps}")
    if pe is not None and page is not None and rec["page_date_precision"] == "day" and pe > page:
        bad("page_date", f"page dated {page} cannot report a period ending {pe}")
    prec = rec["page_date_precision"]
    if page is not None and prec == "month" and page.day != 1:
        bad("page_date", f"precision month: use the first day of the month, not {page}")
    if page is not None and prec == "year" and (page.month, page.day) != (1, 1):
        bad("page_date", f"precision year: use January 1st, not {page}")
    if kind == "change" and not rec["base_period_label"]:
        bad("base_period_label", "required for kind change: the period the growth is against")
    if kind not in (None, "change") and rec["base_period_label"]:
        bad("base_period_label", "only for kind change")
    q, v, vh = rec["qualifier"], rec["value"], rec["value_high"]
    if q == "range" and vh is None:
        bad("value_high", "required when qualifier is range")
    elif q == "range" and v is not None and vh is not None and vh <= v:
        bad("value_high", f"upper end {vh:g} must exceed value {v:g}")
    elif q not in (None, "range") and vh is not None:
        bad("value_high", f"must be null unless qualifier is range (got {q})")
    url = rec["url"]
    if url is not None and not url.startswith(("https://", "http://")):
        bad("url", f"{url!r} is not an http(s) address of the page that states the figure")
    grade, via = rec["grade"], rec["via"]
    if grade == "A" and via:
        bad("via", "grade A means the body's own site: no outlet in between (drop via or "
            "grade the row B)")
    if grade in ("B", "C") and not via:
        bad("via", f"required for grade {grade}: the outlet that carried the figure")
    if rec["basis"] == "unattributed" and grade not in (None, "C"):
        bad("grade", f"an unattributed figure is grade C, not {grade}")


def reference_rows(reg: Register, indicators: dict[str, Record],
                   problems: list[Problem]) -> list[dict]:
    """Check each reference record against the other files; rows of the valid ones, by id."""
    display = reg.files["reference"]
    spec = SPECS["reference"]
    rows = []
    for rec in reg["reference"]:
        def bad(fld: str, msg: str, rec: Record = rec) -> None:
            problems.append(Problem(display, record_name(rec, spec), fld, msg,
                                    line=rec.get(LINE)))
            rec["__ok__"] = False

        _rules(rec, indicators, bad, reg.files["indicators"])
        if rec["__ok__"]:
            rows.append({c: rec.get(c) for c in TABLES["reference"].names})
    return sorted(rows, key=lambda r: r["reference_id"])
