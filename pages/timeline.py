"""Timeline: events 1999 → 2029 on one chart, filterable by kind (kept in ?ev=)."""

from dataclasses import replace

import streamlit as st

from etl.schema import EVENT_KINDS
from ui import state
from ui.catalogue import CHARTS
from ui.components import chart, plain, tables_or_stop
from ui.fmt import format_date
from ui.i18n import t

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_timeline", lang))
st.caption(t("timeline_intro", lang))

present = [k for k in EVENT_KINDS if k in set(tables.events["kind"])]
kinds = state.url_widget(st.multiselect, t("timeline_filter", lang), present, "ev", present,
                         multi=True, format_func=lambda k: t(f"evkind_{k}", lang))
events = tables.events[tables.events["kind"].isin(kinds)]
view = replace(tables, events=events)
chart(CHARTS["timeline-events"], view, lang, rows=events)

title_col = "title_az" if lang == "az" else "title_en"
for _, ev in events.sort_values("date_start").iterrows():
    when = format_date(ev["date_start"], ev["precision"], lang)
    mark = f" *({t('date_basis_inferred', lang)})*" if ev["date_basis"] == "inferred" else ""
    kind = t(f"evkind_{ev['kind']}", lang) if ev["kind"] in EVENT_KINDS else ev["kind"]
    st.markdown(f"- **{plain(when)}** · {plain(kind)} · {plain(ev[title_col])}{mark}")

chart(CHARTS["diplomacy-people"], tables, lang)
