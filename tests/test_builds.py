"""One build everywhere (issue 8): every artefact the server derives from the tables (downloads,
bundle, static embeds) is of the build ``datapackage.json`` names, follows a new build within
seconds, and is refused (503, bilingual page, security headers) rather than served corrupt or
mixed.

Most tests drive ``web.server.Builds`` through Starlette's TestClient without its watcher thread
(``render_if_needed`` stands in for it); one starts the real server and builds twice back to back.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from charts.catalogue import CHARTS
from downloads import bundle as downloads
from etl import store
from etl.schema import TABLE_ORDER
from etl.store import PACKAGE
from harness.cluster import free_port
from tests.fixtures.tables import ROOT, figures_frame, write_tables
from tests.test_server import make_app, make_builds, start_server, wait_ready
from web import export, server
from web.app import watching
from web.delivery import middleware

CHART = "trade-turnover"  # its English page quotes every trade figure's quote_en
DOWNLOADS = sorted(server.download_names())
EMBED = f"/embed/en/{CHART}"


def marked(directory: Path, mark: str) -> str:
    """Build the fixture tables into ``directory`` with ``mark`` appended to every quote_en (as
    ``etl build`` does: Parquet files swapped in first, datapackage.json last); its build id."""
    figures = figures_frame()
    figures["quote_en"] = figures["quote_en"] + f" ({mark})"
    write_tables(directory, {"figures": figures})
    return store.build_id(directory)


def assert_error_page(r: httpx.Response, status: int) -> None:
    """The bilingual error page with the headers every response carries."""
    assert r.status_code == status, (r.status_code, r.text[:200])
    assert r.headers["content-type"].startswith("text/html")
    assert f"<h1>{status}</h1>" in r.text
    assert '<p lang="az">' in r.text and '<p lang="en">' in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    assert "Traceback" not in r.text


@pytest.fixture(scope="module")
def rendered_a(tmp_path_factory) -> Path:
    """A site directory holding the embeds of build A, rendered once for the module."""
    tmp = tmp_path_factory.mktemp("build-a")
    builds = make_builds(tmp / "site", write_marked(tmp / "tables", "build A"))
    assert builds.site.current is not None, builds.site.error
    return tmp / "site"


def write_marked(directory: Path, mark: str) -> Path:
    marked(directory, mark)
    return directory


@pytest.fixture
def site(tmp_path, rendered_a):
    """(tables dir of build A, builds watcher serving A's embeds, client)."""
    tables_dir = write_marked(tmp_path / "tables", "build A")
    shutil.copytree(rendered_a, tmp_path / "site")
    builds = make_builds(tmp_path / "site", tables_dir)
    assert builds.site.render_seconds is None, "A's embeds come from disk, not rendered again"
    with TestClient(make_app(builds)) as client:
        yield tables_dir, builds, client


# --- defect 1: back-to-back builds, with the real server -----------------------------------

def test_back_to_back_builds_reach_every_artefact_within_15_s(tmp_path):
    tables_dir = tmp_path / "tables"
    first = marked(tables_dir, "build A")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp_path, tables_dir, port)
    try:
        wait_ready(proc, base, tmp_path / f"server-{port}.log")
        assert httpx.get(base + "/healthz").json()["artefacts"]["embeds"]["build_id"] == first
        marked(tables_dir, "build B")
        time.sleep(2)
        # the timing: an embed is requested while build B renders, then build C lands
        assert httpx.get(base + EMBED, timeout=30).status_code == 200
        last = marked(tables_dir, "build C")
        started = time.monotonic()
        while True:  # only /healthz is asked: the watcher needs no embed request to move on
            health = httpx.get(base + "/healthz", timeout=30).json()
            ids = {health["build_id"], *(a["build_id"] for a in health["artefacts"].values())}
            if ids == {last}:
                break
            assert time.monotonic() - started < 15, health
            time.sleep(0.25)
        assert health["status"] == "ok" and health["embeds"] == "ok"

        page = httpx.get(base + EMBED)
        assert page.headers["x-build-id"] == last
        assert "(build C)" in page.text and "(build B)" not in page.text
        csv = httpx.get(base + "/downloads/figures.csv")
        assert csv.headers["x-build-id"] == last and "(build C)" in csv.text
        bundle = httpx.get(base + "/downloads/bundle.zip")
        assert bundle.headers["x-build-id"] == last
        zf = zipfile.ZipFile(io.BytesIO(bundle.content))
        assert json.loads(zf.read(PACKAGE))["build_id"] == last
        assert "(build C)" in zf.read("figures.csv").decode("utf-8")
        assert f"build `{last}`" in zf.read("README.md").decode("utf-8")

        # made once per build: the same bytes and ETag on every request, 304 on revalidation,
        # and the same bytes as another process makes from the same build
        again = httpx.get(base + "/downloads/bundle.zip")
        assert again.content == bundle.content and again.headers["etag"] == bundle.headers["etag"]
        assert httpx.get(base + "/downloads/bundle.zip",
                         headers={"If-None-Match": bundle.headers["etag"]}).status_code == 304
        other = subprocess.run(
            [sys.executable, "-c", "import hashlib, sys; from etl import store; "
             "from downloads import bundle; "
             "b = bundle.for_build(store.read_build(sys.argv[1])).get('bundle.zip').body; "
             "print(hashlib.sha256(b).hexdigest())", str(tables_dir)],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert other.stdout.strip() == hashlib.sha256(bundle.content).hexdigest(), other.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_export_records_the_build_it_was_rendered_from(site, monkeypatch):
    """The defect behind 1: the export was stamped with whatever was on disk when it finished.
    A build that lands while the embeds render (here too late to stop it) must leave them
    marked as the older build, and get rendered itself on the next look."""
    tables_dir, builds, client = site
    real = export.render_export
    landed = {}

    def render_while_a_build_lands(build, base=None, charts=None, cancelled=None):
        files, manifest = real(build, base, charts)
        landed["id"] = marked(tables_dir, "build B")
        return files, manifest

    monkeypatch.setattr(export, "render_export", render_while_a_build_lands)
    marked(tables_dir, "build A2")
    builds.render_if_needed()
    monkeypatch.setattr(export, "render_export", real)
    manifest = json.loads((builds.site.out / "manifest.json").read_text())
    assert manifest["build_id"] == builds.site.current.build_id != landed["id"]
    assert "(build A2)" in client.get(EMBED).text
    builds.render_if_needed()
    assert builds.site.current.build_id == landed["id"]
    page = client.get(EMBED)
    assert "(build B)" in page.text and page.headers["x-build-id"] == landed["id"]


def test_a_build_landing_mid_render_stops_that_rendering(site, monkeypatch):
    tables_dir, builds, _ = site
    old = builds.site.current.build_id
    real = export.render_page
    pages = []
    landed = {}

    def render_page(*args, **kwargs):
        pages.append(1)
        if len(pages) == 2:
            landed["id"] = marked(tables_dir, "build C")
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "render_page", render_page)
    marked(tables_dir, "build B")
    builds.render_if_needed()
    assert len(pages) == 2, "given up at the next page"
    assert builds.site.current.build_id == old and builds.site.error is None
    builds.render_if_needed()
    assert builds.site.current.build_id == landed["id"]


def test_a_rendering_that_fails_is_reported_and_not_retried_until_the_next_build(site,
                                                                                 monkeypatch):
    tables_dir, builds, client = site
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise KeyError("a chart bug")

    monkeypatch.setattr(export, "render_page", broken)
    marked(tables_dir, "build B")
    for _ in range(3):  # the watcher looks again every second
        builds.render_if_needed()
    assert len(calls) == 1
    health = client.get("/healthz").json()
    assert "a chart bug" in health["artefacts"]["embeds"]["error"]
    marked(tables_dir, "build C")
    builds.render_if_needed()
    assert len(calls) == 2


def test_an_older_builds_embeds_stay_only_while_the_new_ones_render(site, monkeypatch):
    tables_dir, builds, client = site
    old = builds.site.current.build_id
    new = marked(tables_dir, "build B")
    # within the grace period: the previous embeds, saying which build they show
    page = client.get(EMBED)
    assert page.status_code == 200 and page.headers["x-build-id"] == old
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["embeds"] == "rendering"
    assert health.json()["artefacts"]["downloads"]["build_id"] == new
    # past it (no rendering finished): refused, and /healthz is not ok
    monkeypatch.setattr(server, "MIN_GRACE_SECONDS", 0.0)
    monkeypatch.setattr(server, "GRACE_RENDERS", 0)
    assert_error_page(client.get(EMBED), 503)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["status"] == "stale"
    assert health.json()["artefacts"]["embeds"]["build_id"] == old
    builds.render_if_needed()
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert {health["build_id"], *(a["build_id"] for a in health["artefacts"].values())} == {new}


# --- a first start: the server answers at once, the export is rendered after ---------------

def test_a_first_start_answers_at_once_and_renders_the_export_in_the_background(tmp_path,
                                                                                monkeypatch):
    """No export on disk: ``/healthz`` is ok (the dashboard and downloads are up) and says the
    embeds are rendering; an embed asked for meanwhile is rendered alone from the build (the
    bytes the export will hold), the catalogue is a 503 page with Retry-After; then the
    export lands. The watcher's rendering is held until the test lets it go."""
    tables_dir = write_marked(tmp_path / "tables", "build A")
    build = store.build_id(tables_dir)
    site = server.EmbedSite(tmp_path / "site", "https://dash.example.org")
    assert not site.load(), "a first start: no export on disk"
    builds = server.Builds(tables_dir, site)
    go, held = threading.Event(), threading.Event()
    real = export.render_page

    def render_page(*args, **kwargs):  # the watcher's rendering waits; on demand does not
        if threading.current_thread().name == "azkz-builds":
            held.set()
            assert go.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "render_page", render_page)
    app = Starlette(routes=server.routes(builds), middleware=middleware(),
                    lifespan=watching(builds))
    with TestClient(app) as client:  # its lifespan starts the watcher
        assert held.wait(60), "the watcher renders in the background"
        health = client.get("/healthz")
        assert health.status_code == 200, health.text
        body = health.json()
        assert body["status"] == "ok" and body["embeds"] == "rendering"
        assert body["artefacts"]["embeds"] == {"build_id": None, "status": "rendering",
                                               "error": None, "render_seconds": None}
        assert body["artefacts"]["downloads"]["build_id"] == build
        assert client.get("/downloads/figures.csv").status_code == 200
        page = client.get(EMBED)
        assert page.status_code == 200 and page.headers["x-build-id"] == build
        assert "(build A)" in page.text
        assert "'sha256-" in page.headers["content-security-policy"]
        assert client.get(EMBED, headers={"If-None-Match": page.headers["etag"]}).status_code \
            == 304
        table = client.get(f"/embed/en/{CHART}{export.TABLE_SUFFIX}")
        assert table.status_code == 200 and "(build A)" in table.text
        assert_error_page(client.get("/embed/en/no-such-chart"), 404)
        assert_error_page(client.get("/embed/en/claim-no-such-figure"), 404)
        index = client.get("/embed/")
        assert_error_page(index, 503)
        assert index.headers["retry-after"] == str(server.RETRY_AFTER_SECONDS)
        assert client.get("/embed/host.js").status_code == 200
        assert not (tmp_path / "site" / "manifest.json").exists()
        go.set()
        started = time.monotonic()
        while client.get("/healthz").json()["embeds"] != "ok":
            assert time.monotonic() - started < 120, client.get("/healthz").json()
            time.sleep(0.1)
        assert client.get("/healthz").json()["artefacts"]["embeds"]["build_id"] == build
        # the page served on demand is the export's page
        assert (tmp_path / "site" / "en" / f"{CHART}.html").read_bytes() == page.content
        assert client.get(EMBED).headers["etag"] == page.headers["etag"]
        assert (tmp_path / "site" / "en" / f"{CHART}{export.TABLE_SUFFIX}.html").read_bytes() \
            == table.content
        assert client.get("/embed/").status_code == 200


def test_a_first_rendering_that_fails_is_reported_not_rendering_forever(tmp_path, monkeypatch):
    tables_dir = write_marked(tmp_path / "tables", "build A")
    site = server.EmbedSite(tmp_path / "site", "https://dash.example.org")
    builds = server.Builds(tables_dir, site)

    def broken(*args, **kwargs):
        raise KeyError("a chart bug")

    monkeypatch.setattr(export, "render_page", broken)
    with TestClient(make_app(builds)) as client:
        assert client.get("/healthz").json()["embeds"] == "rendering"  # not tried yet
        assert_error_page(client.get(EMBED), 503)  # on demand fails too: try again later
        builds.render_if_needed()  # what the watcher does, and fails
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["embeds"] == "unavailable"
        assert "a chart bug" in health.json()["artefacts"]["embeds"]["error"]
        r = client.get(EMBED)
        assert_error_page(r, 503)
        assert "retry-after" not in r.headers


def test_a_page_rendered_alone_is_the_exports_page():
    """``server.render_alone`` (embeds asked for during a first rendering) gives the bytes
    ``export.render_export`` writes: a chart page, its full table and a fact-check card (the
    committed tables hold checked claims)."""
    build = store.read_build(ROOT / "data" / "tables")
    base = "https://dash.example.org"
    files, _ = export.render_export(build, base, charts={CHART: CHARTS[CHART]})
    claim = next(n for n in files if n.startswith("ru/claim-"))
    for name in (f"az/{CHART}.html", f"ru/{CHART}{export.TABLE_SUFFIX}.html", claim):
        assert server.render_alone(build, name, base) == files[name], name
    assert server.render_alone(build, "index.html", base) is None
    assert server.render_alone(build, "en/claim-no-such-figure.html", base) is False


# --- defect 3: a corrupt table ---------------------------------------------------------------

def test_a_truncated_table_is_503_for_every_download_with_headers(site, tmp_path):
    tables_dir, builds, client = site
    assert client.get("/downloads/figures.parquet").status_code == 200
    path = tables_dir / "figures.parquet"
    raw = path.read_bytes()
    with open(path, "r+b") as fh:  # truncated in place, as a full disk or a bad copy does
        fh.truncate(len(raw) // 2)
    for name in DOWNLOADS:
        assert_error_page(client.get(f"/downloads/{name}"), 503)
    health = client.get("/healthz")
    assert health.status_code == 503 and "figures.parquet could not be read" in \
        health.json()["error"]
    assert str(tmp_path) not in health.text
    # the embeds were rendered from this very build before the damage: still served
    page = client.get(EMBED)
    assert page.status_code == 200 and page.headers["x-build-id"] == health.json()["build_id"]

    # defect 6: a restart (a new process) with the damaged table takes the good export on disk
    restarted = make_builds(builds.site.out, tables_dir)
    with TestClient(make_app(restarted)) as fresh:
        assert fresh.get(EMBED).content == page.content
        assert_error_page(fresh.get("/downloads/figures.parquet"), 503)
        assert fresh.get("/healthz").status_code == 503
    # repaired by a complete build
    last = marked(tables_dir, "build B")
    r = client.get("/downloads/figures.parquet")
    assert r.status_code == 200 and r.headers["x-build-id"] == last


# --- defect 4: a build killed between two swaps ---------------------------------------------

def test_a_build_killed_between_swaps_serves_no_table_until_a_complete_build(site, tmp_path):
    tables_dir, _, client = site
    other = tmp_path / "other"
    second = marked(other, "build B")
    shutil.copy(other / "figures.parquet", tables_dir / "figures.parquet")  # then killed
    for name in DOWNLOADS:
        assert_error_page(client.get(f"/downloads/{name}"), 503)
    health = client.get("/healthz")
    assert health.status_code == 503 and "comes from build" in health.json()["error"]
    for name in [*(f"{n}.parquet" for n in TABLE_ORDER), PACKAGE]:  # the next build completes
        shutil.copy(other / name, tables_dir / name)
    for name in DOWNLOADS:
        r = client.get(f"/downloads/{name}")
        assert r.status_code == 200 and r.headers["x-build-id"] == second, name
    assert "(build B)" in client.get("/downloads/figures.csv").text


# --- defect 5: the bundle ---------------------------------------------------------------------

def test_the_bundle_is_made_once_per_build_with_fixed_timestamps(site, monkeypatch):
    tables_dir, _, client = site
    made = []
    real = downloads.for_build

    def counting(build):
        made.append(build.build_id)
        return real(build)

    monkeypatch.setattr(downloads, "for_build", counting)
    marked(tables_dir, "build B")
    first = client.get("/downloads/bundle.zip")
    time.sleep(2.1)  # the zip format's clock ticks in 2 s steps
    for _ in range(5):
        again = client.get("/downloads/bundle.zip")
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert len(made) == 1
    revalidated = client.get("/downloads/bundle.zip",
                             headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    entries = zipfile.ZipFile(io.BytesIO(first.content)).infolist()
    assert {e.date_time for e in entries} == {downloads.ZIP_DATE}


def test_csv_downloads_name_their_build(site):
    tables_dir, _, client = site
    csv = client.get("/downloads/figures.csv")
    assert csv.headers["x-build-id"] == store.build_id(tables_dir)
    assert csv.text.splitlines()[0].startswith("figure_id,")  # plain CSV, no comment line


# --- defect 6 and every error page ---------------------------------------------------------

def test_without_tables_the_host_script_is_served_and_the_package_is_not(tmp_path):
    (tmp_path / "empty").mkdir()
    builds = make_builds(tmp_path / "site", tmp_path / "empty")
    with TestClient(make_app(builds)) as client:
        host = client.get("/embed/host.js")
        assert host.status_code == 200 and "azkz-embed-height" in host.text
        assert_error_page(client.get("/downloads/datapackage.json"), 503)
        assert_error_page(client.get(EMBED), 503)
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["artefacts"]["embeds"]["build_id"] \
            is None


def test_an_unexpected_error_is_the_bilingual_500_page_with_headers(site, monkeypatch):
    tables_dir, _, client = site

    def broken(directory=None):
        raise RuntimeError("a bug, not for readers' eyes")

    monkeypatch.setattr(store, "read_build", broken)
    marked(tables_dir, "build B")  # the next request re-reads the tables, and fails
    r = client.get("/downloads/figures.csv")
    assert_error_page(r, 500)
    assert "a bug" not in r.text


@pytest.mark.parametrize("path", ["/downloads/figures.csv", EMBED, "/healthz"])
def test_other_methods_get_the_405_page(site, path):
    _, _, client = site
    r = client.post(path)
    assert_error_page(r, 405)
    assert r.headers["allow"] == "GET, HEAD"
