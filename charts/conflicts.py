"""Two sources that disagree: same indicator, kind, unit and period, different values.

Both figures stay on the chart (outlined in red, labelled "⚠") and are listed under it.
"""

from __future__ import annotations

import pandas as pd

from etl.store import Tables


def _isna(v: object) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def conflicts(figures: pd.DataFrame) -> pd.DataFrame:
    """Rows whose indicator, kind, unit and period match a row from another source with a
    different value (or qualifier). Derived rows are not compared.

    >>> df = pd.DataFrame({"figure_id": ["a", "b"], "source_id": ["s1", "s2"],
    ...     "indicator_id": ["x", "x"], "kind": ["observed"] * 2, "unit": ["USD"] * 2,
    ...     "period_start": [None, None], "period_end": [None, None], "value": [1.0, 2.0],
    ...     "qualifier": ["exact"] * 2, "period_label": ["2024"] * 2})
    >>> list(conflicts(df)["figure_id"])
    ['a', 'b']
    """
    if figures.empty:
        return figures.iloc[0:0]
    keys = ["indicator_id", "kind", "unit", "period_start", "period_end", "period_label"]
    groups: dict[tuple, list] = {}
    cols = figures[["source_id", "value", "qualifier", *keys]]
    for idx, source, value, qualifier, *key_vals in cols.itertuples(name=None):
        if key_vals[1] == "derived":
            continue
        key = tuple("∅" if _isna(v) else str(v) for v in key_vals)
        groups.setdefault(key, []).append((idx, source, value, qualifier))
    flagged = []
    for members in groups.values():
        if len({m[1] for m in members}) < 2:
            continue
        if len({(m[2], m[3]) for m in members}) > 1:
            flagged.extend(m[0] for m in members)
    return figures.loc[flagged]



def table_conflicts(tables: Tables) -> pd.DataFrame:
    """``conflicts`` among every figure of ``tables`` (the pairs are within one indicator, so
    one indicator's conflicts are these rows of that indicator)."""
    return conflicts(tables.figures)
