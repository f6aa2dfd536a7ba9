"""The build writes contract-true Parquet tables and a Frictionless package, deterministically."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from etl.schema import TABLE_ORDER, TABLES
from etl.store import read_tables
from tests.conftest import ROOT


def test_parquet_schema_matches_the_contract(corpus):
    for name in TABLE_ORDER:
        schema = pq.read_schema(corpus.tables / f"{name}.parquet")
        want = TABLES[name].arrow_schema()
        assert schema.names == want.names, name
        assert [f.type for f in schema] == [f.type for f in want], name
        for field, col in zip(schema, TABLES[name].columns, strict=True):
            assert field.metadata[b"description"].decode() == col.description
            assert field.nullable == col.nullable


def test_datapackage(corpus):
    pkg = json.loads((corpus.tables / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["profile"] == "tabular-data-package"
    assert [r["name"] for r in pkg["resources"]] == list(TABLE_ORDER)
    assert [s["path"] for s in pkg["sources"]] == ["data/raw/articles/a.txt",
                                                   "data/raw/articles/b.txt"]
    res = {r["name"]: r for r in pkg["resources"]}
    fig = res["figures"]
    assert fig["path"] == "figures.parquet" and fig["format"] == "parquet"
    assert fig["schema"]["primaryKey"] == ["figure_id"]
    fks = {(f["fields"], f["reference"]["resource"]) for f in fig["schema"]["foreignKeys"]}
    assert fks == {("source_id", "sources"), ("indicator_id", "indicators")}
    types = {f["name"]: f["type"] for f in fig["schema"]["fields"]}
    assert types["value"] == "number" and types["quote_start"] == "integer"
    assert types["period_start"] == "date" and types["quote"] == "string"
    assert all(f["description"] for r in pkg["resources"] for f in r["schema"]["fields"])
    frames = read_tables(corpus.tables)
    assert {r["name"]: r["rows"] for r in pkg["resources"]} == \
        {k: len(v) for k, v in frames.items()}


def test_rebuild_is_byte_identical(corpus, tmp_path):
    code = corpus.cli("build", "--out", str(tmp_path / "again"))
    assert code.code == 0, code.err
    again = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()
             if not p.name.startswith(".")}
    assert again == corpus.snapshot


def test_check_writes_nothing(corpus):
    corpus.replace("dismissals.yaml", "Length of a visit", "Length of the visit")
    result = corpus.cli("check")
    assert result.code == 0, result.err
    assert "check passed" in result.out
    assert corpus.unchanged()
    assert not list(corpus.tables.glob(".build-*"))


def test_build_replaces_tables_and_leaves_no_temporary_folder(corpus):
    corpus.replace("dismissals.yaml", "Length of a visit", "Length of the visit")
    result = corpus.build()
    assert result.code == 0 and "wrote" in result.out
    assert not corpus.unchanged()
    assert not list(corpus.tables.glob(".build-*"))
    reasons = set(read_tables(corpus.tables)["mentions"]["reason"].dropna())
    assert reasons == {"Length of the visit, not an indicator."}


def test_cli_subprocess_success(corpus, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "etl", "build", "--root", str(corpus.root),
                           "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout and "figures" in proc.stdout


def test_read_tables_refuses_a_mix_of_builds(corpus, tmp_path):
    corpus.replace("dismissals.yaml", "Length of a visit", "Length of the visit")
    other = tmp_path / "other"
    assert corpus.cli("build", "--out", str(other)).code == 0
    # Simulate a reader racing a swap that never finishes: one file from the newer build.
    (corpus.tables / "mentions.parquet").write_bytes((other / "mentions.parquet").read_bytes())
    with pytest.raises(RuntimeError, match="come from different builds"):
        read_tables(corpus.tables, retries=2)
    assert read_tables(other)["mentions"]["reason"].notna().any()
