"""Trade: turnover from every source, export/import split by reporting side, growth rates."""

import streamlit as st

from charts.catalogue import charts_on
from i18n.text import t
from ui import state
from ui.components import chart, tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_trade", lang))
st.info(t("trade_side_note", lang))
for spec in charts_on("trade"):
    chart(spec, tables, lang)
