"""Timeline: events 1999 → 2029 on one chart, filterable by kind (kept in ?ev=)."""

from dataclasses import replace

import streamlit as st

from charts.catalogue import CHARTS
from etl.schema import EVENT_KINDS
from i18n.text import t
from ui import state
from ui.components import chart, event_list, tables_or_stop

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_timeline", lang))
st.caption(t("timeline_intro", lang))

present = [k for k in EVENT_KINDS if k in set(tables.events["kind"])]
kinds = state.url_widget(st.multiselect, t("timeline_filter", lang), present, "ev", present,
                         multi=True, format_func=lambda k: t(f"evkind_{k}", lang))
events = tables.events[tables.events["kind"].isin(kinds)]
chart(CHARTS["timeline-events"], replace(tables, events=events), lang, rows=events)
event_list(events, lang, with_kind=True)
chart(CHARTS["diplomacy-people"], tables, lang)
