"""Sources: each article's metadata and its text with the quoted passages highlighted."""

import streamlit as st

from i18n.text import t
from ui import state
from ui.components import show_source, source_choices, source_view, tables_or_stop
from ui.figures import per_build

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_sources", lang))
st.caption(t("sources_intro", lang))

# the choice and the article's words once per build and language (ui.figures.per_build); the
# elements are drawn on every run
src_ids, titles = per_build(source_choices, tables, lang)
sid = state.url_widget(st.selectbox, t("source_select", lang), src_ids, "article", src_ids[0],
                      format_func=lambda s: str(titles.get(s, s))[:120])
show_source(per_build(source_view, tables, sid, lang), lang)
