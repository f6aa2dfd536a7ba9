"""What makes the embeds and the dashboard arrive sooner (issue 13), where a test can hold it:
the partial Plotly.js bundle (vendored, checked, enough for every chart), compression of every
text response of ours by the middleware, the preload of the dashboard's chart code. Sizes are
bytes, not times: deterministic, so they can be budgets."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import plotly
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from charts.bundle import plotly_path
from charts.catalogue import CHARTS
from charts.style import THEMES
from etl.schema import LANGS
from etl.store import load_tables
from tests.fixtures.tables import ROOT, write_tables
from tests.test_server import make_app, make_builds
from ui.state import PAGES
from web import app as web_app
from web import export
from web.delivery import PreloadMiddleware, middleware

VENDOR = export.PLOTLY_JS.parent
FULL_JS = plotly.__file__.replace("__init__.py", "package_data/plotly.min.js")
# Issue 13's budgets for a static embed: first view (page + Plotly.js, compressed) and repeat.
FIRST_VIEW_BYTES = 600 * 1024


def bundle_traces(js: str) -> set[str]:
    """Trace types the bundle registers (each trace module says ``moduleType:"trace"``)."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', js))


def version_in_header(js: str) -> str:
    return re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", js[:300]).group(1)


def test_vendored_bundle_is_what_its_record_says():
    js = export.PLOTLY_JS.read_bytes()
    recorded, name = (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").split()
    assert name == export.PLOTLY_JS.name and hashlib.sha256(js).hexdigest() == recorded
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "plotly.js-basic-dist-min" and package["license"] == "MIT"
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    # the figures plotly.py writes are read by the same plotly.js version
    with open(FULL_JS, encoding="utf-8") as fh:
        python_side = version_in_header(fh.read(300))
    assert version_in_header(js.decode("utf-8")) == package["version"] == python_side


@pytest.mark.parametrize("tables_from", ["repository", "fixture"])
def test_every_trace_type_of_the_catalogue_is_in_the_bundle(tables_from, tmp_path):
    tables = load_tables(ROOT / "data" / "tables" if tables_from == "repository"
                         else write_tables(tmp_path / "tables"))
    available = bundle_traces(export.PLOTLY_JS.read_text(encoding="utf-8"))
    assert {"scatter", "bar"} <= available
    missing = {(spec.chart_id, lang, theme, trace.type)
               for spec in CHARTS.values() for lang in LANGS for theme in THEMES
               for trace in spec.build(tables, lang, theme).data
               if trace.type not in available}
    assert missing == set()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("delivery")
    builds = make_builds(tmp / "site", write_tables(tmp / "tables"))
    assert builds.site.error is None, builds.site.error
    with TestClient(make_app(builds)) as client:
        yield client, builds


def test_static_embeds_load_the_partial_bundle_not_the_full_one(served):
    client, builds = served
    assets = builds.site.current.assets
    partial = export.plotly_asset(export.PLOTLY_JS.read_bytes())
    with open(FULL_JS, "rb") as fh:
        full = export.plotly_asset(fh.read())
    assert partial in assets and full not in assets
    assert len(assets[partial].body) < 1.5e6
    pages = [n for n in assets if n.endswith(".html") and n.split("/")[-1].split(".")[0] in CHARTS]
    assert len(pages) == len(CHARTS) * len(LANGS)
    for name in pages:
        page = assets[name].body.decode("utf-8")
        # preloaded from the head, run after parsing (text and table show at once)
        assert f'<link rel="preload" href="../{partial}" as="script">' in page, name
        assert f'<script src="../{partial}" defer></script>' in page, name
        assert full not in page and "plotly.min.js" not in page, name
    r = client.get(f"/embed/{partial}")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_every_text_response_of_ours_is_compressed(served):
    client, builds = served
    assets = builds.site.current.assets
    paths = [f"/embed/{n}" for n in assets if n.endswith((".html", ".js"))]
    paths += ["/embed/", "/downloads/figures.csv", "/downloads/datapackage.json"]
    for path in paths:
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200, path
        if len(r.content) >= 1000:  # smaller bodies are not worth compressing
            assert r.headers.get("content-encoding") == "gzip", path
            assert "accept-encoding" in r.headers.get("vary", "").lower(), path
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.content == r.content, path
    assert client.get("/downloads/figures.parquet",
                      headers={"Accept-Encoding": "gzip"}).status_code == 200


def test_static_embed_first_view_fits_the_budget_and_repeat_view_revalidates(served):
    """First view: every chart page plus the bundle, as compressed on the wire; repeat view:
    the page revalidates (304, no body) and the bundle comes from the browser's cache."""
    client, builds = served
    assets = builds.site.current.assets
    partial = export.plotly_asset(export.PLOTLY_JS.read_bytes())
    bundle = client.get(f"/embed/{partial}", headers={"Accept-Encoding": "gzip"})
    bundle_wire = int(bundle.headers["content-length"])
    for name in (n for n in assets if n.endswith(".html") and "/" in n):
        r = client.get(f"/embed/{name}", headers={"Accept-Encoding": "gzip"})
        page_wire = int(r.headers.get("content-length", len(r.content)))
        assert page_wire + bundle_wire <= FIRST_VIEW_BYTES, (name, page_wire, bundle_wire)
        again = client.get(f"/embed/{name}", headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", name


def test_the_dashboard_page_preloads_the_component_module_not_the_bundle():
    modules = web_app.chart_modules()
    # the dashboard's charts are drawn with the same partial bundle as the embeds, not with
    # Streamlit's Plotly component (4.7 MB with the full plotly.js)
    assert modules[0] == plotly_path() == "/embed/" + export.plotly_asset(
        export.PLOTLY_JS.read_bytes())
    assert len(modules) == 2 and not any("PlotlyChart" in m for m in modules)
    assert (web_app.STREAMLIT_JS / modules[1].rsplit("/", 1)[1]).is_file()

    async def page(request):
        body = ("<html><head><title>d</title></head><body>dashboard" + "<p>x</p>" * 300
                + "</body></html>").encode()
        if "gzip" in request.headers.get("accept-encoding", ""):  # as Streamlit does on
            return Response(gzip.compress(body), media_type="text/html",  # some paths
                            headers={"Content-Encoding": "gzip"})
        return HTMLResponse(body)

    app = Starlette(routes=[Route("/{path:path}", page)],
                    middleware=middleware(modules, web_app.page_paths()))
    with TestClient(app) as client:
        for path in ("/", "/trade?lang=az", "/?chart=trade-turnover&embed=true&lang=az"):
            r = client.get(path, headers={"Accept-Encoding": "identity"})
            # the component's module is fetched at once; the 1.2 MB bundle is neither
            # preloaded nor run early (both held back Streamlit's start and the pictures):
            # the chart component fetches and runs it once its picture is shown
            assert r.headers["link"] == f"<{modules[1]}>; rel=modulepreload"
            assert int(r.headers["content-length"]) == len(r.content)
            assert modules[0] not in r.text
            # the page itself passes through whole (only /trade gains its server's address)
            assert r.text.count("<p>x</p>") == 300
            assert ("__streamlit" in r.text) is path.startswith("/trade")
            # and the page is still compressed after the tag is added
            gz = client.get(path, headers={"Accept-Encoding": "gzip"})
            assert gz.headers["content-encoding"] == "gzip" and gz.text == r.text
        for path in ("/embed/az/x.html", "/downloads/x.csv", "/_stcore/health"):
            r = client.get(path)
            assert "link" not in r.headers, path
            assert "__streamlit" not in r.text, path
    assert PreloadMiddleware(app, []).link == b""


def test_a_page_path_tells_streamlit_where_its_server_is():
    """On /trade, Streamlit's frontend would first look for its server under /trade/_stcore
    (404) and retry at the root after a back-off; the page names the server's address."""
    pages = web_app.page_paths()
    assert set(pages) == {p.slug for p in PAGES}

    async def page(request):
        return HTMLResponse("<html><head><title>d</title></head><body>x</body></html>")

    app = Starlette(routes=[Route("/{path:path}", page)],
                    middleware=middleware([], pages))
    with TestClient(app) as client:
        for path in [f"/{p}" for p in pages] + ["/trade/?lang=az", "/data?embed=true"]:
            r = client.get(path)
            assert "link" not in r.headers  # nothing to preload here
            head = r.text.split("</head>")[0]
            assert head.count("window.__streamlit=") == 1, path
            # the host's own settings win; the address is the page's path without its name
            assert "BACKEND_BASE_URL:b},window.__streamlit||{}" in head, path
        for path in ("/", "/?chart=trade-turnover&embed=true", "/nowhere", "/embed/az/x.html"):
            assert "__streamlit" not in client.get(path).text, path
