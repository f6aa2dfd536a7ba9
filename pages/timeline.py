"""Timeline: events 1999 → 2029 on one chart and as a list, filterable by kind (kept in ?ev=),
with an "only this kind" choice and targets/forecasts that can be switched off (?horizons=off)."""

from dataclasses import replace

import streamlit as st

from charts.catalogue import CHARTS
from etl.schema import EVENT_KINDS
from i18n.text import t
from ui import state
from ui.components import chart, show_timeline, tables_or_stop, timeline_of_kinds
from ui.figures import per_build

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_timeline", lang))
st.caption(t("timeline_intro", lang))

present = [k for k in EVENT_KINDS if k in set(tables.events["kind"])]
c1, c2 = st.columns([3, 2])
with c2:
    state.only_this_kind(t("timeline_only", lang), present, "ev",
                         format_func=lambda k: t(f"evkind_{k}", lang))
with c1:
    kinds = state.url_widget(st.multiselect, t("timeline_filter", lang), present, "ev", present,
                             multi=True, format_func=lambda k: t(f"evkind_{k}", lang))
show_horizons = state.url_toggle(t("timeline_horizons", lang), "horizons", True)
events = tables.events[tables.events["kind"].isin(kinds)]
figures = tables.figures
if not show_horizons:
    figures = figures[~figures["kind"].isin(["target", "forecast"])]
# filtered tables are not the build: no build_id, so the shared figure cache (ui/figures.py)
# draws this selection instead of returning the whole timeline; unfiltered, they are the build
shown = (tables if set(kinds) == set(present) and show_horizons
         else replace(tables, events=events, figures=figures, build_id=""))
with st.container(key="timeline-chart"):
    # unfiltered, the chart's own rows (all events): what follows it is shared per build
    chart(CHARTS["timeline-events"], shown, lang, rows=None if shown is tables else events)
with st.container(key="timeline-list"):
    # the items' words once per build, language and choice of kinds; drawn on every run
    show_timeline(per_build(timeline_of_kinds, tables, lang, ",".join(kinds)), lang)
chart(CHARTS["diplomacy-people"], tables, lang)
