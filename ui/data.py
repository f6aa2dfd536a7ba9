"""The dashboard's cached loaders of the tables (Streamlit only).

Reading is ``etl.store``'s (the one build-consistent reader); here the tables of a build are
cached under the key (directory, ``build_id``), the id read from ``datapackage.json`` (a few
hundred bytes), so a rebuild shows up without a restart and an entry is only ever stored for
tables whose own ``build_id`` matched the key. Filtering happens outside the cache.

``st.cache_resource``, not ``st.cache_data``: one ``Tables`` object per build, shared by every
session, instead of a fresh unpickled copy of every table on every call (twice per script run).
The tables of a build never change, and pandas' copy-on-write keeps any frame derived from them
from writing back; so what is derived per ``Tables`` (``sources_by_id``, ...) is computed once
per build, not once per script run (issue 13: this was a tenth of a page view's server time).
Nothing may assign into these frames in place.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from downloads.bundle import Downloads, for_build
from etl.schema import TABLE_ORDER
from etl.store import MixedBuilds, Tables, consistent, read_build, read_checked, tables_dir


@st.cache_resource(show_spinner=False, max_entries=4)
def _tables(directory: str, build: str) -> Tables:
    """Every table of build ``build`` (``MixedBuilds`` if a file is of another build), read
    once and shared by every session: read-only."""
    return Tables(**{name: read_checked(Path(directory), name, build) for name in TABLE_ORDER},
                  build_id=build)


def cached_tables(directory: Path | None = None) -> Tables:
    """All tables of one build, read once per build (Streamlit pages use this)."""
    d = Path(directory) if directory is not None else tables_dir()
    return consistent(lambda want: _tables(str(d), want), d)


# Bytes only, never changed: shared like the tables rather than copied per call.
@st.cache_resource(show_spinner=False, max_entries=4)
def _downloads(directory: str, build: str) -> Downloads:
    """Every download of build ``build``, made once; refused (so never cached under that key)
    when the tables have moved on to another build meanwhile."""
    files = for_build(read_build(Path(directory)))
    if files.build_id != build:
        raise MixedBuilds(f"{directory}: build {files.build_id[:12]} replaced {build[:12]}")
    return files


def cached_downloads(directory: Path | None = None) -> Downloads:
    """The downloads (CSV, Parquet, bundle) of the current build, made once per build.

    Raises ``TablesUnavailable`` when the tables cannot be read as one build (no download
    ever mixes two builds).
    """
    d = Path(directory) if directory is not None else tables_dir()
    return consistent(lambda build: _downloads(str(d), build), d)
