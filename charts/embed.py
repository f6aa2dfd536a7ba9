"""Where a chart's embeds live and how a newsroom pastes them: addresses, iframe snippets, and
the figure as an embed shows it. Pure (no Streamlit, no HTTP): the dashboard's "Embed"
expander (``ui/``) and the embed index of the static site (``web/``) both use it.

Two kinds of embed exist for every chart in ``charts.catalogue.CHARTS``:

- *static*: a self-contained HTML page written by ``python -m web.export`` and served under
  ``/embed/<lang>/<chart_id>``; no cookies, no websocket;
- *live*: the dashboard itself opened with ``?embed=true&chart=<id>&lang=<lang>``.

``AZKZ_BASE_URL`` (public address of the server, default ``http://localhost:8501``) makes one
build serve any deployment.
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import urlencode

import plotly.graph_objects as go

from charts.catalogue import CHARTS, is_chart_id
from etl.schema import LANGS
from i18n.text import t

DEFAULT_BASE_URL = "http://localhost:8501"
# Initial iframe heights (CSS px) before the embed reports its own height.
STATIC_HEIGHT = 520
LIVE_HEIGHT = 640
# postMessage type by which an embed reports its height to the host page's script.
HEIGHT_MESSAGE = "azkz-embed-height"


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


def static_url(chart_id: str, lang: str, base: str | None = None) -> str:
    """Address of a chart's static embed page."""
    return f"{base or base_url()}/embed/{lang}/{chart_id}"


def live_url(chart_id: str, lang: str, base: str | None = None) -> str:
    """Address of a chart's live embed (the dashboard in embed mode)."""
    query = urlencode({"embed": "true", "chart": chart_id, "lang": lang})
    return f"{base or base_url()}/?{query}"


def dashboard_url(lang: str, base: str | None = None) -> str:
    """Address of the dashboard in ``lang``."""
    return f"{base or base_url()}/?{urlencode({'lang': lang})}"


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
    return t(CHARTS[chart_id].title_key, lang)


def iframe_snippets(chart_id: str, lang: str) -> dict[str, str]:
    """Snippets for a chart of the catalogue (see :func:`iframe_snippets_for`).

    Raises KeyError naming the chart when it is not in ``charts.catalogue.CHARTS``.
    """
    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart id {chart_id!r}; known: {sorted(CHARTS)}")
    return iframe_snippets_for(chart_id, lang, chart_title(chart_id, lang))


def embed_figure(fig: go.Figure) -> go.Figure:
    """The figure as an embed shows it: the page carries the title, the width follows the
    column. Returns the same figure, changed in place."""
    top = fig.layout.margin.t
    fig.update_layout(title=None, width=None, autosize=True,
                      margin={"t": 36 if top is None else min(top, 36)})
    return fig
