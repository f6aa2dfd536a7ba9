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
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from charts.catalogue import CHARTS, is_chart_id
from charts.citations import source_key
from charts.conflicts import conflicts
from charts.labels import (
    first_sentence,
    indicator_label,
    is_inferred,
    label,
    period_text,
    reader_text,
)
from charts.timeline import happenings
from etl.schema import LANGS
from etl.store import Tables
from i18n.fmt import format_date
from i18n.text import localized, t

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


# Embed themes an editor can ask for: light (the default, left out of the address), dark, or
# auto (follow the reader's system setting).
EMBED_THEMES = ("light", "dark", "auto")


def _theme_query(theme: str | None) -> dict[str, str]:
    if theme in (None, "light"):
        return {}
    if theme not in EMBED_THEMES:
        raise ValueError(f"unknown embed theme {theme!r}; expected one of {EMBED_THEMES}")
    return {"theme": theme}


def static_url(chart_id: str, lang: str, base: str | None = None,
               theme: str | None = None) -> str:
    """Address of a chart's static embed page (``?theme=dark|auto``; light by default).

    >>> static_url("trade-turnover", "en", "https://x.example", "dark")
    'https://x.example/embed/en/trade-turnover?theme=dark'
    """
    query = urlencode(_theme_query(theme))
    return f"{base or base_url()}/embed/{lang}/{chart_id}" + (f"?{query}" if query else "")


def live_url(chart_id: str, lang: str, base: str | None = None,
             theme: str | None = None) -> str:
    """Address of a chart's live embed (the dashboard in embed mode)."""
    query = urlencode({"embed": "true", "chart": chart_id, "lang": lang,
                       **_theme_query(theme)})
    return f"{base or base_url()}/?{query}"


def dashboard_url(lang: str, base: str | None = None) -> str:
    """Address of the dashboard in ``lang``."""
    return f"{base or base_url()}/?{urlencode({'lang': lang})}"


def chart_page_url(chart_id: str, lang: str, base: str | None = None,
                   page: str | None = None) -> str:
    """Address of the dashboard page that shows ``chart_id`` (its catalogue page unless
    ``page`` is given), in ``lang``, at the chart.

    >>> chart_page_url("trade-turnover", "ru", "https://x.example")
    'https://x.example/trade?lang=ru#trade-turnover'
    """
    page = page or CHARTS[chart_id].page
    return f"{base or base_url()}/{page}?{urlencode({'lang': lang})}#{chart_id}"


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
                        base: str | None = None, theme: str | None = None) -> dict[str, str]:
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
        "static": _iframe(static_url(chart_id, lang, base, theme), title, STATIC_HEIGHT,
                          "static", chart_id) + "\n" + script,
        "live": _iframe(live_url(chart_id, lang, base, theme), title, LIVE_HEIGHT, "live",
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


@dataclass(frozen=True)
class EmbedNotes:
    """What an embed says under its chart: the first caveat (one sentence, ids replaced by
    reader text), how many more there are, what ``*`` means when a shown figure carries it."""

    first_caveat: str | None
    more: int
    inferred: str | None


def embed_notes(rows: pd.DataFrame, tables: Tables, lang: str) -> EmbedNotes:
    """The notes line of an embed of ``rows`` (figures or events of one chart). The caveat
    shown first is the one that matters most to a reader of the figures: a conflicting
    figure's, then a reported figure whose period is inferred (a year in doubt), then any
    reported figure's, then the rest, in chart order."""
    flagged = set(conflicts(rows)["figure_id"]) if "figure_id" in rows.columns else set()

    def rank(r: pd.Series) -> int:
        if "figure_id" not in r:
            return 3
        observed = r.get("kind") == "observed"
        inferred = r.get("period_basis") == "inferred"
        return 0 if r["figure_id"] in flagged else 1 if observed and inferred else (
            2 if observed else 3)

    ranked = sorted((r for _, r in rows.iterrows()), key=rank) if "note" in rows else []
    notes = [n for n in (localized(r, "note", lang) for r in ranked) if n]
    first = first_sentence(reader_text(notes[0], tables, lang)) if notes else None
    inferred = None
    if "indicator_id" in rows.columns and any(is_inferred(r, tables)
                                              for _, r in rows.iterrows()):
        inferred = t("inferred_explained", lang)
    return EmbedNotes(first, max(len(notes) - 1, 0), inferred)


def embed_summary(rows: pd.DataFrame, tables: Tables, lang: str, n: int = 3) -> list[str]:
    """Up to ``n`` lines for a reader without JavaScript: the latest figures (indicator,
    period, value, short source) or the latest happenings (date, title, sources).

    The figures come from ``rows`` only (the tables), newest period first."""
    if rows.empty:
        return [t("no_rows", lang)]
    if "event_id" in rows.columns:
        evs = happenings(rows).sort_values("date_start", ascending=False).head(n)
        return [f"{format_date(r['date_start'], r['precision'], lang)}: "
                f"{localized(r, 'title', lang) or ''} — "
                + "; ".join(source_key(tables.sources_by_id[s], lang)
                            for s in r["source_ids"].split(",") if s in tables.sources_by_id)
                for _, r in evs.iterrows()]
    ordered = rows.assign(_when=rows["period_end"].fillna(rows["period_start"]))
    ordered = ordered.sort_values("_when", ascending=False, na_position="last").head(n)
    out = []
    for _, r in ordered.iterrows():
        src = tables.sources_by_id.get(r["source_id"])
        period = period_text(r, tables, lang)
        value = label(r, tables, lang, False)
        if period.endswith("*"):  # one star says it: the period is inferred
            value = value.removesuffix("*")
        out.append(f"{indicator_label(tables, r['indicator_id'], lang)}, {period}: {value}"
                   + (f" — {source_key(src, lang)}" if src is not None else ""))
    return out
