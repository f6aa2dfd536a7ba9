"""Overview: headline indicators as cards, progress towards the turnover target, newest articles."""

import pandas as pd
import streamlit as st

from ui import state
from ui.catalogue import CHARTS
from ui.charts import figure_text, indicator_label, is_inferred, period_text, target_progress
from ui.citations import describe_source
from ui.components import chart, plain, tables_or_stop
from ui.fmt import format_ratio
from ui.i18n import t

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)

st.title(t("app_title", lang))
st.caption(t("overview_intro", lang))


def headline_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Latest quoted figure per indicator (reported values first, then agreements, forecasts,
    targets); changes and derived rows are not headlines."""
    rank = {"observed": 0, "agreement": 1, "forecast": 2, "target": 3}
    f = figures[figures["kind"].isin(rank)].copy()
    f["_rank"] = f["kind"].map(rank)
    f["_when"] = f["period_end"].fillna(f["period_start"])
    f = f.sort_values(["_rank", "_when"], ascending=[True, False], na_position="last")
    return f.groupby("indicator_id", sort=False).head(1)


heads = headline_rows(tables.figures)
order = list(tables.indicators["indicator_id"])
present = set(heads["indicator_id"])
heads = heads.set_index("indicator_id").reindex([i for i in order if i in present])
cols = st.columns(3)
sources = tables.sources.set_index("source_id")
for n, (ind, row) in enumerate(heads.iterrows()):
    row = row.copy()
    row["indicator_id"] = ind
    with cols[n % 3].container(border=True):
        value = figure_text(row, lang) + ("*" if is_inferred(row, tables) else "")
        st.metric(plain(indicator_label(tables, ind, lang)), value)
        side = row.get("reporting_side")
        lines = [t("card_period", lang, period=period_text(row, tables, lang))]
        if row["kind"] != "observed":
            lines.append(t(f"kind_{row['kind']}", lang))
        if isinstance(side, str) and side in ("AZ", "KZ"):
            lines.append(t("card_side", lang, side=t(f"side_{side}", lang)))
        if row["source_id"] in sources.index:
            lines.append(describe_source(sources.loc[row["source_id"]], lang))
        st.caption(plain(" · ".join(lines)))

st.header(t("target_heading", lang))
prog = target_progress(tables)
if prog is None:
    st.info(t("target_missing", lang))
elif prog["measured"] is None:
    st.info(t("target_no_measure", lang))
else:
    m, tg = prog["measured"], prog["target"]
    st.markdown(plain(t("target_measured", lang, measured=figure_text(m, lang),
                        period=period_text(m, tables, lang),
                        ratio=format_ratio(prog["ratio"], lang),
                        target=figure_text(tg, lang))))
    st.caption(plain(t("target_formula", lang, measured_id=m["figure_id"],
                       target_id=tg["figure_id"])))
    chart(CHARTS["overview-target-progress"], tables, lang)

st.header(t("newest_articles", lang))
newest = tables.sources.sort_values("published", ascending=False, na_position="last")
for _, src in newest.head(5).iterrows():
    st.markdown(f"**{plain(src['title'])}**  \n{plain(describe_source(src, lang))}")
