"""Guardrails over the real register and the committed tables.

* the whole register is swept and the test fails once, listing every violation;
* the committed ``data/tables/`` equal a fresh rebuild (so they never drift from the register);
* the committed tables keep the contract: columns, order and types, verbatim quotes at their
  offsets, article digests, valid statuses, resolvable references.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.build import run
from etl.errors import BuildError
from etl.schema import MENTION_STATUSES, TABLE_ORDER, TABLES
from etl.store import read_tables
from etl.tables import raw_text
from tests.conftest import ROOT

COMMITTED = ROOT / "data" / "tables"


def test_real_register_passes_every_check():
    try:
        run(ROOT, write=False)
    except BuildError as exc:
        pytest.fail(exc.report(), pytrace=False)


@pytest.fixture(scope="module")
def committed():
    assert (COMMITTED / "datapackage.json").exists(), "run `python -m etl build` and commit"
    return read_tables(COMMITTED)


def test_committed_tables_equal_a_fresh_rebuild(tmp_path, committed):
    fresh = run(ROOT, out=tmp_path / "tables").out
    rebuilt = read_tables(fresh)
    for name in TABLE_ORDER:
        pd.testing.assert_frame_equal(committed[name], rebuilt[name], obj=name)
    pkg = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg == json.loads((fresh / "datapackage.json").read_text(encoding="utf-8")), \
        "datapackage.json differs from a rebuild: run `python -m etl build` and commit"


def test_committed_schema(committed):
    for name in TABLE_ORDER:
        schema = pq.read_schema(COMMITTED / f"{name}.parquet")
        assert schema.names == TABLES[name].names
        assert [f.type for f in schema] == [c.type for c in TABLES[name].columns]
        assert len(committed[name]) > 0, f"{name} is empty"


def test_committed_quotes_and_digests(committed):
    sources = committed["sources"].set_index("source_id")
    texts = {sid: raw_text(ROOT, row.raw_path) for sid, row in sources.iterrows()}
    bad = []
    for sid, row in sources.iterrows():
        digest = hashlib.sha256((ROOT / row.raw_path).read_bytes()).hexdigest()
        if digest != row.sha256:
            bad.append(f"source {sid}: sha256 differs from {row.raw_path}")
    for table, key in (("figures", "figure_id"), ("events", "event_id")):
        df = committed[table]
        quoted = df[df["quote_start"].notna()] if table == "figures" else df
        for row in quoted.itertuples():
            s, e = int(row.quote_start), int(row.quote_end)
            body = sources.loc[row.source_id]
            if texts[row.source_id][s:e] != row.quote:
                bad.append(f"{table} {getattr(row, key)}: raw[{s}:{e}] != quote")
            if not body.body_start <= s < e <= body.body_end:
                bad.append(f"{table} {getattr(row, key)}: quote outside the body")
    figs = committed["figures"]
    derived = figs[figs["kind"] == "derived"]
    if derived["formula"].isna().any() or derived["quote_start"].notna().any():
        bad.append("derived rows need a formula and no offsets")
    if figs.loc[figs["kind"] != "derived", "quote_start"].isna().any():
        bad.append("quoted figures without offsets")
    m = committed["mentions"]
    for row in m.itertuples():
        if texts[row.source_id][row.start:row.end] != row.text:
            bad.append(f"mention {row.source_id}@{row.start}: text differs from the raw text")
    if not set(m["status"]) <= set(MENTION_STATUSES):
        bad.append(f"mention statuses {set(m['status'])}")
    reg = m[m["status"] == "registered"]
    if not (reg["figure_id"].notna() | reg["event_id"].notna()).all():
        bad.append("registered mentions without a figure or event")
    if m.loc[m["status"] == "dismissed", "reason"].isna().any():
        bad.append("dismissed mentions without a reason")
    if not set(reg["figure_id"].dropna()) <= set(figs["figure_id"]):
        bad.append("mentions point at unknown figures")
    if not set(figs["source_id"]) <= set(sources.index):
        bad.append("figures point at unknown sources")
    if not set(figs["indicator_id"]) <= set(committed["indicators"]["indicator_id"]):
        bad.append("figures point at unknown indicators")
    assert not bad, "\n".join(bad)
