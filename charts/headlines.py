"""The Overview's headline cards: one figure per indicator, chosen by kind and recency.

Example:
    >>> import pandas as pd
    >>> f = pd.DataFrame({"indicator_id": ["x", "x"], "kind": ["target", "observed"],
    ...     "period_start": pd.to_datetime([None, None]),
    ...     "period_end": pd.to_datetime(["2030-12-31", None])})
    >>> list(headline_rows(f)["kind"])
    ['observed']
"""

from __future__ import annotations

import pandas as pd

# Reported values first, then agreements, forecasts, targets; changes and derived rows are not
# headlines.
HEADLINE_RANK = {"observed": 0, "agreement": 1, "forecast": 2, "target": 3}


def headline_rows(figures: pd.DataFrame, order: list[str] | None = None) -> pd.DataFrame:
    """Latest quoted figure per indicator, best kind first; in ``order`` of indicator ids when
    given (the indicators table's order), else in order of rank and date."""
    f = figures[figures["kind"].isin(HEADLINE_RANK)].copy()
    f["_rank"] = f["kind"].map(HEADLINE_RANK)
    f["_when"] = f["period_end"].fillna(f["period_start"])
    f = f.sort_values(["_rank", "_when"], ascending=[True, False], na_position="last")
    heads = f.groupby("indicator_id", sort=False).head(1).drop(columns=["_rank", "_when"])
    if order is not None:
        position = {ind: n for n, ind in enumerate(order)}
        heads = heads[heads["indicator_id"].isin(position)]
        heads = heads.iloc[sorted(range(len(heads)),
                                  key=lambda i: position[heads["indicator_id"].iloc[i]])]
    return heads
