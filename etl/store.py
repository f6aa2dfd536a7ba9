"""Write the tables atomically under a lock, with a Frictionless ``datapackage.json``, and read
them back: :func:`read_build` is the project's one build-consistent reader.

Design (readers never use a mix of old and new tables):

* One exclusive ``fcntl.flock`` on ``<out>/.lock`` is held for a whole build. A second build that
  starts meanwhile does **not wait**: it fails at once with "another build is running".
* Every file is first written to ``<out>/.build-<pid>-<random>/`` (same filesystem), then moved
  into place with ``os.replace`` — the Parquet files first, ``datapackage.json`` last. Nothing is
  written before every check has passed, so on any failure the last good tables stay untouched.
* Each Parquet file carries the build's ``build_id`` (a digest of the register and article bytes
  and of the tables' content) in its schema metadata, and so does ``datapackage.json``: the
  manifest. :func:`read_build` reads all tables and retries when the ids disagree, i.e. when it
  raced the few ``os.replace`` calls of a concurrent swap, so a reader that goes through it never
  mixes two builds. (A build killed between two of those calls leaves a mix that
  :func:`read_build` reports by name; the next build repairs it.)

Example:
    >>> frictionless_type(pa.int64())
    'integer'
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.errors import LockedError
from etl.paths import ROOT, TABLES_DIR
from etl.schema import (
    BASES,
    CATEGORIES,
    DEFINITIONS,
    EVENT_KINDS,
    FIGURE_KINDS,
    GRADES,
    MENTION_STATUSES,
    PRECISIONS,
    QUALIFIERS,
    REFERENCE_KINDS,
    REPORT_BASES,
    REPORTING_SIDES,
    TABLE_ORDER,
    TABLES,
    UNITS,
    VERDICTS,
)

LOCK_NAME = ".lock"
TMP_PREFIX = ".build-"
PACKAGE = "datapackage.json"
BUILD_ID_KEY = b"build_id"

_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sources", "published_precision"): PRECISIONS,
    ("sources", "published_basis"): BASES,
    ("indicators", "unit"): UNITS,
    ("indicators", "category"): CATEGORIES,
    ("figures", "kind"): FIGURE_KINDS,
    ("figures", "unit"): UNITS,
    ("figures", "qualifier"): QUALIFIERS,
    ("figures", "period_basis"): BASES,
    ("figures", "reporting_side"): REPORTING_SIDES,
    ("events", "kind"): EVENT_KINDS,
    ("events", "precision"): PRECISIONS,
    ("events", "date_basis"): BASES,
    ("mentions", "status"): MENTION_STATUSES,
    ("mentions", "qualifier"): QUALIFIERS,
    ("mentions", "unit"): UNITS,
    ("figures", "definition"): DEFINITIONS,
    ("reference", "kind"): REFERENCE_KINDS,
    ("reference", "unit"): UNITS,
    ("reference", "qualifier"): QUALIFIERS,
    ("reference", "reporting_side"): REPORTING_SIDES,
    ("reference", "definition"): DEFINITIONS,
    ("reference", "basis"): REPORT_BASES,
    ("reference", "grade"): GRADES,
    ("reference", "page_date_precision"): PRECISIONS[:3],
    ("checks", "verdict"): VERDICTS,
}

_FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "figures": [("source_id", "sources", "source_id"),
                ("indicator_id", "indicators", "indicator_id")],
    "events": [("source_id", "sources", "source_id")],
    "mentions": [("source_id", "sources", "source_id"), ("figure_id", "figures", "figure_id"),
                 ("event_id", "events", "event_id")],
    "reference": [("indicator_id", "indicators", "indicator_id")],
    "checks": [("figure_id", "figures", "figure_id"),
               ("reference_id", "reference", "reference_id")],
}


def frictionless_type(t: pa.DataType) -> str:
    """Frictionless Table Schema type of an Arrow type."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_boolean(t):
        return "boolean"
    raise ValueError(f"no Frictionless type for {t}")


def datapackage(frames: dict[str, pd.DataFrame], build_id: str) -> dict:
    """The Frictionless tabular data package describing every table and the articles."""
    src = frames["sources"]
    resources = []
    for name in TABLE_ORDER:
        table = TABLES[name]
        fields = []
        for c in table.columns:
            f: dict = {"name": c.name, "type": frictionless_type(c.type),
                       "description": c.description}
            constraints: dict = {}
            if not c.nullable:
                constraints["required"] = True
            if (name, c.name) in _ENUMS:
                constraints["enum"] = list(_ENUMS[(name, c.name)])
            if constraints:
                f["constraints"] = constraints
            fields.append(f)
        schema: dict = {"fields": fields, "primaryKey": list(table.primary_key)}
        fks = [{"fields": col, "reference": {"resource": ref, "fields": ref_col}}
               for col, ref, ref_col in _FOREIGN_KEYS.get(name, [])]
        if fks:
            schema["foreignKeys"] = fks
        resources.append({
            "name": name, "path": f"{name}.parquet", "profile": "tabular-data-resource",
            "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "description": table.description, "rows": len(frames[name]), "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": "azerbaijan-kazakhstan-trade-transit",
        "title": "Azerbaijan–Kazakhstan trade and transit indicators, cited to news articles",
        "description": "Figures and dated events quoted in news articles, each row citing its "
                       "article, speaker, date and verbatim quote. Source paths are relative to "
                       "the repository root; build_id digests the inputs and the tables' content.",
        "build_id": build_id,
        "sources": [{"title": f"{r.title} ({r.outlet})", "path": r.raw_path}
                    for r in src.itertuples()],
        "resources": resources,
    }


def to_arrow(df: pd.DataFrame, name: str, build_id: str) -> pa.Table:
    """DataFrame → Arrow table with the contract schema, descriptions and the build id."""
    schema = TABLES[name].arrow_schema()
    table = pa.Table.from_pandas(df[schema.names], schema=schema, preserve_index=False)
    meta = dict(schema.metadata or {})
    meta[BUILD_ID_KEY] = build_id.encode()
    meta[b"table"] = name.encode()
    return table.replace_schema_metadata(meta)


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the exclusive build lock on ``out``; :class:`LockedError` if another build has it."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another build is running (it holds {out / LOCK_NAME}); "
                              "wait for it to finish, then build again") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_tables(frames: dict[str, pd.DataFrame], out: Path, build_id: str) -> None:
    """Write every table and ``datapackage.json`` to ``out``, swapping them in at the end.

    Call with :func:`build_lock` held. Leftover temporary folders of crashed builds are removed.
    """
    for stale in out.glob(TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = out / f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        for name in TABLE_ORDER:
            pq.write_table(to_arrow(frames[name], name, build_id), tmp / f"{name}.parquet")
        package = json.dumps(datapackage(frames, build_id), indent=2, ensure_ascii=False)
        (tmp / PACKAGE).write_text(package + "\n", encoding="utf-8")
        for path in tmp.iterdir():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        for name in TABLE_ORDER:
            os.replace(tmp / f"{name}.parquet", out / f"{name}.parquet")
        os.replace(tmp / PACKAGE, out / PACKAGE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- reading: the one build-consistent reader of the tables -----------------------------------
# Every reader of the project (the dashboard's cached loaders, the server's downloads and static
# embeds, the build's own tests) goes through read_build: each Parquet file is read once as
# bytes, fully decoded (a truncated or corrupt file is refused, never passed on), checked
# against datapackage.json's build_id, and datapackage.json is read again afterwards, so the
# returned TablesBuild (tables, their raw bytes and the package) is one build.

TABLES_ENV = "AZKZ_TABLES_DIR"
BUILD_COMMAND = "python -m etl build"
# A build swaps its files in with os.replace; retrying for about a second covers that.
READ_RETRIES = 20
RETRY_SLEEP = 0.05


class TablesUnavailable(Exception):
    """The tables are missing, unreadable or do not follow the contract; ``str(e)`` says why
    and how to build them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MixedBuilds(TablesUnavailable):
    """A table's ``build_id`` differs from ``datapackage.json``'s (a build is being swapped
    in, or one was killed half-way)."""


@dataclass(frozen=True)
class Tables:
    """Every table of one build, dates as ``datetime64`` (midnight, naive; missing: ``NaT``)."""

    sources: pd.DataFrame
    indicators: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame
    mentions: pd.DataFrame
    reference: pd.DataFrame
    checks: pd.DataFrame
    # The build the tables were read from ('' for tables assembled in memory): what is derived
    # from them once per build (figures shared by every dashboard session) is keyed on it.
    build_id: str = ""

    @cached_property
    def sources_by_id(self) -> dict[str, pd.Series]:
        """Rows of ``sources`` by ``source_id`` (built once per Tables)."""
        return {r["source_id"]: r for _, r in self.sources.iterrows()}

    @cached_property
    def indicators_by_id(self) -> dict[str, pd.Series]:
        """Rows of ``indicators`` by ``indicator_id`` (built once per Tables)."""
        return {r["indicator_id"]: r for _, r in self.indicators.iterrows()}


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
    env = os.environ.get(TABLES_ENV)
    return Path(env) if env else TABLES_DIR


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


def read_build(directory: Path | None = None, retries: int = READ_RETRIES) -> TablesBuild:
    """Every table of ``directory`` with its bytes and ``datapackage.json``, all of one build.

    Raises ``TablesUnavailable`` (``MixedBuilds`` for tables of two builds) naming the file.

    Example:
        >>> build = read_build(TABLES_DIR)
        >>> "trade_turnover" in set(build.tables.figures["indicator_id"])
        True
    """
    directory = _dir(directory)

    def read_all(want: str) -> TablesBuild:
        read = {name: _read_checked(directory, name, want) for name in TABLE_ORDER}
        again, package = _package(directory)
        if again != want:
            raise MixedBuilds(f"{directory / PACKAGE} changed while the tables were read")
        return TablesBuild(want, Tables(**{name: frame for name, (frame, _) in read.items()},
                                        build_id=want),
                           {name: raw for name, (_, raw) in read.items()}, package)

    return consistent(read_all, directory, retries)


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


def read_tables(out: Path, retries: int = READ_RETRIES) -> dict[str, pd.DataFrame]:
    """Every table of ``out`` as the build wrote it (dates as stored), all of one build:
    the bytes :func:`read_build` checked, decoded without conversion.

    Raises ``RuntimeError`` naming the files when they never agree on one build.
    """
    try:
        build = read_build(out, retries)
    except MixedBuilds as exc:
        raise RuntimeError(f"tables in {out} come from different builds: {exc}") from exc
    return {name: pq.read_table(pa.BufferReader(raw)).to_pandas()
            for name, raw in build.parquet.items()}


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


def table_build_id(path: Path) -> str:
    """The ``build_id`` stored in one Parquet file's schema metadata."""
    meta = pq.read_schema(path).metadata or {}
    return meta.get(BUILD_ID_KEY, b"").decode()
