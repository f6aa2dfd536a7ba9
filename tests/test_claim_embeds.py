"""Static fact-check cards (web/claims.py) and the claims' downloads, on a copy of the committed
tables: one card per check and language in the export and the embed catalogue, served with the
chart embeds' headers; ``reference`` and ``checks`` as CSV, Parquet and in the bundle.
Expected text is computed from the tables and the locale files, never typed in."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace

import pyarrow.parquet as pq
import pytest
from starlette.testclient import TestClient

from charts.catalogue import CHARTS
from charts.checks import (
    claim_card,
    claim_embed_id,
    claims,
    claims_page_query,
    references_line,
)
from etl.schema import LANGS, TABLES
from etl.store import load_tables, read_build
from i18n.text import t
from tests.conftest import ROOT
from tests.test_server import make_app, make_builds
from web import export
from web.claims import render_claim_page

BASE = "https://dash.example.org"
MC_CLAIM = "dayaz-qafarov-middle-corridor-2024"


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("claims") / "tables"
    shutil.copytree(ROOT / "data" / "tables", out)
    return out


@pytest.fixture(scope="module")
def tables(tables_dir):
    return load_tables(tables_dir)


@pytest.fixture(scope="module")
def exported(tables_dir):
    return export.render_export(read_build(tables_dir), BASE)


@pytest.fixture(scope="module")
def served(tables_dir, tmp_path_factory):
    builds = make_builds(tmp_path_factory.mktemp("site"), tables_dir)
    assert builds.site.error is None, builds.site.error
    with TestClient(make_app(builds)) as client:
        yield client, builds


def test_a_card_per_check_and_language(exported, tables):
    files, manifest = exported
    cards = {name for name in files if re.fullmatch(r"[a-z]+/claim-[a-z0-9_-]+\.html", name)}
    assert cards == {f"{lang}/{claim_embed_id(fid)}.html" for lang in LANGS
                     for fid in tables.checks["figure_id"]}
    assert cards <= set(manifest["files"])


@pytest.mark.parametrize("lang", LANGS)
def test_card_says_claim_statistic_verdict_and_both_sources(exported, tables, lang):
    files, _ = exported
    for claim in claims(tables):
        page = files[f"{lang}/{claim_embed_id(claim.figure_id)}.html"].decode()
        card = claim_card(claim, tables, lang)
        esc = export.html.escape
        assert f'<html lang="{lang}">' in page
        assert esc(card.verdict_text) in page and f'data-verdict="{card.verdict}"' in page
        assert esc(card.claim) in page and esc(card.quote) in page
        assert esc(card.claim_source) in page
        if claim.reference is not None:
            assert esc(card.statistic) in page and esc(card.statistic_source) in page
            assert f'href="{esc(claim.reference["url"])}"' in page
        link = f"{BASE}/{claims_page_query(lang, claim.figure['indicator_id'])}"
        assert f'href="{esc(link)}"' in page
        # light: no Plotly, no external script or style, one small inline script
        assert "<script src" not in page and "plotly" not in page.lower()
        assert page.count("<script>") == 1
        assert len(page) < 20_000


def test_card_escapes_register_text(tables):
    claim = next(c for c in claims(tables) if c.figure_id == MC_CLAIM)
    hostile = replace(claim, figure=claim.figure.copy())
    hostile.figure["quote"] = '<script>alert(1)</script> "x" & y'
    page = render_claim_page(claim_card(hostile, tables, "en"), "en", BASE)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp; y" in page


def test_catalogue_lists_every_card_with_its_static_snippet(exported, tables):
    files, _ = exported
    index = files["index.html"].decode()
    for lang in LANGS:
        assert t("embed_claims_heading", lang) in index
        for fid in tables.checks["figure_id"]:
            embed = claim_embed_id(fid)
            assert f'id="{lang}-{embed}"' in index
            assert f'href="{lang}/{embed}.html"' in index
            assert export.html.escape(f'src="{BASE}/embed/{lang}/{embed}"') in index
    # a card has no live form: no dashboard embed snippet names a claim
    assert "chart=claim-" not in index


def test_chart_ids_may_not_take_the_claim_prefix(tables_dir):
    charts = {"claim-x": next(iter(CHARTS.values()))}
    with pytest.raises(ValueError, match="claim-x"):
        export.render_export(read_build(tables_dir), BASE, charts)


def test_card_is_served_like_a_chart_embed(served, tables):
    client, builds = served
    path = f"/embed/az/{claim_embed_id(MC_CLAIM)}"
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 1
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-build-id"] == builds.site.current.build_id
    assert "set-cookie" not in r.headers
    assert client.get(path, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert client.get(path + ".html").content == r.content
    assert client.get("/embed/az/claim-no-such-figure").status_code == 404
    assert t("verdict_understates", "az") in r.text


@pytest.mark.parametrize("name", ["reference", "checks"])
def test_reference_and_checks_downloads(served, tables, name):
    client, _ = served
    rows = len(getattr(tables, name))
    assert rows > 0
    csv = client.get(f"/downloads/{name}.csv")
    assert csv.status_code == 200
    lines = csv.text.splitlines()
    assert lines[0].split(",")[: len(TABLES[name].names)] == TABLES[name].names
    parquet = client.get(f"/downloads/{name}.parquet")
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == rows
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/downloads/bundle.zip").content))
    assert {f"{name}.csv", f"{name}.parquet"} <= set(bundle.namelist())
    assert pq.read_table(io.BytesIO(bundle.read(f"{name}.parquet"))).num_rows == rows
    assert bundle.read(f"{name}.csv") == csv.content
    package = client.get("/downloads/datapackage.json").json()
    assert name in {r["name"] for r in package["resources"]}


def test_chart_embed_cites_the_statistics_it_draws(exported, tables):
    files, _ = exported
    for lang in LANGS:
        page = files[f"{lang}/transit-cargo.html"].decode()
        caption = re.search(r'<figcaption class="azkz-source">(.*?)</figcaption>', page, re.S)
        fig = CHARTS["transit-cargo"].build(tables, lang, "light")
        assert export.html.escape(references_line(fig, tables, lang)) in caption.group(1)
