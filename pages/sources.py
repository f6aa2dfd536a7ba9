"""Sources: each article's metadata and its text with the quoted passages highlighted."""

import streamlit as st

from i18n.text import localized, t
from ui import state
from ui.components import (
    article_meta,
    article_text,
    event_list,
    figure_list,
    tables_or_stop,
)

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_sources", lang))
st.caption(t("sources_intro", lang))

by_date = tables.sources.sort_values("published", na_position="last")
src_ids = list(by_date["source_id"])
titles = {r["source_id"]: localized(r, "title", lang) or r["source_id"]
          for _, r in tables.sources.iterrows()}
sid = state.url_widget(st.selectbox, t("source_select", lang), src_ids, "article", src_ids[0],
                      format_func=lambda s: str(titles.get(s, s))[:120])
src = tables.sources.set_index("source_id").loc[sid]
figs = tables.figures[tables.figures["source_id"] == sid]
evs = tables.events[tables.events["source_id"] == sid]

article_meta(src, tables, lang)
st.subheader(t("article_text", lang))
article_text(src, figs, evs, tables, lang)
st.subheader(t("figures_from_source", lang))
figure_list(figs, tables, lang)
if not evs.empty:
    st.subheader(t("events_from_source", lang))
    event_list(evs, lang)
