"""View state that lives in the URL: language, chart theme, page, filters.

Widgets made with ``url_widget`` keep their value in a query parameter as a stable code, so a
copied link restores the view; values that are not among a widget's options are ignored
(``?lang=<script>`` falls back to the default). The page is the URL path (``/trade``).

Example:
    >>> [p.slug for p in PAGES][:3]
    ['overview', 'trade', 'investment']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from charts.style import DEFAULT_THEME, THEMES
from etl.schema import LANGS
from i18n.text import DEFAULT_LANG, t

LANG_KEY = "lang"
THEME_KEY = "theme"
MAX_PARAM_LEN = 64


@dataclass(frozen=True)
class PageDef:
    slug: str  # URL path, also ChartSpec.page
    title_key: str
    path: str
    icon: str


# The page files live in pages/ (the project's fixed layout). Streamlit treats a pages/ folder
# beside the entry script as a v1 multipage app until st.navigation has run once in the process,
# so a deep link (/timeline) opened first on a fresh server would run the page file alone,
# without this frame. web/app.py starts its process in st.navigation mode; under a plain
# `streamlit run dashboard.py` every page calls enter_frame() first, which switches the process
# and reruns through the frame (tested in test_browser_dashboard.py).
PAGES = (
    PageDef("overview", "page_overview", "pages/overview.py", ":material/dashboard:"),
    PageDef("trade", "page_trade", "pages/trade.py", ":material/swap_horiz:"),
    PageDef("investment", "page_investment", "pages/investment.py", ":material/business:"),
    PageDef("transit", "page_transit", "pages/transit.py", ":material/local_shipping:"),
    PageDef("timeline", "page_timeline", "pages/timeline.py", ":material/timeline:"),
    PageDef("claims", "page_claims", "pages/claims.py", ":material/fact_check:"),
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


def _from_url(key: str, options: Sequence[str], multi: bool) -> list[str] | str | None:
    """Valid values of ``?key=`` (repeated keys allowed for multi); None when absent/invalid."""
    values = [v for v in st.query_params.get_all(key)
              if isinstance(v, str) and len(v) <= MAX_PARAM_LEN and v in options]
    if multi:
        return list(dict.fromkeys(values)) if values else None
    return values[-1] if values else None


def _to_url(key: str, value: list[str] | str | None, default: list[str] | str | None) -> None:
    """Mirror a widget value into the URL; the default is left out to keep links short."""
    if value == default or value is None:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = value


def url_widget(widget, label: str, options: Sequence[str], key: str, default, *,
               multi: bool = False, **kwargs):
    """A widget whose value lives in ``?key=`` (codes, never translated labels).

    Streamlit's own ``bind="query-params"`` writes the *formatted* option into the URL
    (``?lang=English``), which would tie links to the interface language; this keeps stable
    codes (``?lang=en``, ``?ev=visit&ev=meeting``). On the first run of a session the value
    comes from the URL (invalid values ignored), later from the widget, and each run writes
    it back so the address bar always restores the view.
    """
    if key not in st.session_state:
        from_url = _from_url(key, options, multi)
        st.session_state[key] = from_url if from_url is not None else default
    elif multi:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    value = widget(label, options, key=key, **kwargs)
    _to_url(key, value, default)
    return value


def only_this_kind(label: str, options: Sequence[str], key: str, **kwargs) -> None:
    """One click to show a single option of the multi-choice widget ``key``: pills that set
    ``st.session_state[key]`` to the chosen option and then clear themselves (they act as
    buttons). Call before the widget ``key`` is drawn."""
    pills_key = f"{key}_only"

    def choose() -> None:
        choice = st.session_state.get(pills_key)
        if choice in options:
            st.session_state[key] = [choice]
        st.session_state[pills_key] = None

    st.pills(label, options, selection_mode="single", key=pills_key, on_change=choose,
             **kwargs)


def url_toggle(label: str, key: str, default: bool) -> bool:
    """A toggle whose value lives in ``?key=on|off`` (left out of the URL at its default)."""
    if key not in st.session_state:
        st.session_state[key] = {"on": True, "off": False}.get(query_value(key) or "", default)
    value = st.toggle(label, key=key)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = "on" if value else "off"
    return value


def browser_lang() -> str:
    """The reader's browser language (``st.context.locale``, e.g. 'ru-RU') when it is one of
    ``LANGS``, else the default (Azerbaijani): the language of a first visit without ?lang=."""
    locale = getattr(st.context, "locale", None)
    if isinstance(locale, str) and locale:
        code = locale.replace("_", "-").split("-")[0].strip().lower()
        if code in LANGS:
            return code
    return DEFAULT_LANG


def language_switch() -> str:
    """Sidebar language switch kept in ``?lang=``; returns the language. A first visit
    without a valid ``?lang=`` starts in the browser's language (``browser_lang``); any
    language but the default is then written to the URL, so a copied link keeps it."""
    if LANG_KEY not in st.session_state and _from_url(LANG_KEY, LANGS, False) is None:
        st.session_state[LANG_KEY] = browser_lang()
    return url_widget(
        st.sidebar.segmented_control, " · ".join(dict.fromkeys(t("lang_label", x) for x in LANGS)),
        LANGS, LANG_KEY, DEFAULT_LANG, required=True, persist_state="session",
        format_func=lambda code: t(f"lang_{code}", code)) or DEFAULT_LANG


def theme_switch(lang: str) -> str:
    """Sidebar chart theme switch kept in ``?theme=``."""
    return url_widget(
        st.sidebar.segmented_control, t("theme_label", lang), THEMES, THEME_KEY, DEFAULT_THEME,
        required=True, persist_state="session", format_func=lambda th: t(f"theme_{th}", lang),
        help=t("theme_help", lang)) or DEFAULT_THEME


def current_lang() -> str:
    """Language of this run: the bound widget's value, else ``?lang=``, else the default."""
    value = st.session_state.get(LANG_KEY)
    if value in LANGS:
        return value
    asked = query_value(LANG_KEY)
    return asked if asked in LANGS else browser_lang()


def current_theme() -> str:
    value = st.session_state.get(THEME_KEY)
    if value in THEMES:
        return value
    q = query_value(THEME_KEY)
    return q if q in THEMES else DEFAULT_THEME


def enter_frame() -> None:
    """Rerun through dashboard.py when a page was started by Streamlit's v1 pages/ mode.

    Called first by every file in pages/. In a normal run (dashboard.py's st.navigation chose the
    page) it does nothing. In the first run of a fresh `streamlit run` process opened on a deep
    link, Streamlit runs the page file alone; switching the process to st.navigation mode and
    rerunning lets the frame (language switch, navigation) build the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
