"""Claims against reported statistics: one verdict per quoted figure (data/README.md, "Checks").

Pure logic, DataFrames in and out: :func:`build_checks` takes the ``figures``, ``reference`` and
``mentions`` tables (etl/schema.py) and returns the ``checks`` table. The rules, in order:

1. **Which figures.** Every figure of kind ``observed``; a figure of kind ``change`` only when
   the reference holds growth rates (kind ``change``) for its indicator.
2. **Candidates.** References of the figure's indicator, of the same kind (observed ↔ observed,
   change ↔ change) and the same ``per``. None → ``no_reference``.
3. **Period.** A flow (``period_start`` given) fits a reference of exactly the same period; a
   stock (only ``period_end``, the date it refers to) fits a stock of the same calendar month.
   References whose periods only *overlap* the claim's → ``not_comparable`` (rule names them);
   none overlapping → ``no_reference``.
4. **Reporting side.** A claim of one side (AZ/KZ) fits references of that side or of none;
   a claim of no side fits any. Only the other side's → ``not_comparable``.
5. **Definition.** A claim with a ``definition`` fits references of that definition or of none.
   A claim without one fits references of no definition, or of the one definition in use;
   references under several definitions → ``not_comparable`` (the claim does not say which).
6. **Tie-break** among the fitting references: same reporting side, same definition, higher
   grade (A, B, C), statistics before statements before unattributed figures, later page date,
   then the id. The others are listed in ``candidates``.
7. **Verdict.** The tolerance is half the last digit the quote shows ("3,5 milyon" → ±0.05
   million; :func:`quote_step`). Within it → ``matches``; below → ``understates``; above →
   ``overstates``. ``gap`` = claim value − reference value (in the claim's unit), ``gap_pct`` =
   gap / reference × 100. A change in ``times`` and one in ``percent`` are compared as
   percent = (times − 1) × 100.
8. **Qualifier.** The verdict compares the quoted number; ``qualifier_holds`` says whether the
   claim's words are true of the reference: more than (reference > number), at least (≥), less
   than (<), up to (≤), range (reference inside it, within the tolerance); null for exact and
   approximate claims. "More than 3.5 Mt" against 4.48 Mt: understates, qualifier holds.

Example:
    >>> quote_step("3,5 milyon tonu keçmişdir", 3_500_000)
    100000.0
    >>> quote_step("dörd dəfə", 4)
    1.0
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from etl.schema import TABLES

CHECKED_KINDS = ("observed", "change")
CHANGE_UNITS = ("percent", "times")
GRADE_RANK = {"A": 0, "B": 1, "C": 2}
BASIS_RANK = {"statistics": 0, "statement": 1, "unattributed": 2}
TIE_BREAKS = ("same reporting side", "same definition", "higher grade",
              "statistics before statements", "later page date", "reference id")
QUALIFIED = ("more_than", "at_least", "less_than", "up_to", "range")

_NUMBER = re.compile(r"\d+(?:[.,\u0020\u00a0\u202f]\d+)*")
_EPS = 1e-9


def _plain(value: Any) -> Any:
    """A table cell as plain Python: NaN/NaT/NA → None, Timestamps → dates."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or (not isinstance(value, str | bool | int | float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def _magnitude(value: float) -> int:
    return math.floor(math.log10(abs(value))) if value else 0


def _value_step(value: float) -> float:
    """The last significant digit of ``value`` itself (for numbers written in words)."""
    if value == 0:
        return 1.0
    digits = f"{abs(value):.12g}".split("e")[0].replace(".", "").lstrip("0").rstrip("0") or "1"
    return 10.0 ** (_magnitude(value) - len(digits) + 1)


def quote_step(text: str | None, value: float) -> float:
    """The step of the last digit the quoted number shows, in the figure's base units.

    ``text`` is the expression as printed ("598,47 milyon dollar"), ``value`` its registered
    value (598470000): five digits shown, so the step is 10,000. Words ("dörd dəfə") and
    texts whose digits do not spell the value fall back to the value's own last significant
    digit.

    >>> quote_step("598,47 milyon dollar", 598_470_000)
    10000.0
    >>> quote_step("250-dən artıq", 250)
    1.0
    """
    if value == 0:
        return 1.0
    match = _NUMBER.search(text or "")
    if match:
        digits = re.sub(r"\D", "", match.group()).lstrip("0") or "0"
        step = 10.0 ** (_magnitude(value) - len(digits) + 1)
        if digits != "0" and math.isclose(int(digits) * step, abs(value), rel_tol=1e-9):
            return step
    return _value_step(value)


@dataclass(frozen=True)
class Verdict:
    reference_id: str | None
    verdict: str
    gap: float | None
    gap_pct: float | None
    qualifier_holds: bool | None
    rule: str
    candidates: str | None


def _is_stock(rec: dict) -> bool:
    return rec.get("period_start") is None and rec.get("period_end") is not None


def _month(d: dt.date) -> tuple[int, int]:
    return d.year, d.month


def _same_period(fig: dict, ref: dict) -> bool:
    if _is_stock(fig) or _is_stock(ref):
        return _is_stock(fig) and _is_stock(ref) \
            and _month(fig["period_end"]) == _month(ref["period_end"])
    return fig["period_start"] == ref["period_start"] and fig["period_end"] == ref["period_end"]


def _overlaps(fig: dict, ref: dict) -> bool:
    if _is_stock(fig) or _is_stock(ref):
        return _same_period(fig, ref)
    return fig["period_start"] <= ref["period_end"] and ref["period_start"] <= fig["period_end"]


def _ids(refs: Iterable[dict]) -> str:
    return ", ".join(f"{r['reference_id']} ({r['period_label']})" for r in refs)


def _in_unit(ref: dict, unit: str) -> tuple[float, float]:
    """The reference's value (and upper end) in ``unit`` (percent ↔ times for changes)."""
    lo = ref["value"]
    hi = ref["value_high"] if ref.get("value_high") is not None else lo
    if ref["unit"] == unit:
        return lo, hi
    if (ref["unit"], unit) == ("times", "percent"):
        return (lo - 1) * 100, (hi - 1) * 100
    if (ref["unit"], unit) == ("percent", "times"):
        return 1 + lo / 100, 1 + hi / 100
    raise ValueError(f"cannot compare {ref['unit']} with {unit}")


def _rank(fig: dict, ref: dict) -> tuple:
    side, definition = fig.get("reporting_side"), fig.get("definition")
    return (0 if side and ref.get("reporting_side") == side else 1,
            0 if definition and ref.get("definition") == definition else 1,
            GRADE_RANK[ref["grade"]], BASIS_RANK[ref["basis"]],
            -ref["page_date"].toordinal(), ref["reference_id"])


def _fmt(x: float) -> str:
    """A number for the rule text: digits grouped, no exponent.

    >>> _fmt(4_480_000), _fmt(-47.9), _fmt(0.5)
    ('4 480 000', '-47.9', '0.5')
    """
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:,.10g}".replace(",", " ")


def _for(label: str) -> str:
    return label if label.startswith("as of") else f"for {label}"


def _qualifier_holds(fig: dict, lo: float, hi: float, tol: float) -> bool | None:
    q, x = fig["qualifier"], fig["value"]
    if q == "more_than":
        return lo > x
    if q == "at_least":
        return lo >= x
    if q == "less_than":
        return hi < x
    if q == "up_to":
        return hi <= x
    if q == "range":
        return x - tol <= lo + _EPS and hi <= fig["value_high"] + tol + _EPS
    return None


def check_figure(fig: dict, references: list[dict], tolerance: float) -> Verdict:
    """The verdict for one figure (a dict of figure columns plus ``definition``) against the
    reference rows; ``tolerance`` in the figure's unit."""
    label = fig["period_label"]

    def none(verdict: str, rule: str) -> Verdict:
        return Verdict(None, verdict, None, None, None, rule, None)

    per = fig.get("per") or None
    same_kind = [r for r in references if r["indicator_id"] == fig["indicator_id"]
                 and r["kind"] == fig["kind"] and (r.get("per") or None) == per]
    if not same_kind:
        return none("no_reference", f"no reported {fig['kind']} figure for indicator "
                                    f"{fig['indicator_id']}")
    if fig.get("period_end") is None:
        return none("no_reference", "the claim states no period to compare")
    overlapping = [r for r in same_kind if _overlaps(fig, r)]
    if not overlapping:
        return none("no_reference", f"no reported figure {_for(label)} (reported periods: "
                                    f"{', '.join(sorted({r['period_label'] for r in same_kind}))})")
    same = [r for r in overlapping if _same_period(fig, r)]
    if not same:
        return none("not_comparable", f"reported only for other periods overlapping {label}: "
                                      f"{_ids(overlapping)}")
    side = fig.get("reporting_side")
    sided = [r for r in same if side is None or r.get("reporting_side") in (None, side)]
    if not sided:
        others = sorted({r["reporting_side"] for r in same})
        return none("not_comparable", f"{label} is reported only by the other reporting side "
                                      f"({', '.join(others)}): {_ids(same)}; claim is {side}")
    definition = fig.get("definition")
    in_use = sorted({r["definition"] for r in sided if r.get("definition")})
    if definition:
        fitting = [r for r in sided if r.get("definition") in (None, definition)]
        if not fitting:
            return none("not_comparable", f"{label} is reported only under another definition "
                                          f"({', '.join(in_use)}): {_ids(sided)}; claim counts "
                                          f"{definition}")
    elif len(in_use) > 1:
        return none("not_comparable", f"{label} is reported under several definitions "
                                      f"({', '.join(in_use)}) and the claim does not say which "
                                      f"it counts: {_ids(sided)}")
    else:
        fitting = sided
    ranked = sorted(fitting, key=lambda r: _rank(fig, r))
    best, others = ranked[0], ranked[1:]
    lo, hi = _in_unit(best, fig["unit"])
    value = fig["value"]
    top = fig["value_high"] if fig.get("value_high") is not None else value
    if top + tolerance < lo - _EPS * max(1.0, abs(lo)):
        verdict, why = "understates", "below"
    elif value - tolerance > hi + _EPS * max(1.0, abs(hi)):
        verdict, why = "overstates", "above"
    else:
        verdict, why = "matches", "within"
    gap = value - lo
    gap_pct = gap / lo * 100 if lo else None
    unit = fig["unit"]
    conv = f" ({best['unit']} read as {unit})" if best["unit"] != unit else ""
    rule = (f"{label}: claim {_fmt(value)} {unit} (±{_fmt(tolerance)}, the quote's rounding) "
            f"is {why} {best['reference_id']} = {_fmt(lo)} {unit}{conv}")
    holds = _qualifier_holds(fig, lo, hi, tolerance)
    if holds is not None:
        rule += f"; qualifier {fig['qualifier']} {'holds' if holds else 'does not hold'}"
    if others:
        first = _rank(fig, best)
        reasons = []
        for r in others:
            k = next(i for i, (a, b) in enumerate(zip(first, _rank(fig, r), strict=True))
                     if a != b)
            reasons.append(f"{r['reference_id']} by {TIE_BREAKS[k]}")
        rule += "; picked over " + ", ".join(reasons)
    return Verdict(best["reference_id"], verdict, gap, gap_pct, holds, rule,
                   ", ".join(r["reference_id"] for r in others) or None)


def tolerances(figures: pd.DataFrame, mentions: pd.DataFrame) -> dict[str, float]:
    """Half the quote's last shown digit per figure, read from the figure's mention (the
    expression the scanner matched to the registered value); figures without one use their
    value's last significant digit."""
    by_figure: dict[str, list[dict]] = {}
    for m in _records(mentions):
        if m.get("figure_id") and m.get("value") is not None:
            by_figure.setdefault(m["figure_id"], []).append(m)
    out = {}
    for f in _records(figures):
        text = next((m["text"] for m in by_figure.get(f["figure_id"], [])
                     if math.isclose(m["value"], f["value"], rel_tol=1e-9)), None)
        out[f["figure_id"]] = quote_step(text, f["value"]) / 2
    return out


def build_checks(figures: pd.DataFrame, reference: pd.DataFrame,
                 mentions: pd.DataFrame) -> pd.DataFrame:
    """The ``checks`` table: one row per checked figure (module docstring), by figure id."""
    refs = _records(reference)
    change_indicators = {r["indicator_id"] for r in refs if r["kind"] == "change"}
    tol = tolerances(figures, mentions)
    rows = []
    for fig in sorted(_records(figures), key=lambda f: f["figure_id"]):
        if fig["kind"] not in CHECKED_KINDS:
            continue
        if fig["kind"] == "change" and fig["indicator_id"] not in change_indicators:
            continue
        v = check_figure(fig, refs, tol[fig["figure_id"]])
        rows.append({"figure_id": fig["figure_id"], "reference_id": v.reference_id,
                     "verdict": v.verdict, "gap": v.gap, "gap_pct": v.gap_pct,
                     "qualifier_holds": v.qualifier_holds, "rule": v.rule,
                     "tolerance": tol[fig["figure_id"]], "candidates": v.candidates})
    schema = TABLES["checks"].arrow_schema()
    return pa.Table.from_pylist(rows, schema=schema).to_pandas()
