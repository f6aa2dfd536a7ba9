"""Overview: headline indicators as cards, progress towards the turnover target, newest articles."""

import streamlit as st

from charts.catalogue import CHARTS
from charts.citations import describe_source
from charts.headlines import headline_rows
from charts.progress import progress_text, target_progress
from i18n.text import localized, t
from ui import figures, state
from ui.claims import claims_card
from ui.components import chart, headline_card, plain, tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)

st.title(t("app_title", lang))
st.caption(t("overview_intro", lang))

heads = headline_rows(tables.figures, order=list(tables.indicators["indicator_id"]))
cols = st.columns(3)
for n, (_, row) in enumerate(heads.iterrows()):
    with cols[n % 3]:
        headline_card(row, tables, lang)
claims_card(tables, lang)

st.header(t("target_heading", lang))
prog = figures.per_build(target_progress, tables)
if prog is None:
    st.info(t("target_missing", lang))
elif prog["measured"] is None:
    st.info(t("target_no_measure", lang))
else:
    words = progress_text(prog, tables, lang)
    st.markdown(plain(words["sentence"]))
    if words["spread"]:
        st.warning(plain(words["spread"]), icon="⚠️")
    if words["caveat"]:
        st.markdown(f"**{plain(t('caveat_label', lang))}:** {plain(words['caveat'])}")
    st.caption(plain(words["formula"]))
    chart(CHARTS["overview-target-progress"], tables, lang)

st.header(t("newest_articles", lang))
newest = tables.sources.sort_values("published", ascending=False, na_position="last")
for _, src in newest.head(5).iterrows():
    st.markdown(f"**{plain(localized(src, 'title', lang))}**  \n"
                f"{plain(describe_source(src, lang))}")
