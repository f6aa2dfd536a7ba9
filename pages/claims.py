"""Claims vs statistics: every checked claim beside the statistics official bodies reported,
filterable by indicator and verdict (kept in ?indicator= and ?verdict=)."""

import streamlit as st

from i18n.text import t
from ui import state
from ui.claims import claims_list
from ui.components import tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_claims", lang))
st.caption(t("claims_intro", lang))
claims_list(tables, lang)
