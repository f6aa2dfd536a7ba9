"""Investment & business: investment stocks both ways, companies with Kazakh capital."""

import streamlit as st

from charts.catalogue import charts_on
from i18n.text import t
from ui import state
from ui.components import chart, tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_investment", lang))
for spec in charts_on("investment"):
    chart(spec, tables, lang)
