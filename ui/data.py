"""The dashboard's cached loaders of the tables (Streamlit only).

Reading is ``etl.store``'s (the one build-consistent reader); here each table is cached with
``st.cache_data`` under the key (directory, table, ``build_id``), the id read from
``datapackage.json`` (a few hundred bytes), so a rebuild shows up without a restart and an entry
is only ever stored for a table whose own ``build_id`` matched the key. Filtering happens
outside the cache.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from downloads.bundle import Downloads, for_build
from etl.schema import TABLE_ORDER
from etl.store import MixedBuilds, Tables, consistent, read_build, read_checked, tables_dir


@st.cache_data(show_spinner=False, max_entries=8 * len(TABLE_ORDER))
def _table(directory: str, name: str, build: str) -> pd.DataFrame:
    """Table ``name`` of build ``build`` (``MixedBuilds`` if the file is of another build)."""
    return read_checked(Path(directory), name, build)


def cached_tables(directory: Path | None = None) -> Tables:
    """All tables of one build through the per-table caches (Streamlit pages use this)."""
    d = Path(directory) if directory is not None else tables_dir()
    return consistent(lambda want: Tables(**{name: _table(str(d), name, want)
                                             for name in TABLE_ORDER}, build_id=want), d)


@st.cache_data(show_spinner=False, max_entries=4)
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
