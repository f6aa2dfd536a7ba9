"""Reading the tidy tables for the dashboard.

Pure readers (``read_table``, ``load_tables``) know nothing about Streamlit; the ``*_df``
loaders wrap them in ``st.cache_data``, one per table, keyed by the directory and the build's
``build_id`` (read from ``datapackage.json``, a few hundred bytes) so a rebuild shows up without
a restart. Filtering happens outside the cache.

One build at a time: ``etl build`` stamps its ``build_id`` into every Parquet file and into
``datapackage.json`` (written last). A table is accepted only when its own ``build_id`` equals
the package's; while a concurrent build is swapping files in, the read is retried, and tables
that never agree are refused with the files named. So ``load_tables`` and ``cached_tables``
never combine tables of two builds (the same check as ``etl.store.read_tables``).

``read_build`` is the one reader behind all of these: every Parquet file is read once as bytes,
fully decoded (a truncated or corrupt file is refused, never passed on), checked against the
package's ``build_id``, and ``datapackage.json`` is read again afterwards, so the returned
:class:`TablesBuild` (tables, their raw bytes and the package) is one build. Everything derived
from the tables (downloads, the static embeds, the dashboard's caches) is keyed on that id.

Dates: every date column (``published``, ``period_start``, ``period_end``, ``date_start``,
``date_end``) is ``datetime64`` (midnight, naive), missing dates are ``NaT``.

The directory is ``$AZKZ_TABLES_DIR`` when set, else ``data/tables`` in the repository.

Example:
    >>> tables = load_tables(Path(__file__).resolve().parents[1] / "data" / "tables")
    >>> "trade_turnover" in set(tables.figures["indicator_id"])
    True
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from etl.schema import TABLE_ORDER, TABLES
from etl.store import BUILD_ID_KEY, PACKAGE

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "AZKZ_TABLES_DIR"
BUILD_COMMAND = "python -m etl build"


class TablesUnavailable(Exception):
    """The tables are missing, unreadable or do not follow the contract; ``str(e)`` says why
    and how to build them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MixedBuilds(TablesUnavailable):
    """A table's ``build_id`` differs from ``datapackage.json``'s (a build is being swapped
    in, or one was killed half-way)."""


# A build swaps six files in with os.replace; retrying for about a second covers that.
READ_RETRIES = 20
RETRY_SLEEP = 0.05


@dataclass(frozen=True)
class Tables:
    sources: pd.DataFrame
    indicators: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame
    mentions: pd.DataFrame
    reference: pd.DataFrame
    checks: pd.DataFrame


@dataclass(frozen=True)
class TablesBuild:
    """One whole build as read from disk: its id, the tables, and the exact bytes they were
    decoded from (``parquet``: table name -> file bytes; ``package``: datapackage.json)."""

    build_id: str
    tables: Tables
    parquet: dict[str, bytes]
    package: bytes


def tables_dir() -> Path:
    """Directory holding the tables: ``$AZKZ_TABLES_DIR`` or ``<repo>/data/tables``."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else ROOT / "data" / "tables"


def _dir(directory: Path | None) -> Path:
    return Path(directory) if directory is not None else tables_dir()


def _date_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if pa.types.is_date(c.type)]


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """One table as a DataFrame with contract columns checked and dates as datetime64.

    Raises ``TablesUnavailable`` naming the file and what is wrong.
    """
    return read_table_with_id(directory, name)[0]


def read_table_with_id(directory: Path, name: str) -> tuple[pd.DataFrame, str]:
    """``read_table`` plus the ``build_id`` stored in the file ('' when it has none).

    Data and id come from one open of the file, so they cannot belong to two builds.
    """
    frame, build, _ = _read_parquet(directory, name)
    return frame, build


def _read_parquet(directory: Path, name: str) -> tuple[pd.DataFrame, str, bytes]:
    """Frame, ``build_id`` and the file's bytes, from one read of table ``name``."""
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {list(TABLE_ORDER)}")
    path = Path(directory) / f"{name}.parquet"
    if not path.is_file():
        raise TablesUnavailable(
            f"{path} is missing. Build the tables with `{BUILD_COMMAND}` from the repository root."
        )
    try:
        # One read of the bytes: pq.read_table(path) may open the file twice (footer, then
        # data), and a build swapping the file in between would give a torn table.
        raw = path.read_bytes()
        arrow = pq.read_table(pa.BufferReader(raw))
        frame = arrow.to_pandas()
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
    build = (arrow.schema.metadata or {}).get(BUILD_ID_KEY, b"").decode("utf-8", "replace")
    return frame, build, raw


def build_id(directory: Path | None = None) -> str:
    """The ``build_id`` of ``datapackage.json`` in ``directory``: the cache key of a build.

    Raises ``TablesUnavailable`` when the file is missing, unreadable or has no id (tables
    not written by ``python -m etl build`` cannot be checked for consistency).
    """
    return _package(directory)[0]


def _package(directory: Path | None = None) -> tuple[str, bytes]:
    """``build_id`` and the bytes of ``datapackage.json`` (one read)."""
    path = _dir(directory) / PACKAGE
    try:
        raw = path.read_bytes()
        package = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        # name the first missing table when there is one: the likelier cause
        missing = [p for p in (path.parent / f"{n}.parquet" for n in TABLE_ORDER)
                   if not p.is_file()]
        raise TablesUnavailable(
            f"{(missing or [path])[0]} is missing. "
            f"Build the tables with `{BUILD_COMMAND}` from the repository root."
        ) from None
    except (OSError, ValueError) as exc:
        raise TablesUnavailable(
            f"{path} could not be read ({exc.__class__.__name__}: {exc}). "
            f"Rebuild the tables with `{BUILD_COMMAND}`."
        ) from exc
    value = package.get("build_id") if isinstance(package, dict) else None
    if not isinstance(value, str) or not value:
        raise TablesUnavailable(
            f"{path} has no build_id. Rebuild the tables with `{BUILD_COMMAND}`.")
    return value, raw


def read_checked(directory: Path, name: str, want: str) -> pd.DataFrame:
    """Table ``name``, refused with ``MixedBuilds`` unless it comes from build ``want``."""
    return _read_checked(directory, name, want)[0]


def _read_checked(directory: Path, name: str, want: str) -> tuple[pd.DataFrame, bytes]:
    frame, got, raw = _read_parquet(directory, name)
    if got != want:
        raise MixedBuilds(
            f"{Path(directory) / f'{name}.parquet'} comes from build {got[:12] or '(none)'}, "
            f"{PACKAGE} from build {want[:12]}: a build is being swapped in or was interrupted. "
            f"Rebuild the tables with `{BUILD_COMMAND}`."
        )
    return frame, raw


def consistent(read_all, directory: Path, retries: int = READ_RETRIES):
    """``read_all(build_id)`` retried until every table agrees with ``datapackage.json``.

    ``read_all`` raises ``MixedBuilds`` on disagreement; after ``retries`` attempts the last
    such error (naming the file) is raised.
    """
    for attempt in range(retries):
        want = build_id(directory)
        try:
            return read_all(want)
        except MixedBuilds:
            if attempt == retries - 1:
                raise
            time.sleep(RETRY_SLEEP)
    raise AssertionError("unreachable")


def read_build(directory: Path | None = None) -> TablesBuild:
    """Every table of ``directory`` with its bytes and ``datapackage.json``, all of one build.

    Raises ``TablesUnavailable`` (``MixedBuilds`` for tables of two builds) naming the file.
    """
    directory = _dir(directory)

    def read_all(want: str) -> TablesBuild:
        read = {name: _read_checked(directory, name, want) for name in TABLE_ORDER}
        again, package = _package(directory)
        if again != want:
            raise MixedBuilds(f"{directory / PACKAGE} changed while the tables were read")
        return TablesBuild(want, Tables(**{name: frame for name, (frame, _) in read.items()}),
                           {name: raw for name, (_, raw) in read.items()}, package)

    return consistent(read_all, directory)


def stamp(directory: Path | None = None) -> tuple:
    """What ``os.stat`` says about the build's files (inode, size, mtime): any replacement or
    in-place change of a table or of ``datapackage.json`` changes it. Cheap: no file is read.
    """
    directory = _dir(directory)
    out = []
    for name in (PACKAGE, *(f"{n}.parquet" for n in TABLE_ORDER)):
        try:
            st_ = (directory / name).stat()
        except OSError:
            out.append((name, None))
        else:
            out.append((name, st_.st_ino, st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns))
    return tuple(out)


def load_tables(directory: Path | None = None) -> Tables:
    """Every table from ``directory`` (default: ``tables_dir()``), all of one build."""
    return read_build(directory).tables


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
# Each key is (directory, build_id): a rebuild is re-read without restarting the app, and an entry
# is only ever stored for a table whose own build_id matched the key.

@cache
def _loaders() -> dict:
    """The cached readers, one per table, created on first use so that importing this module
    outside a Streamlit app (ETL, ASGI server, tests of pure code) does not touch Streamlit's
    cache."""

    @st.cache_data(show_spinner=False, max_entries=8)
    def sources(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "sources", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def indicators(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "indicators", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def figures(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "figures", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def events(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "events", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def mentions(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "mentions", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def reference(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "reference", build)

    @st.cache_data(show_spinner=False, max_entries=8)
    def checks(directory: str, build: str) -> pd.DataFrame:
        return read_checked(Path(directory), "checks", build)

    return {"sources": sources, "indicators": indicators, "figures": figures, "events": events,
            "mentions": mentions, "reference": reference, "checks": checks}


def _load(name: str, directory: Path | None) -> pd.DataFrame:
    d = _dir(directory)
    return consistent(lambda want: _loaders()[name](str(d), want), d)


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
    """All tables of one build through the per-table caches (Streamlit pages use this)."""
    d = _dir(directory)
    loaders = _loaders()
    return consistent(lambda want: Tables(**{name: loaders[name](str(d), want)
                                             for name in TABLE_ORDER}), d)
