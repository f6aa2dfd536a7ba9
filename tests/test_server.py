"""Routes of the one-process server (web/app.py, web/server.py).

Most tests drive the project routes and header middleware through Starlette's TestClient (the
same objects ``create_app`` hands to ``st.App``); one test starts the real server process and
checks that the dashboard, Streamlit's own endpoints and the project routes answer together.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
import uvicorn
import uvloop
from starlette.applications import Starlette
from starlette.testclient import TestClient

from charts.catalogue import CHARTS
from etl.schema import LANGS, TABLE_ORDER, TABLES
from etl.store import load_tables
from harness.cluster import free_port
from tests.fixtures.charts import figure_specs
from tests.fixtures.tables import ROOT, figures_frame, write_tables
from web import export, server
from web.delivery import middleware

CHART = next(iter(CHARTS))


def make_builds(site_dir: Path, tables_dir: Path) -> server.Builds:
    """The server's build watcher, without its thread: requests look at the tables, and the
    test renders the embeds when it wants them (``render_if_needed``)."""
    site = server.EmbedSite(site_dir, "https://dash.example.org")
    site.load()
    builds = server.Builds(tables_dir, site)
    builds.render_if_needed()
    return builds


def make_app(builds: server.Builds) -> Starlette:
    return Starlette(routes=server.routes(builds), middleware=middleware())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("server")
    tables_dir = write_tables(tmp / "tables")
    builds = make_builds(tmp / "site", tables_dir)
    assert builds.site.error is None, builds.site.error
    with TestClient(make_app(builds)) as client:
        yield client, builds, tables_dir


def raw_asgi_get(app, raw_path: bytes) -> tuple[int, bytes]:
    """GET with the path exactly as given (HTTP clients normalise '../' before sending)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    path = raw_path.split(b"?")[0]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path.decode("latin-1"),
             "raw_path": path, "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1),
             "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


def test_static_embed_page_headers_and_revalidation(served, monkeypatch):
    client, _, _ = served
    monkeypatch.setenv("AZKZ_FRAME_ANCESTORS", "https://news.example 'self'")
    r = client.get(f"/embed/az/{CHART}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors https://news.example 'self'" in csp
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "no-cache" in r.headers["cache-control"]
    assert "set-cookie" not in r.headers
    etag = r.headers["etag"]
    # weak: the compression middleware sends the gzip and identity forms under one tag
    assert re.fullmatch(r'W/"[0-9a-f]{20}"', etag)
    again = client.get(f"/embed/az/{CHART}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(f"/embed/az/{CHART}.html").content == r.content
    other = client.get(f"/embed/az/{CHART}", headers={"If-None-Match": '"nope"'})
    assert other.status_code == 200


def test_inline_scripts_are_allowed_by_hash_only(served):
    client, _, _ = served
    r = client.get(f"/embed/en/{CHART}")
    csp = r.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 1


def test_default_frame_ancestors_is_any(served, monkeypatch):
    client, _, _ = served
    monkeypatch.delenv("AZKZ_FRAME_ANCESTORS", raising=False)
    r = client.get(f"/embed/en/{CHART}")
    assert r.headers["content-security-policy"].endswith("frame-ancestors *")


def test_plotly_js_is_cacheable_forever_and_compressed(served):
    client, builds, _ = served
    name = next(n for n in builds.site.current.assets if n.startswith("plotly-"))
    r = client.get(f"/embed/{name}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"].startswith("text/javascript")
    assert int(r.headers["content-length"]) < len(r.content) / 2  # httpx decoded it
    plain = client.get(f"/embed/{name}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == r.content
    page = client.get(f"/embed/az/{CHART}").text
    assert f'src="../{name}"' in page
    assert client.get("/embed/plotly-000000000000.min.js").status_code == 404


def test_host_script_and_index(served):
    client, _, _ = served
    r = client.get("/embed/host.js")
    assert r.status_code == 200 and "azkz-embed-height" in r.text
    assert r.headers["content-type"].startswith("text/javascript")
    index = client.get("/embed/")
    assert index.status_code == 200 and "&lt;iframe" in index.text
    moved = client.get("/embed", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/embed/"


@pytest.mark.parametrize("path", [
    "/embed/az/no-such-chart",
    "/embed/fr/" + CHART,
    "/embed/az/" + CHART.upper(),
    "/embed/manifest.json",
    "/embed/az/..%2F..%2Fpyproject.toml",
    "/embed/%2e%2e/%2e%2e/pyproject.toml",
    "/embed/az/%2e%2e%2fmanifest",
    "/embed/az/" + CHART + "%00.html",
    "/embed/az/" + CHART + "/extra",
    "/embed/az/" + CHART + ".html.bak",
    "/embed/..%5c..%5cpyproject.toml",
    "/downloads/..%2Fpyproject.toml",
    "/downloads/nope.csv",
    "/downloads/figures.xlsx",
])
def test_unknown_and_hostile_paths_are_404_pages(served, path):
    client, _, _ = served
    r = client.get(path)
    assert r.status_code == 404, path
    assert r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text and "<h1>404</h1>" in r.text
    # one message per language of LANGS, each marked with its language
    for lang in LANGS:
        assert f'<p lang="{lang}">' in r.text, lang


@pytest.mark.parametrize("raw", [
    b"/embed/../pyproject.toml", b"/embed/az/../../pyproject.toml",
    b"/embed/az/../manifest.json", b"/embed/./manifest.json", b"/downloads/../../etc/passwd",
    b"/embed/az/\x00", b"/embed//etc/passwd",
])
def test_literal_dot_segments_never_escape(served, raw):
    _, builds, _ = served
    status, body = raw_asgi_get(make_app(builds), raw)
    assert status == 404, raw
    assert b"[build-system]" not in body and b"root:" not in body


def test_downloads(served):
    client, _, tables_dir = served
    tables = load_tables(tables_dir)
    for name in TABLE_ORDER:
        csv = client.get(f"/downloads/{name}.csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        header = csv.text.splitlines()[0].split(",")
        assert header[: len(TABLES[name].names)] == TABLES[name].names
        parquet = client.get(f"/downloads/{name}.parquet")
        assert parquet.status_code == 200
        assert pq.read_table(io.BytesIO(parquet.content)).num_rows == len(getattr(tables, name))
        assert f'filename="{name}.parquet"' in parquet.headers["content-disposition"]
        again = client.get(f"/downloads/{name}.csv", headers={"If-None-Match": csv.headers["etag"]})
        assert again.status_code == 304
    package = client.get("/downloads/datapackage.json").json()
    assert {r["name"] for r in package["resources"]} == set(TABLE_ORDER)
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/downloads/bundle.zip").content))
    assert {f"{n}.csv" for n in TABLE_ORDER} <= set(bundle.namelist())


def test_healthz_counts_rows_and_503_without_tables(served, tmp_path):
    client, _, tables_dir = served
    r = client.get("/healthz")
    assert r.status_code == 200
    tables = load_tables(tables_dir)
    assert r.json()["tables"] == {n: len(getattr(tables, n)) for n in TABLE_ORDER}
    assert r.json()["embeds"] == "ok"
    empty = tmp_path / "empty"
    empty.mkdir()
    builds = make_builds(tmp_path / "site", empty)
    assert builds.site.current is None
    with TestClient(make_app(builds)) as down:
        r = down.get("/healthz")
        assert r.status_code == 503
        assert r.json()["status"] == "unavailable" and "sources.parquet" in r.json()["error"]
        page = down.get(f"/embed/az/{CHART}")
        assert page.status_code == 503 and "Traceback" not in page.text
        assert down.get("/downloads/figures.csv").status_code == 503
    assert not (tmp_path / "site").exists()


def test_export_is_rebuilt_when_the_tables_change(tmp_path):
    tables_dir = write_tables(tmp_path / "tables")
    builds = make_builds(tmp_path / "site", tables_dir)
    with TestClient(make_app(builds)) as client:
        chart = next(c for c, s in CHARTS.items()
                     if "figure_id" in s.rows(load_tables(tables_dir)).columns)
        before = client.get(f"/embed/en/{chart}")
        figures = figures_frame()
        figures["quote_en"] = figures["quote_en"] + " (edited)"
        write_tables(tables_dir, {"figures": figures})
        builds.render_if_needed()  # what the watcher thread does within POLL_SECONDS
        after = client.get(f"/embed/en/{chart}")
        assert after.headers["etag"] != before.headers["etag"]
        assert "(edited)" in after.text and "(edited)" not in before.text


def test_site_dir_needs_no_rebuild_when_up_to_date(tmp_path):
    tables_dir = write_tables(tmp_path / "tables")
    make_builds(tmp_path / "site", tables_dir)
    stamp = (tmp_path / "site" / "index.html").stat().st_mtime_ns
    again = make_builds(tmp_path / "site", tables_dir)
    assert again.site.render_seconds is None  # taken from disk, not rendered
    assert (tmp_path / "site" / "index.html").stat().st_mtime_ns == stamp


# --- the real process ----------------------------------------------------------------------

def start_server(tmp: Path, tables_dir: Path, port: int, **env: str) -> subprocess.Popen:
    environment = {**os.environ, "AZKZ_TABLES_DIR": str(tables_dir),
                   "AZKZ_BASE_URL": f"http://127.0.0.1:{port}", **env}
    log = open(tmp / f"server-{port}.log", "wb")  # the child inherits it
    return subprocess.Popen(
        [sys.executable, "-m", "web", "--host", "127.0.0.1", "--port", str(port),
         "--site", str(tmp / "site")],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(proc: subprocess.Popen, base: str, log: Path, timeout: float = 90,
               embeds: bool = True) -> dict:
    """The first ``/healthz`` body that is ok (200) and, with ``embeds``, names the static
    export as rendered (the server listens first and renders it in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}):\n{log.read_text()}")
        try:
            r = httpx.get(base + "/healthz", timeout=2)
            if r.status_code == 200 and (not embeds or r.json()["embeds"] == "ok"):
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"server not ready in {timeout}s:\n{log.read_text()}")


def raw_http(port: int, path: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_one_process_serves_dashboard_embeds_and_streamlit(tmp_path):
    tables_dir = write_tables(tmp_path / "tables")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp_path, tables_dir, port, AZKZ_FRAME_ANCESTORS="'self'")
    try:
        # a first start (no export on disk): the server answers before the export is rendered
        first = wait_ready(proc, base, tmp_path / f"server-{port}.log", embeds=False)
        assert first["status"] == "ok" and first["embeds"] == "rendering", first
        assert first["artefacts"]["embeds"]["build_id"] is None
        assert first["artefacts"]["downloads"]["build_id"] == first["build_id"]
        # ... and renders it in the background
        done = wait_ready(proc, base, tmp_path / f"server-{port}.log")
        assert done["artefacts"]["embeds"]["build_id"] == first["build_id"]
        assert json.loads((tmp_path / "site" / "manifest.json").read_text())["build_id"] == \
            first["build_id"]
        home = httpx.get(base + "/")
        assert home.status_code == 200 and "<noscript>" in home.text  # Streamlit's index
        assert home.headers["content-security-policy"] == "frame-ancestors 'self'"
        assert home.headers["x-content-type-options"] == "nosniff"
        health = httpx.get(base + "/_stcore/health")
        assert health.status_code == 200 and health.text == "ok"
        # XSRF protection is still on: Streamlit hands out its token cookie.
        assert "_streamlit_xsrf" in health.headers.get("set-cookie", "")
        assert httpx.get(base + "/healthz").json()["status"] == "ok"
        page = httpx.get(f"{base}/embed/az/{CHART}")
        assert page.status_code == 200 and "frame-ancestors 'self'" in \
            page.headers["content-security-policy"]
        assert (tmp_path / "site" / "index.html").is_file()  # rendered after startup
        js = re.search(r'src="\.\./(plotly-[0-9a-f]+\.min\.js)"', page.text).group(1)
        r = httpx.get(f"{base}/embed/{js}", headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert r.content == export.PLOTLY_JS.read_bytes()  # httpx undid the gzip
        for raw in (b"/embed/../pyproject.toml", b"/embed/az/..%2f..%2fpyproject.toml",
                    b"/embed/%2e%2e/pyproject.toml", b"/downloads/..%2f..%2fetc%2fpasswd"):
            reply = raw_http(port, raw)
            status = int(reply.split(b" ", 2)[1])
            assert status in (400, 404), (raw, reply[:200])
            assert b"[build-system]" not in reply and b"root:x" not in reply
        static = httpx.get(base + "/static/" + re.search(r'/static/js/[^"]+\.js', home.text)
                           .group(0).removeprefix("/static/"))
        assert static.status_code == 200
        assert json.loads(httpx.get(base + "/downloads/datapackage.json").text)["resources"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- the live embed (dashboard.py?embed=true&chart=...) -------------------------------------

def run_live_embed(chart: str, lang: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["embed"] = "true"
    at.query_params["chart"] = chart
    at.query_params["lang"] = lang
    return at.run()


def test_live_embed_shows_one_chart_with_its_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(write_tables(tmp_path / "tables")))
    at = run_live_embed("trade-turnover", "en")
    assert not at.exception
    assert len(figure_specs(at)) == 1
    assert len(at.sidebar) == 0
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Source") for c in captions), captions
    assert not at.get("expander")  # no embed code, no navigation, nothing else


@pytest.mark.parametrize("chart", ["no-such-chart", "../../etc/passwd", "<script>x</script>"])
def test_live_embed_of_an_unknown_chart_is_a_friendly_message(tmp_path, monkeypatch, chart):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(write_tables(tmp_path / "tables")))
    at = run_live_embed(chart, "az")
    assert not at.exception
    assert len(figure_specs(at)) == 0
    assert "Belə qrafik yoxdur" in at.info[0].value
    assert "<script>" not in at.info[0].value


@pytest.mark.parametrize("chart", [":material/warning:", ":red[x] **bold** :smile:",
                                   "[a](javascript:alert(1))"])
def test_live_embed_shows_the_requested_id_as_plain_text(tmp_path, monkeypatch, chart):
    """An id from the URL is shown as it was typed: in a text element, never as Markdown (where
    Streamlit would draw ':material/warning:' as an icon and ':red[x]' in red)."""
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(write_tables(tmp_path / "tables")))
    at = run_live_embed(chart, "en")
    assert not at.exception
    assert at.text[0].value == f"Requested chart: {chart}"
    markdown = [e.value for kind in ("info", "markdown", "caption", "warning")
                for e in at.get(kind)]
    assert markdown and not any(chart in m or ":material" in m for m in markdown), markdown


def test_live_embed_without_tables_says_so(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tmp_path / "empty"))
    at = run_live_embed("trade-turnover", "en")
    assert not at.exception
    assert "not available" in at.warning[0].value


def test_the_server_runs_on_uvicorns_fast_loop_and_http_parser():
    """Streamlit's server leaves uvicorn's loop and HTTP implementation on "auto": with uvloop
    and httptools installed (pyproject.toml) it serves Streamlit's 80-odd chunks of a first
    visit about four times as fast as with the pure-Python ones (bench/bench_pages.py)."""
    config = uvicorn.Config(app=Starlette(), loop="auto", http="auto")
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    assert config.get_loop_factory() is uvloop.new_event_loop
