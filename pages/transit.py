"""Transit & energy: Middle Corridor claim, Kazakhstan's transit forecast, oil agreement."""

import streamlit as st

from charts.catalogue import charts_on
from i18n.text import t
from ui import state
from ui.components import chart, tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_transit", lang))
for spec in charts_on("transit"):
    chart(spec, tables, lang)
