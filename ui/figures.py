"""Chart figures and their text alternatives, built once per (chart, language, theme, build)
and shared by every session; ``per_build`` does the same for any other pure function of the
tables.

Building a figure means adding traces one by one, and plotly.py validates every property it is
given: 15–120 ms per chart on the 2-core development machine, on every script run of every
reader (bench/bench_pages.py prints the server's script run per page). The tables of one build
never change, so neither does a figure drawn from them: ``st.cache_resource`` keeps one object
per key for the whole process (no copy per session, unlike ``st.cache_data``, and one thread
computes a key while the others wait for it). A new build has a new ``build_id``, hence new keys;
``MAX_ENTRIES`` bounds what older builds leave behind.

The shared objects are read-only. ``st.plotly_chart`` serialises a copy (``Figure.to_dict``);
nothing may change a figure after it is returned, which is why the embed's changes
(``charts.embed.embed_figure``) are made here, once, before the figure is shared.

Tables without a ``build_id`` (assembled in memory rather than read from a build) are never
cached: without the id there is no key that a rebuild would change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

from charts.catalogue import ChartSpec
from charts.embed import embed_figure
from charts.svg import figure_pictures
from etl.store import Tables
from ui.plot import Drawing

# 11 charts × 3 languages × 2 themes is 66 figures per build: room for a few builds.
MAX_ENTRIES = 512
T = TypeVar("T")


def build_of(tables: Tables) -> str:
    """The ``build_id`` the tables were read from, '' when they carry none."""
    return getattr(tables, "build_id", "") or ""


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _figure(spec_key: str, lang: str, theme: str, build: str, _spec: ChartSpec,
            _tables: Tables) -> go.Figure:
    return embed_figure(_spec.build(_tables, lang, theme))


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _description(spec_key: str, lang: str, build: str, _spec: ChartSpec,
                 _tables: Tables) -> str:
    return _spec.describe(_tables, lang)


def figure(spec: ChartSpec, tables: Tables, lang: str, theme: str) -> go.Figure:
    """``spec``'s figure in ``lang`` and ``theme`` as pages and embeds show it (title left to
    the page, width following the column), built once per build. Read-only: shared by every
    session.

    ``spec_key`` is the whole spec (``repr``), so two specs with one id never share a figure.
    """
    build = build_of(tables)
    if not build:
        return embed_figure(spec.build(tables, lang, theme))
    return _figure(repr(spec), lang, theme, build, spec, tables)


# What st.plotly_chart(on_select="rerun", selection_mode="points") set on a figure that leaves
# them unset: a click selects a point, hover shows the nearest one, a drag pans.
SELECTION_LAYOUT = {"clickmode": "event+select", "hovermode": "closest", "dragmode": "pan"}
DEFAULT_HEIGHT = 450  # Plotly's own default, for a figure without a height


def drawing_of(fig: go.Figure, lang: str = "en") -> Drawing:
    """The browser's form of a figure for ``ui.plot.plot_chart``: its JSON with the selection
    defaults above where the figure sets none, a digest of it, its height and its SVG pictures
    for a phone and a wide box (``charts.svg.figure_pictures``), shown until Plotly has
    drawn."""
    plain = json.loads(fig.to_json())
    layout = plain.setdefault("layout", {})
    for name, value in SELECTION_LAYOUT.items():
        layout.setdefault(name, value)
    text = json.dumps(plain, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return Drawing(figure_json=text, digest=hashlib.sha256(text.encode()).hexdigest()[:16],
                   height=int(layout.get("height") or DEFAULT_HEIGHT),
                   picture=figure_pictures(fig, lang=lang))


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _drawing(spec_key: str, lang: str, theme: str, build: str, _spec: ChartSpec,
             _tables: Tables) -> Drawing:
    return drawing_of(figure(_spec, _tables, lang, theme), lang)


def drawing(spec: ChartSpec, tables: Tables, lang: str, theme: str) -> Drawing:
    """``spec``'s figure in ``lang`` and ``theme`` as the dashboard's chart component draws it
    (``ui.plot``), serialised once per build. Read-only: shared by every session."""
    build = build_of(tables)
    if not build:
        return drawing_of(figure(spec, tables, lang, theme), lang)
    return _drawing(repr(spec), lang, theme, build, spec, tables)


def description(spec: ChartSpec, tables: Tables, lang: str) -> str:
    """``spec``'s text alternative in ``lang`` (``ChartSpec.describe``), built once per build."""
    build = build_of(tables)
    if not build:
        return spec.describe(tables, lang)
    return _description(repr(spec), lang, build, spec, tables)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _per_build(name: str, args: tuple, build: str, _fn: Callable, _tables: Tables):
    return _fn(_tables, *args)


def per_build(fn: Callable[..., T], tables: Tables, *args: str) -> T:
    """``fn(tables, *args)`` computed once per build and shared by every session (read-only).

    ``fn`` is a pure, module-level function of the tables (its qualified name is part of the
    key); ``args`` are short strings such as a language or an id.

    Example (no Streamlit app needed; outside one the cache lives in this process):
        >>> from etl.store import load_tables
        >>> from charts.conflicts import table_conflicts
        >>> tables = load_tables()
        >>> per_build(table_conflicts, tables) is per_build(table_conflicts, tables)
        True
    """
    build = build_of(tables)
    if not build:
        return fn(tables, *args)
    return _per_build(f"{fn.__module__}.{fn.__qualname__}", args, build, fn, tables)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _per_chart(name: str, spec_key: str, args: tuple, build: str, _fn: Callable,
               _spec: ChartSpec, _tables: Tables):
    return _fn(_spec, _tables, *args)


def per_chart(fn: Callable[..., T], spec: ChartSpec, tables: Tables, *args: str) -> T:
    """``fn(spec, tables, *args)`` computed once per (chart, build, args) and shared by every
    session (read-only), as ``per_build`` for what belongs to one chart (its sources line,
    caveats, CSV). ``spec_key`` is the whole spec (``repr``), as for ``figure``.

    Example (outside a Streamlit app the cache lives in this process):
        >>> from etl.store import load_tables
        >>> from charts.catalogue import CHARTS
        >>> def rows(spec, tables): return spec.rows(tables)
        >>> tables = load_tables()
        >>> spec = CHARTS["trade-turnover"]
        >>> per_chart(rows, spec, tables) is per_chart(rows, spec, tables)
        True
    """
    build = build_of(tables)
    if not build:
        return fn(spec, tables, *args)
    return _per_chart(f"{fn.__module__}.{fn.__qualname__}", repr(spec), args, build, fn, spec,
                      tables)
