"""Downloadable forms of the tables: CSV, Parquet, datapackage.json and one zip bundle.

Pure (no Streamlit, no HTTP): the dashboard's Data page (``ui/``) and the server's
``/downloads/`` routes (``web/``) both serve these bytes.

Every file is made from one :class:`etl.store.TablesBuild` (tables read once, fully decoded and
checked against ``datapackage.json``'s ``build_id``), so no download mixes two builds or passes
on a corrupt file. :func:`for_build` makes the whole set once per build; the server keeps it
until the tables change. The output is deterministic: the same build gives the same bytes in
every process (the zip's entries carry a fixed timestamp), so ETags agree across servers.

The bundle holds every table as CSV and Parquet, the build's ``datapackage.json`` (with its
``build_id``) and a README on sources, caveats, citation and the build id in every language:
``README.md`` in the register's language (English), ``README.<lang>.md`` for the others
(the text is ``bundle_readme`` in ``i18n/locales/<lang>.yaml``).

Example:
    >>> from etl.paths import TABLES_DIR
    >>> files = for_build(read_build(TABLES_DIR))
    >>> files.get("bundle.zip").body[:2], "figures.csv" in files.names()
    (b'PK', True)
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.schema import LANGS, TABLE_ORDER, TABLES
from etl.store import BUILD_COMMAND, PACKAGE, TablesBuild, read_build
from i18n.text import REGISTER_LANG, t

BUNDLE = "bundle.zip"
# The zip format's earliest date: entries carry it instead of the time of zipping, so one
# build always gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet",
               ".json": "application/json", ".zip": "application/zip"}

@dataclass(frozen=True)
class Download:
    """One downloadable file: its bytes, media type, the name a browser saves it under and a
    strong ETag (a digest of the bytes)."""

    body: bytes
    media_type: str
    filename: str
    etag: str


@dataclass(frozen=True)
class Downloads:
    """Every downloadable file of one build, by request name (``figures.csv``, ``bundle.zip``)."""

    build_id: str
    files: dict[str, Download]

    def get(self, name: str) -> Download | None:
        return self.files.get(name)

    def names(self) -> list[str]:
        return list(self.files)


def _download(name: str, body: bytes, filename: str | None = None) -> Download:
    return Download(body, MEDIA_TYPES[Path(name).suffix], filename or name,
                    '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV, dates ISO 8601, empty cells for nulls (the frame is not changed)."""
    frame = frame.copy()
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime64"):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False).encode("utf-8")


def _zip(entries: dict[str, bytes]) -> bytes:
    """A deflated zip of ``entries`` that depends on nothing but their names and bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the host: same bytes everywhere
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def readme_name(lang: str) -> str:
    """``README.md`` for the register's language, ``README.<lang>.md`` for the others."""
    return "README.md" if lang == REGISTER_LANG else f"README.{lang}.md"


def readme(build: TablesBuild, lang: str) -> str:
    """The bundle's README in ``lang``: what the tables hold, caveats, files, build, citation.
    The table descriptions come from the schema (``etl/schema.py``, English)."""
    lines = [f"- `{name}.csv` / `{name}.parquet` "
             f"({t('bundle_rows', lang, rows=len(getattr(build.tables, name)))}): "
             f"{TABLES[name].description}" for name in TABLE_ORDER]
    return t("bundle_readme", lang, build=BUILD_COMMAND, build_id=build.build_id,
             files="\n".join(lines))


def for_build(build: TablesBuild) -> Downloads:
    """Every download of ``build``: each table as CSV and Parquet, datapackage.json, bundle.zip.

    The Parquet files and datapackage.json are the exact bytes the build wrote (and that
    ``build`` decoded and checked); the CSVs are made from the decoded tables.
    """
    entries: dict[str, bytes] = {}
    for name in TABLE_ORDER:
        entries[f"{name}.csv"] = _csv(getattr(build.tables, name))
        entries[f"{name}.parquet"] = build.parquet[name]
    entries[PACKAGE] = build.package
    files = {name: _download(name, data) for name, data in entries.items()}
    readmes = {readme_name(lang): readme(build, lang).encode("utf-8") for lang in LANGS}
    files[BUNDLE] = _download(BUNDLE, _zip({**entries, **readmes}), "azkz-indicators.zip")
    return Downloads(build.build_id, files)


def table_parquet(tables_dir: Path, name: str) -> bytes:
    """The Parquet file of table ``name`` as written by the build, once it has been read whole
    and checked to belong to the same build as every other table (``TablesUnavailable`` else).
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {list(TABLE_ORDER)}")
    return read_build(Path(tables_dir)).parquet[name]


def table_csv(tables_dir: Path, name: str) -> bytes:
    """Table ``name`` as UTF-8 CSV (dates ISO 8601, empty cells for nulls), of one build."""
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {list(TABLE_ORDER)}")
    return _csv(getattr(read_build(Path(tables_dir)).tables, name))


def bundle_zip(tables_dir: Path) -> bytes:
    """Every table as CSV and Parquet, datapackage.json and README.md in one zip, all of one
    build (``TablesUnavailable`` / ``MixedBuilds`` naming the file otherwise)."""
    return for_build(read_build(Path(tables_dir))).files[BUNDLE].body
