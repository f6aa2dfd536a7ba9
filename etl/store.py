"""Write the tables atomically under a lock, with a Frictionless ``datapackage.json``.

Design (readers never use a mix of old and new tables):

* One exclusive ``fcntl.flock`` on ``<out>/.lock`` is held for a whole build. A second build that
  starts meanwhile does **not wait**: it fails at once with "another build is running".
* Every file is first written to ``<out>/.build-<pid>-<random>/`` (same filesystem), then moved
  into place with ``os.replace`` — the Parquet files first, ``datapackage.json`` last. Nothing is
  written before every check has passed, so on any failure the last good tables stay untouched.
* Each Parquet file carries the build's ``build_id`` (a digest of the register and article bytes
  and of the tables' content) in its schema metadata, and so does ``datapackage.json``: the
  manifest. :func:`read_tables` reads all tables and retries when the ids disagree, i.e. when it
  raced the few ``os.replace`` calls of a concurrent swap, so a reader that goes through it never
  mixes two builds. (A build killed between two of those calls leaves a mix that
  :func:`read_tables` reports by name; the next build repairs it.)

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
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.errors import LockedError
from etl.schema import (
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
    ("sources", "published_basis"): ("stated", "inferred"),
    ("indicators", "unit"): UNITS,
    ("indicators", "category"): CATEGORIES,
    ("figures", "kind"): FIGURE_KINDS,
    ("figures", "unit"): UNITS,
    ("figures", "qualifier"): QUALIFIERS,
    ("figures", "period_basis"): ("stated", "inferred"),
    ("figures", "reporting_side"): ("AZ", "KZ"),
    ("events", "kind"): EVENT_KINDS,
    ("events", "precision"): PRECISIONS,
    ("events", "date_basis"): ("stated", "inferred"),
    ("mentions", "status"): MENTION_STATUSES,
    ("mentions", "qualifier"): QUALIFIERS,
    ("mentions", "unit"): UNITS,
    ("figures", "definition"): DEFINITIONS,
    ("reference", "kind"): REFERENCE_KINDS,
    ("reference", "unit"): UNITS,
    ("reference", "qualifier"): QUALIFIERS,
    ("reference", "reporting_side"): ("AZ", "KZ"),
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


def read_tables(out: Path, retries: int = 20) -> dict[str, pd.DataFrame]:
    """Read every table from ``out``, guaranteed to come from one build.

    Compares each file's ``build_id`` with ``datapackage.json`` and re-reads when a concurrent
    build was swapping files in; raises ``RuntimeError`` naming the files if they never agree.
    """
    for _ in range(retries):
        package = json.loads((out / PACKAGE).read_text(encoding="utf-8"))
        want = package["build_id"]
        frames, ids = {}, {}
        for res in package["resources"]:
            table = pq.read_table(out / res["path"])
            ids[res["path"]] = (table.schema.metadata or {}).get(BUILD_ID_KEY, b"").decode()
            frames[res["name"]] = table.to_pandas()
        again = json.loads((out / PACKAGE).read_text(encoding="utf-8"))["build_id"]
        if again == want and all(i == want for i in ids.values()):
            return frames
        time.sleep(0.05)
    raise RuntimeError(f"tables in {out} come from different builds: {ids} vs "
                       f"datapackage.json {want}; run `python -m etl build`")


def table_build_id(path: Path) -> str:
    """The ``build_id`` stored in one Parquet file's schema metadata."""
    meta = pq.read_schema(path).metadata or {}
    return meta.get(BUILD_ID_KEY, b"").decode()
