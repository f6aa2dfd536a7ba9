"""The frame of the dashboard: page config, language/theme switches, navigation, page.run().

Run with ``streamlit run dashboard.py``. ``?embed=true&chart=<id>&lang=..`` hands the whole
page to the live embed of one chart (ui/live.py) before any navigation is built.
"""

import streamlit as st

from i18n.text import t
from ui import state
from ui.components import page_frame, tables_or_stop
from ui.live import render_live_embed

st.set_page_config(page_title="AZ–KZ", page_icon=":material/bar_chart:", layout="wide")

chart_id = state.query_value("chart")
if chart_id is not None:
    render_live_embed(chart_id, state.current_lang(), state.current_theme())
    st.stop()

lang = state.language_switch()
theme = state.theme_switch(lang)
page_frame(lang, theme)

pages = [
    st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.slug,
            default=(i == 0))
    for i, p in enumerate(state.PAGES)
]
page = st.navigation(pages)
# the browser tab names the page in the reader's language ("Ticarət · …"); a page config
# title without the page's would name every tab alike
st.set_page_config(page_title=f"{page.title} · {t('app_title', lang)}")
st.sidebar.caption(t("app_caption", lang))
tables_or_stop(lang)
page.run()
