"""View state that lives in the URL: language, chart theme, page, filters.

Widgets are bound to query parameters (``bind="query-params"``, Streamlit >= 1.66), so a copied
link restores the view and Streamlit itself drops values that are not among a widget's options
(``?lang=<script>`` falls back to the default). The page is the URL path (``/trade``). This
module names the parameters and reads them safely where no widget exists (embed mode).

Example:
    >>> [p.slug for p in PAGES][:3]
    ['overview', 'trade', 'investment']
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.i18n import DEFAULT_LANG, LANGS, parse_lang, t

THEMES = ("light", "dark")
LANG_KEY = "lang"
THEME_KEY = "theme"
MAX_PARAM_LEN = 64


@dataclass(frozen=True)
class PageDef:
    slug: str  # URL path, also ChartSpec.page
    title_key: str
    path: str
    icon: str


PAGES = (
    PageDef("overview", "page_overview", "pages/overview.py", ":material/dashboard:"),
    PageDef("trade", "page_trade", "pages/trade.py", ":material/swap_horiz:"),
    PageDef("investment", "page_investment", "pages/investment.py", ":material/business:"),
    PageDef("transit", "page_transit", "pages/transit.py", ":material/local_shipping:"),
    PageDef("timeline", "page_timeline", "pages/timeline.py", ":material/timeline:"),
    PageDef("sources", "page_sources", "pages/sources.py", ":material/article:"),
    PageDef("data", "page_data", "pages/data.py", ":material/table:"),
)


def query_value(name: str) -> str | None:
    """A query parameter as a short string, or None when absent, repeated-and-empty or too
    long (a hostile value is never passed on)."""
    values = st.query_params.get_all(name)
    if not values:
        return None
    value = values[-1]
    if not isinstance(value, str) or len(value) > MAX_PARAM_LEN:
        return None
    return value


def language_switch() -> str:
    """Sidebar language switch bound to ``?lang=``; returns the language."""
    return st.sidebar.segmented_control(
        t("lang_label", current_lang()), LANGS, default=DEFAULT_LANG, key=LANG_KEY,
        bind="query-params", required=True, format_func=lambda code: t(f"lang_{code}", code),
    ) or DEFAULT_LANG


def theme_switch(lang: str) -> str:
    """Sidebar chart theme switch bound to ``?theme=``."""
    return st.sidebar.segmented_control(
        t("theme_label", lang), THEMES, default="light", key=THEME_KEY, bind="query-params",
        required=True, format_func=lambda th: t(f"theme_{th}", lang),
    ) or "light"


def current_lang() -> str:
    """Language of this run: the bound widget's value, else ``?lang=``, else the default."""
    value = st.session_state.get(LANG_KEY)
    if value in LANGS:
        return value
    return parse_lang(query_value(LANG_KEY))


def current_theme() -> str:
    value = st.session_state.get(THEME_KEY)
    if value in THEMES:
        return value
    q = query_value(THEME_KEY)
    return q if q in THEMES else "light"
