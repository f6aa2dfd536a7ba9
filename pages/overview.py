"""Overview: headline indicators as cards, progress towards the turnover target, newest articles."""

import streamlit as st

from charts.catalogue import CHARTS
from charts.progress import target_progress
from i18n.text import t
from ui import figures, state
from ui.claims import claims_card
from ui.components import (
    chart,
    headline_cards,
    newest_articles,
    plain,
    progress_words,
    tables_or_stop,
)

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)

st.title(t("app_title", lang))
st.caption(t("overview_intro", lang))

# the cards are made once per build and language (ui.figures.per_build), one element
st.html(figures.per_build(headline_cards, tables, lang))
claims_card(tables, lang)

st.header(t("target_heading", lang))
prog = figures.per_build(target_progress, tables)
if prog is None:
    st.info(t("target_missing", lang))
elif prog["measured"] is None:
    st.info(t("target_no_measure", lang))
else:
    words = figures.per_build(progress_words, tables, lang)
    st.markdown(plain(words["sentence"]))
    if words["spread"]:
        st.warning(plain(words["spread"]), icon="⚠️")
    if words["caveat"]:
        st.markdown(f"**{plain(t('caveat_label', lang))}:** {plain(words['caveat'])}")
    st.caption(plain(words["formula"]))
    chart(CHARTS["overview-target-progress"], tables, lang)

st.header(t("newest_articles", lang))
for line in figures.per_build(newest_articles, tables, lang):
    st.markdown(line)
