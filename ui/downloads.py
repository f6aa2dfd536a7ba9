"""Downloadable forms of the tables: CSV, Parquet and one zip bundle.

The bundle holds every table as CSV and Parquet, ``datapackage.json`` (the build's when present,
else one generated from ``etl/schema.py``) and a README on sources, caveats and citation. The
server engineer reuses these functions for the HTTP download routes.

Example:
    >>> data = bundle_zip(Path(__file__).resolve().parents[1] / "data" / "tables")
    >>> data[:2]  # a zip archive
    b'PK'
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.schema import TABLE_ORDER, TABLES
from etl.store import BUILD_ID_KEY, frictionless_type
from ui.data import BUILD_COMMAND, MixedBuilds, TablesUnavailable, consistent, read_table

README = """# Azerbaijan–Kazakhstan trade and transit indicators

Tables built by `{build}` from five Azerbaijani news articles (see `sources.csv`).
Every figure carries its article (`source_id`), who said it (`attributed_to`), the period it
covers, and the verbatim quote with its character offsets in the raw article text.

## Caveats
- Figures are what the articles quote, not official statistics. `qualifier` (more_than,
  approx, ...) is part of the figure: "more than N tonnes" is not "N tonnes".
- `kind` separates reported values (observed) from targets, forecasts, agreements, changes and
  values computed by the build (derived, with `formula` and `inputs`); never present a derived
  row as quoted.
- Kazakh-side and Azerbaijani-side trade figures (`reporting_side`) cover different periods and
  come from different statistics bodies; do not add them up.
- Some publication dates are inferred (`published_basis` = inferred, explained in
  `published_note`); periods resolved from such dates carry `period_basis` = inferred.
- Read the `note` column (`note_az`: the same caveat in Azerbaijani): it carries known doubts
  (e.g. an ambiguous year).

## Files
{files}

## Citation
Cite the original article for each figure (outlet, date, speaker: see `sources.csv`), and this
dataset as "Azerbaijan–Kazakhstan trade and transit indicators, compiled from news articles".
"""


def table_parquet(tables_dir: Path, name: str) -> bytes:
    """The Parquet file of table ``name`` as written by the build."""
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {list(TABLE_ORDER)}")
    path = Path(tables_dir) / f"{name}.parquet"
    if not path.is_file():
        raise TablesUnavailable(f"{path} is missing. Build the tables with `{BUILD_COMMAND}`.")
    return path.read_bytes()


def table_csv(tables_dir: Path, name: str) -> bytes:
    """Table ``name`` as UTF-8 CSV (dates ISO 8601, empty cells for nulls)."""
    return _csv(read_table(Path(tables_dir), name))


def _csv(frame: pd.DataFrame) -> bytes:
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime64"):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False).encode("utf-8")


def datapackage(tables_dir: Path) -> dict:
    """The build's datapackage.json, or a minimal one generated from the schema."""
    path = Path(tables_dir) / "datapackage.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {
        "name": "azkz-indicators",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "description": TABLES[name].description,
                "schema": {
                    "fields": [
                        {"name": c.name, "type": frictionless_type(c.type),
                         "description": c.description}
                        for c in TABLES[name].columns
                    ],
                    "primaryKey": list(TABLES[name].primary_key),
                },
            }
            for name in TABLE_ORDER
        ],
    }


def bundle_zip(tables_dir: Path) -> bytes:
    """Every table as CSV and Parquet, datapackage.json and README.md in one zip.

    All files come from one build: each Parquet file is read once and its ``build_id`` checked
    against ``datapackage.json`` (retried while a build is being swapped in, as the dashboard's
    loaders do).
    """
    directory = Path(tables_dir)
    return consistent(lambda want: _bundle(directory, want), directory)


def _bundle(directory: Path, want: str) -> bytes:
    buf = io.BytesIO()
    files = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in TABLE_ORDER:
            raw = table_parquet(directory, name)
            arrow = pq.read_table(pa.BufferReader(raw))
            got = (arrow.schema.metadata or {}).get(BUILD_ID_KEY, b"").decode("utf-8", "replace")
            if got != want:
                raise MixedBuilds(f"{directory / f'{name}.parquet'} comes from build "
                                  f"{got[:12] or '(none)'}, not {want[:12]}")
            zf.writestr(f"{name}.csv", _csv(arrow.to_pandas()))
            zf.writestr(f"{name}.parquet", raw)
            files.append(f"- `{name}.csv` / `{name}.parquet` ({arrow.num_rows} rows): "
                         f"{TABLES[name].description}")
        package = datapackage(directory)
        if package.get("build_id") != want:
            raise MixedBuilds(f"{directory / 'datapackage.json'} changed while zipping")
        zf.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        zf.writestr("README.md", README.format(build=BUILD_COMMAND, files="\n".join(files)))
    return buf.getvalue()
