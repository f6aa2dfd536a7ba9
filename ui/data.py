"""Reading the tidy tables for the dashboard.

Pure readers (``read_table``, ``load_tables``) know nothing about Streamlit; the ``*_df``
loaders wrap them in ``st.cache_data``, one per table, keyed by the directory and the file's
modification time so a rebuild shows up without a restart. Filtering happens outside the cache.

Dates: every date column (``published``, ``period_start``, ``period_end``, ``date_start``,
``date_end``) is ``datetime64`` (midnight, naive), missing dates are ``NaT``.

The directory is ``$AZKZ_TABLES_DIR`` when set, else ``data/tables`` in the repository.

Example:
    >>> tables = load_tables(Path("data/tables"))       # doctest: +SKIP
    >>> tables.figures.loc[0, "indicator_id"]            # doctest: +SKIP
    'trade_turnover'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from etl.schema import TABLE_ORDER, TABLES

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "AZKZ_TABLES_DIR"
BUILD_COMMAND = "python -m etl build"


class TablesUnavailable(Exception):
    """The tables are missing, unreadable or do not follow the contract; ``str(e)`` says why
    and how to build them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Tables:
    sources: pd.DataFrame
    indicators: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame
    mentions: pd.DataFrame


def tables_dir() -> Path:
    """Directory holding the tables: ``$AZKZ_TABLES_DIR`` or ``<repo>/data/tables``."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else ROOT / "data" / "tables"


def _date_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if pa.types.is_date(c.type)]


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """One table as a DataFrame with contract columns checked and dates as datetime64.

    Raises ``TablesUnavailable`` naming the file and what is wrong.
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {list(TABLE_ORDER)}")
    path = Path(directory) / f"{name}.parquet"
    if not path.is_file():
        raise TablesUnavailable(
            f"{path} is missing. Build the tables with `{BUILD_COMMAND}` from the repository root."
        )
    try:
        frame = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise TablesUnavailable(
            f"{path} could not be read ({exc.__class__.__name__}: {exc}). "
            f"Rebuild the tables with `{BUILD_COMMAND}`."
        ) from exc
    missing = [c for c in TABLES[name].names if c not in frame.columns]
    if missing:
        raise TablesUnavailable(
            f"{path} lacks the contract columns {missing}. "
            f"Rebuild the tables with `{BUILD_COMMAND}`."
        )
    for col in _date_columns(name):
        frame[col] = pd.to_datetime(frame[col], errors="raise").astype("datetime64[ns]")
    return frame


def load_tables(directory: Path | None = None) -> Tables:
    """All five tables from ``directory`` (default: ``tables_dir()``)."""
    directory = Path(directory) if directory is not None else tables_dir()
    return Tables(**{name: read_table(directory, name) for name in TABLE_ORDER})


def raw_text(source_row: pd.Series | dict) -> str:
    """The UTF-8 text of a source's raw article.

    ``raw_path`` is relative to the repository (or absolute). Only files inside the repository
    or next to the tables directory are read: a tampered table cannot make the Sources page
    display an arbitrary file of the server. Raises ``OSError`` naming the path otherwise.
    """
    path = Path(source_row["raw_path"])
    if not path.is_absolute():
        path = ROOT / path
    path = path.resolve()
    allowed = (ROOT, tables_dir().resolve().parent)
    if not any(path.is_relative_to(base) for base in allowed):
        raise OSError(f"{source_row['raw_path']} is outside the repository; not read")
    return path.read_text(encoding="utf-8")


# --- Streamlit cached loaders (one per table) -------------------------------------------------
# Each key includes the file's mtime so a rebuilt table is re-read without restarting the app.

def _mtime(directory: Path, name: str) -> float:
    try:
        return (directory / f"{name}.parquet").stat().st_mtime
    except OSError:
        return -1.0


def _dir(directory: Path | None) -> Path:
    return Path(directory) if directory is not None else tables_dir()


@cache
def _loaders() -> dict:
    """The five cached readers, created on first use so that importing this module outside a
    Streamlit app (ETL, ASGI server, tests of pure code) does not touch Streamlit's cache."""

    @st.cache_data(show_spinner=False, max_entries=8)
    def sources(directory: str, mtime: float) -> pd.DataFrame:
        return read_table(Path(directory), "sources")

    @st.cache_data(show_spinner=False, max_entries=8)
    def indicators(directory: str, mtime: float) -> pd.DataFrame:
        return read_table(Path(directory), "indicators")

    @st.cache_data(show_spinner=False, max_entries=8)
    def figures(directory: str, mtime: float) -> pd.DataFrame:
        return read_table(Path(directory), "figures")

    @st.cache_data(show_spinner=False, max_entries=8)
    def events(directory: str, mtime: float) -> pd.DataFrame:
        return read_table(Path(directory), "events")

    @st.cache_data(show_spinner=False, max_entries=8)
    def mentions(directory: str, mtime: float) -> pd.DataFrame:
        return read_table(Path(directory), "mentions")

    return {"sources": sources, "indicators": indicators, "figures": figures, "events": events,
            "mentions": mentions}


def _load(name: str, directory: Path | None) -> pd.DataFrame:
    d = _dir(directory)
    return _loaders()[name](str(d), _mtime(d, name))


def sources_df(directory: Path | None = None) -> pd.DataFrame:
    return _load("sources", directory)


def indicators_df(directory: Path | None = None) -> pd.DataFrame:
    return _load("indicators", directory)


def figures_df(directory: Path | None = None) -> pd.DataFrame:
    return _load("figures", directory)


def events_df(directory: Path | None = None) -> pd.DataFrame:
    return _load("events", directory)


def mentions_df(directory: Path | None = None) -> pd.DataFrame:
    return _load("mentions", directory)


def cached_tables(directory: Path | None = None) -> Tables:
    """All tables through the per-table caches (Streamlit pages use this)."""
    return Tables(
        sources=sources_df(directory),
        indicators=indicators_df(directory),
        figures=figures_df(directory),
        events=events_df(directory),
        mentions=mentions_df(directory),
    )
