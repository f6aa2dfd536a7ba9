"""Newsroom embeds: iframe snippets and the live (Streamlit) rendering of one chart.

Two kinds of embed exist for every chart in ``ui.catalogue.CHARTS``:

- *static*: a self-contained HTML page written by ``python -m etl embeds`` (``ui/export.py``) and
  served by ``ui/server.py`` under ``/embed/<lang>/<chart_id>``; no cookies, no websocket;
- *live*: the dashboard itself opened with ``?embed=true&chart=<id>&lang=<lang>``, where
  ``dashboard.py`` hands over to :func:`render_live_embed`.

Configuration comes from the environment so one build serves any deployment:
``AZKZ_BASE_URL`` (public address of the server, default ``http://localhost:8501``) and
``AZKZ_FRAME_ANCESTORS`` (space-separated origins allowed to frame the embeds, default ``*``).
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from urllib.parse import urlencode

LANGS = ("az", "en")
DEFAULT_BASE_URL = "http://localhost:8501"
# A chart id is a slug; anything else (dots, slashes, percent signs, NUL) is refused before any
# lookup, so an id can never name a file outside the export.
CHART_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Initial iframe heights (CSS px) before the embed reports its own height.
STATIC_HEIGHT = 520
LIVE_HEIGHT = 640
HEIGHT_MESSAGE = "azkz-embed-height"
ROOT = Path(__file__).resolve().parent.parent

# Interface strings of the embeds themselves (chart titles and source lines come from
# ui.i18n / ui.citations).
TEXT = {
    "open_dashboard": {"az": "İnteraktiv paneldə açın", "en": "Open in the dashboard"},
    "not_found": {
        "az": "Belə qrafik yoxdur: «{chart}». Mövcud qrafiklər panelin «Yerləşdir» "
              "bölməsində sadalanır.",
        "en": "There is no chart called “{chart}”. The available charts are listed in the "
              "dashboard's embed section.",
    },
    "unavailable": {
        "az": "Məlumatlar hazırda əlçatan deyil. Bir az sonra yenidən cəhd edin.",
        "en": "The data is not available right now. Please try again later.",
    },
    "data_table": {"az": "Qrafikin rəqəmləri", "en": "The chart's numbers"},
    "col_indicator": {"az": "Göstərici", "en": "Indicator"},
    "col_period": {"az": "Dövr", "en": "Period"},
    "col_value": {"az": "Rəqəm", "en": "Figure"},
    "col_quote": {"az": "Sitat", "en": "Quote"},
    "col_date": {"az": "Tarix", "en": "Date"},
    "col_event": {"az": "Hadisə", "en": "Event"},
    "embed_index": {"az": "Yerləşdirilə bilən qrafiklər", "en": "Embeddable charts"},
    "static": {"az": "Statik", "en": "Static"},
    "copy": {"az": "Kopyala", "en": "Copy"},
    "live": {"az": "Canlı", "en": "Live"},
}


def text(key: str, lang: str, **fields: str) -> str:
    """Embed interface string in ``lang`` (``az`` or ``en``), with ``{fields}`` filled in.

    Example:
        >>> text("col_quote", "az")
        'Sitat'
    """
    return TEXT[key][lang if lang in LANGS else "az"].format(**fields)


def base_url() -> str:
    """Public address of the server, from ``AZKZ_BASE_URL``, without a trailing slash.

    Example:
        >>> base_url()  # with AZKZ_BASE_URL unset
        'http://localhost:8501'
    """
    url = os.environ.get("AZKZ_BASE_URL", "").strip() or DEFAULT_BASE_URL
    if not re.match(r"^https?://[^\s\"'<>]+$", url):
        raise ValueError(f"AZKZ_BASE_URL must be an http(s) URL without spaces or quotes, "
                         f"got {url!r}")
    return url.rstrip("/")


def frame_ancestors() -> str:
    """CSP ``frame-ancestors`` source list, from ``AZKZ_FRAME_ANCESTORS`` (default ``*``).

    Example:
        >>> os.environ["AZKZ_FRAME_ANCESTORS"] = "https://news.example  'self'"
        >>> frame_ancestors()
        "https://news.example 'self'"
        >>> del os.environ["AZKZ_FRAME_ANCESTORS"]
    """
    value = " ".join(os.environ.get("AZKZ_FRAME_ANCESTORS", "").split()) or "*"
    # A CSP source list is separated by spaces and ends a directive at ';' or ','; refuse those
    # so the variable cannot smuggle other directives into the header.
    if any(ch in value for ch in ";,\r\n") or not value.isprintable():
        raise ValueError(f"AZKZ_FRAME_ANCESTORS must be a space-separated list of CSP sources, "
                         f"got {value!r}")
    return value


def is_chart_id(chart_id: str) -> bool:
    """True when ``chart_id`` has the shape of a chart id (a lowercase slug).

    Example:
        >>> is_chart_id("trade_turnover"), is_chart_id("../etc/passwd")
        (True, False)
    """
    return bool(CHART_ID_RE.match(chart_id))


def static_url(chart_id: str, lang: str, base: str | None = None) -> str:
    """Address of a chart's static embed page."""
    return f"{base or base_url()}/embed/{lang}/{chart_id}"


def live_url(chart_id: str, lang: str, base: str | None = None) -> str:
    """Address of a chart's live embed (the dashboard in embed mode)."""
    query = urlencode({"embed": "true", "chart": chart_id, "lang": lang})
    return f"{base or base_url()}/?{query}"


def host_script_url(base: str | None = None) -> str:
    """Address of the host script that resizes embed iframes."""
    return f"{base or base_url()}/embed/host.js"


def _iframe(src: str, title: str, height: int, kind: str, chart_id: str) -> str:
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" '
        f'data-azkz-embed="{kind}" data-azkz-chart="{html.escape(chart_id)}" '
        f'style="width:100%;max-width:100%;min-width:280px;border:0" height="{height}" '
        f'loading="lazy"></iframe>'
    )


def iframe_snippets_for(chart_id: str, lang: str, title: str,
                        base: str | None = None) -> dict[str, str]:
    """Copy-paste HTML for one chart: ``{"static": ..., "live": ...}``.

    Each snippet is the iframe (with ``title`` for screen readers, full width of its column)
    followed by the one-line host script include that lets the iframe size itself.

    Example:
        >>> s = iframe_snippets_for("trade_turnover", "en", "Trade", "https://x.example")
        >>> s["static"].splitlines()[1]
        '<script src="https://x.example/embed/host.js" async></script>'
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    if not is_chart_id(chart_id):
        raise ValueError(f"not a chart id: {chart_id!r}")
    base = base or base_url()
    script = f'<script src="{html.escape(host_script_url(base))}" async></script>'
    return {
        "static": _iframe(static_url(chart_id, lang, base), title, STATIC_HEIGHT, "static",
                          chart_id) + "\n" + script,
        "live": _iframe(live_url(chart_id, lang, base), title, LIVE_HEIGHT, "live",
                        chart_id) + "\n" + script,
    }


def chart_title(chart_id: str, lang: str) -> str:
    """Title of a chart from the catalogue, in ``lang``; KeyError for an unknown chart."""
    from ui.catalogue import CHARTS
    from ui.i18n import t

    return t(CHARTS[chart_id].title_key, lang)


def iframe_snippets(chart_id: str, lang: str) -> dict[str, str]:
    """Snippets for a chart of the catalogue (see :func:`iframe_snippets_for`).

    Raises KeyError naming the chart when it is not in ``ui.catalogue.CHARTS``.
    """
    from ui.catalogue import CHARTS

    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart id {chart_id!r}; known: {sorted(CHARTS)}")
    return iframe_snippets_for(chart_id, lang, chart_title(chart_id, lang))


def embed_figure(fig):
    """The figure as an embed shows it: the page carries the title, the width follows the
    column. Returns the same figure, changed in place."""
    top = fig.layout.margin.t
    fig.update_layout(title=None, width=None, autosize=True,
                      margin={"t": 36 if top is None else min(top, 36)})
    return fig


# Live embed ---------------------------------------------------------------------------------

# Reports the embed's height to the host page (see ui/static/embed-host.js), like the static
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

    Called by ``dashboard.py`` for ``?embed=true&chart=<id>&lang=<lang>``. An unknown chart
    id, unreadable tables or a failing chart give a short message for the reader, never a
    traceback (the failure is logged).
    """
    import logging

    import streamlit as st

    from ui.catalogue import CHARTS
    from ui.citations import sources_line
    from ui.components import caveats, conflict_warning, page_theme_css, plain
    from ui.data import TablesUnavailable, cached_tables
    from ui.i18n import parse_lang, t

    lang = parse_lang(lang)
    st.html(_LIVE_CSS + page_theme_css(theme))
    spec = CHARTS.get(chart_id) if isinstance(chart_id, str) else None
    if spec is None:
        st.info(plain(text("not_found", lang, chart=str(chart_id)[:64])))
        return
    try:
        tables = cached_tables()
    except TablesUnavailable as exc:
        logging.getLogger(__name__).warning("live embed %s: %s", chart_id, exc)
        st.warning(text("unavailable", lang))
        return
    st.markdown(f"#### {plain(t(spec.title_key, lang))}")
    try:
        fig = embed_figure(spec.build(tables, lang, theme))
        rows = spec.rows(tables)
        described = spec.describe(tables, lang)
    except Exception:  # a broken chart must not show a traceback to a newsroom's readers
        logging.getLogger(__name__).exception("live embed %s failed", chart_id)
        st.warning(t("unexpected_error", lang))
        return
    st.plotly_chart(fig, width="stretch", theme=None, alt=described[:500],
                    config={"displaylogo": False, "responsive": True})
    line = sources_line(rows, tables, lang)
    if line:
        st.caption(plain(line))
    conflict_warning(rows, tables, lang)
    caveats(rows, tables, lang)
    url = f"{base_url()}/?{urlencode({'lang': lang})}"
    st.markdown(f"[{plain(text('open_dashboard', lang))} ↗]({url})")
    st.html(_LIVE_HEIGHT_JS % {"type": HEIGHT_MESSAGE, "id": json.dumps(chart_id)},
            unsafe_allow_javascript=True)
