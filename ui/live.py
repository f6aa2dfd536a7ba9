"""The live embed: the dashboard opened with ``?embed=true&chart=<id>&lang=<lang>`` shows one
chart with its title, sources and caveats, and nothing else.

It draws the chart with the pages' own component (``ui.components.chart`` in embed mode), so
a live embed and the page it comes from never differ. Called by ``dashboard.py`` before any
navigation is built.
"""

from __future__ import annotations

import json
import logging

import streamlit as st

from charts.catalogue import CHARTS
from charts.embed import HEIGHT_MESSAGE, dashboard_url
from etl.store import TablesUnavailable
from i18n.text import parse_lang, t
from ui.components import chart, page_frame, plain
from ui.data import cached_tables

log = logging.getLogger(__name__)

# Reports the embed's height to the host page (see web/static/embed-host.js), like the static
# embeds do. Runs in the Streamlit page itself (st.html is not iframed).
_LIVE_HEIGHT_JS = """<script>
(function () {
  if (window.parent === window || window.__azkzHeight) return;
  window.__azkzHeight = true;
  var last = 0;
  function post() {
    var main = document.querySelector('[data-testid="stMainBlockContainer"]')
      || document.body;
    var h = Math.ceil(main.getBoundingClientRect().height) + 16;
    if (h !== last) {
      last = h;
      window.parent.postMessage({type: "%(type)s", id: %(id)s, height: h}, "*");
    }
  }
  new ResizeObserver(post).observe(document.body);
  window.addEventListener("load", post);
  setInterval(post, 1000);
})();
</script>"""

_LIVE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem !important; max-width: none; }
</style>"""


def render_live_embed(chart_id: str, lang: str, theme: str = "light") -> None:
    """Render one chart with its title, sources and caveats, and nothing else, in Streamlit.

    An unknown chart id, unreadable tables or a failing chart give a short message for the
    reader, never a traceback (the failure is logged).
    """
    lang = parse_lang(lang)
    st.html(_LIVE_CSS)
    page_frame(lang, theme)
    spec = CHARTS.get(chart_id) if isinstance(chart_id, str) else None
    if spec is None:
        st.info(t("embed_not_found", lang))
        # The id comes from the URL: plain text, so no Markdown, HTML or Streamlit directive
        # (":material/…:", ":red[…]", emoji shortcodes) in it is ever interpreted.
        st.text(f"{t('embed_requested_chart', lang)} {str(chart_id)[:64]}")
        return
    try:
        tables = cached_tables()
    except TablesUnavailable as exc:
        log.warning("live embed %s: %s", chart_id, exc)
        st.warning(t("embed_data_unavailable", lang))
        return
    st.markdown(f"#### {plain(spec.title(lang))}")
    if chart(spec, tables, lang, theme, embed=True):
        st.markdown(f"[{plain(t('embed_open_dashboard', lang))} ↗]({dashboard_url(lang)})")
    st.html(_LIVE_HEIGHT_JS % {"type": HEIGHT_MESSAGE, "id": json.dumps(chart_id)},
            unsafe_allow_javascript=True)
