"""Two dashboard processes behind nginx on loopback (deploy/): config, routing, fail-over.

One cluster per module (fixture tables, embeds built into a temp directory, two
``python -m web`` processes, nginx from deploy/nginx.conf.template). The last test kills
a backend, so tests that need both alive come first. nginx missing is a failure, not a skip:
CI installs the Debian package.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from charts.catalogue import CHARTS
from deploy import render as render_cli
from deploy.render import frame_ancestors_from_env, render
from etl.schema import LANGS
from etl.store import read_build
from harness.cluster import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    STICKY_COOKIE,
    Cluster,
    nginx_path,
    stream_session,
)
from tests.fixtures.tables import write_tables
from web import export

ARTIFACTS = ROOT / "artifacts"
pytestmark = pytest.mark.nginx  # left out of `tasks.py test --fast`


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        nginx_path()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    tables = write_tables(tmp_path_factory.mktemp("tables"))
    # The cluster's own work directory (under /tmp, made readable): nginx workers started by
    # root run as `nobody` and could not read site/ inside pytest's private tmp directory.
    c = Cluster(n_backends=2, tables_dir=tables)
    c.start(timeout=90)
    try:
        yield c
    finally:
        c.cleanup()


def access_log(c: Cluster) -> list[str]:
    assert c.conf is not None
    return (c.conf.parent / "access.log").read_text(encoding="utf-8").splitlines()


def log_lines_for(c: Cluster, request_uri: str) -> list[str]:
    return [line for line in access_log(c) if f'GET "{request_uri}"' in line]


def embed_pages(c: Cluster) -> list[str]:
    assert c.site_dir is not None
    manifest = json.loads((c.site_dir / "manifest.json").read_text(encoding="utf-8"))
    langs = "|".join(LANGS)
    pages = sorted(n for n in manifest["files"] if re.fullmatch(rf"({langs})/[a-z0-9_-]+\.html", n))
    assert pages, f"no chart pages in {c.site_dir}/manifest.json"
    return pages


# --- the config itself -------------------------------------------------------------------------

def test_rendered_config_passes_nginx_t(cluster):
    checked = cluster.nginx_test()
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr


def test_config_for_the_committed_tables_passes_nginx_t(tmp_path):
    """The committed tables' export holds fact-check cards with long page paths: the CSP map
    must still fit nginx's map hash (it did not with the default bucket size)."""
    build = read_build(ROOT / "data" / "tables")
    chart = next(iter(CHARTS))
    files, manifest = export.render_export(build, "https://dash.example.org",
                                           charts={chart: CHARTS[chart]})
    assert max(len(n) for n in files) > 50, "long page paths, as in the real export"
    export.write_export(tmp_path / "site", files, manifest)
    prefix = tmp_path / "nginx"
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(prefix=prefix, listen="127.0.0.1:8080", backends=["127.0.0.1:8501"],
                           site_dir=tmp_path / "site", frame_ancestors="*"), encoding="utf-8")
    checked = subprocess.run([nginx_path(), "-t", "-p", str(prefix), "-e",
                              str(prefix / "error.log"), "-c", str(conf)],
                             capture_output=True, text=True, timeout=30, check=False)
    assert checked.returncode == 0, checked.stderr


def test_rendered_config_has_no_placeholders_and_pins_what_streamlit_needs(cluster):
    conf = cluster.conf.read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert not re.search(r"@[A-Z_]+@", code)
    assert "hash $azkz_backend_key consistent;" in code
    stream = code.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_read_timeout 1h;" in stream
    assert "proxy_http_version 1.1;" in code
    for port in cluster.backend_ports:
        assert f"server 127.0.0.1:{port} max_fails=1" in code


@pytest.mark.parametrize("kwargs, message", [
    ({"backends": []}, "at least one backend"),
    ({"backends": ["127.0.0.1:80; include /etc/passwd"]}, "expected host:port"),
    ({"listen": "0.0.0.0"}, "expected host:port"),
    ({"site_dir": Path("/tmp/has space")}, "site dir"),
    ({"frame_ancestors": None, "env": "https://a.example; script-src *"},
     "AZKZ_FRAME_ANCESTORS"),
])
def test_render_refuses_bad_input_naming_it(tmp_path, monkeypatch, kwargs, message):
    args = {"prefix": tmp_path, "listen": "127.0.0.1:8080", "backends": ["127.0.0.1:8501"],
            "site_dir": tmp_path, "frame_ancestors": "*"}
    env = kwargs.pop("env", None)
    if env is not None:
        monkeypatch.setenv("AZKZ_FRAME_ANCESTORS", env)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        render(**args)


def test_render_cli_writes_a_config_or_names_the_problem(tmp_path, capsys):
    main = render_cli.main
    out = tmp_path / "nginx.conf"
    assert main(["--prefix", str(tmp_path), "--backend", "127.0.0.1:8501",
                 "--site-dir", str(tmp_path), "--output", str(out)]) == 0
    assert "server 127.0.0.1:8501 max_fails=1" in out.read_text(encoding="utf-8")
    assert main(["--prefix", str(tmp_path), "--backend", "localhost",
                 "--site-dir", str(tmp_path)]) == 2
    assert "expected host:port, got 'localhost'" in capsys.readouterr().err


def test_frame_ancestors_reaches_every_embed_csp(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("AZKZ_FRAME_ANCESTORS", "https://news.example  'self'")
    assert frame_ancestors_from_env() == "https://news.example 'self'"
    conf = render(prefix=tmp_path, listen="127.0.0.1:8080", backends=["127.0.0.1:8501"],
                  site_dir=cluster.site_dir)
    csp_lines = [line for line in conf.splitlines() if "default-src 'none'" in line]
    # the default line plus one per HTML page of the export (index + chart pages)
    assert len(csp_lines) == 2 + len(embed_pages(cluster))
    assert all("frame-ancestors https://news.example 'self'\";" in line for line in csp_lines)


# --- requests through nginx --------------------------------------------------------------------

def test_health_through_nginx_and_sticky_cookie(cluster):
    first = httpx.get(cluster.url + "/healthz", timeout=10)
    assert first.status_code == 200
    assert first.json()["status"] == "ok"
    cookie = first.cookies.get(STICKY_COOKIE)
    assert cookie and re.fullmatch(r"[0-9a-f]{32}", cookie)
    set_cookie = first.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    again = httpx.get(cluster.url + "/healthz", cookies={STICKY_COOKIE: cookie}, timeout=10)
    assert again.status_code == 200
    assert STICKY_COOKIE not in again.headers.get("set-cookie", "")


@pytest.mark.parametrize("language", LANGS)
def test_embed_page_is_served_by_nginx_with_cache_headers_and_the_servers_csp(cluster, language):
    page = next(p for p in embed_pages(cluster) if p.startswith(f"{language}/"))
    lang, name = page.removesuffix(".html").split("/")
    uri = f"/embed/{lang}/{name}"
    r = httpx.get(cluster.url + uri, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-encoding"] == "gzip"
    assert "max-age=300" in r.headers["cache-control"]
    assert "etag" in r.headers
    assert r.content == (cluster.site_dir / page).read_bytes()
    assert STICKY_COOKIE not in r.headers.get("set-cookie", ""), "embeds set no cookie"
    # nginx answered from disk: no upstream in the access log for this request
    lines = log_lines_for(cluster, uri)
    assert lines and 'upstream="-"' in lines[-1], lines[-1:]
    # ...with the same Content-Security-Policy the dashboard process sends for that page
    direct = httpx.get(cluster.backend_url(0) + uri, timeout=10)
    assert direct.status_code == 200
    assert r.headers["content-security-policy"] == direct.headers["content-security-policy"]
    # revalidation costs a 304 and no body
    etag = r.headers["etag"]
    again = httpx.get(cluster.url + uri, timeout=10,
                      headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert again.status_code == 304 and again.content == b""


def test_plotly_bundle_is_immutable_and_gzipped(cluster):
    manifest = json.loads((cluster.site_dir / "manifest.json").read_text(encoding="utf-8"))
    bundle = next(n for n in manifest["files"] if n.startswith("plotly-"))
    r = httpx.get(f"{cluster.url}/embed/{bundle}", headers={"Accept-Encoding": "gzip"},
                  timeout=20)
    assert r.status_code == 200
    assert "immutable" in r.headers["cache-control"]
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers.get("content-length", len(gzip.compress(r.content)))) \
        < (cluster.site_dir / bundle).stat().st_size


@pytest.mark.parametrize("uri", ["/embed/en/no_such_chart", "/embed/manifest.json",
                                 "/embed/az/x.html/"])
def test_other_embed_paths_get_the_dashboards_404_page(cluster, uri):
    r = httpx.get(cluster.url + uri, timeout=10)
    assert r.status_code == 404
    assert "There is no such" in r.text


@pytest.mark.parametrize("uri", ["/embed/az/..%2f..%2f..%2fetc%2fpasswd",
                                 "/embed/..%2f..%2f..%2f..%2fetc%2fpasswd",
                                 "/embed/az/%2e%2e/%2e%2e/manifest.json"])
def test_traversal_under_embed_is_refused(cluster, uri):
    r = httpx.get(cluster.url + uri, timeout=10)
    assert r.status_code in (400, 404), r.status_code
    assert "root:" not in r.text and '"files"' not in r.text


def test_websocket_session_through_nginx_stays_on_one_backend(cluster):
    result = stream_session(cluster.url, timeout=30)
    assert result.ok, result.error
    assert result.first_chart_s is not None
    page = [ln for ln in access_log(cluster) if f"key={result.key} " in ln and 'GET "/"' in ln]
    stream = [ln for ln in access_log(cluster)
              if f"key={result.key} " in ln and '"/_stcore/stream"' in ln]
    assert page and stream, "page load and websocket both logged"
    assert stream[-1].split()[1] == "101", stream[-1]
    upstream = re.compile(r'upstream="([^"]+)"')
    assert upstream.search(page[-1]).group(1) == upstream.search(stream[-1]).group(1)


def key_on_backend(c: Cluster, index: int, tries: int = 40) -> str:
    """A fresh sticky key that nginx sends to backend ``index``."""
    for _ in range(tries):
        key = httpx.get(c.url + "/healthz", timeout=10).cookies[STICKY_COOKIE]
        if c.backend_of(key) == index:
            return key
    raise AssertionError(f"no new reader landed on backend {index} in {tries} tries")


def test_download_buttons_work_only_because_readers_are_sticky(cluster):
    # st.download_button files live in the memory of the process that ran the page.
    key = key_on_backend(cluster, 0)
    session = stream_session(cluster.url, key=key, page_name="data", read_all=True, timeout=60)
    assert session.ok, session.error
    assert session.downloads, "the data page offers downloads"
    with httpx.Client(timeout=20, cookies={STICKY_COOKIE: key}) as same:
        assert [same.get(cluster.url + u).status_code for u in session.downloads] \
            == [200] * len(session.downloads)
    # the same addresses asked by a reader pinned to the other process are not there
    other = key_on_backend(cluster, 1)
    with httpx.Client(timeout=20, cookies={STICKY_COOKIE: other}) as elsewhere:
        assert elsewhere.get(cluster.url + session.downloads[0]).status_code == 404


def test_sessions_spread_over_both_backends(cluster):
    keys = set()
    with httpx.Client(timeout=10) as http:
        for _ in range(20):
            r = http.get(cluster.url + "/healthz")
            keys.add(r.cookies[STICKY_COOKIE])
            http.cookies.clear()
    backends = {cluster.backend_of(k) for k in keys}
    assert backends == {0, 1}, f"20 new readers all went to backend(s) {backends}"


@pytest.mark.browser
def test_browser_page_through_nginx_draws_a_chart_over_the_proxied_websocket(cluster):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    sockets: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.goto(cluster.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(ARTIFACTS / "deploy-through-nginx.png"))
        finally:
            browser.close()
    assert sockets == [cluster.url.replace("http://", "ws://") + "/_stcore/stream"]


# --- fail-over (kills a backend: keep last) ----------------------------------------------------

def test_killing_a_backend_leaves_new_and_existing_readers_served(cluster):
    pinned = key_on_backend(cluster, 0)
    before = stream_session(cluster.url, key=pinned, timeout=30)
    assert before.ok and cluster.backend_of(pinned) == 0, before.error

    cluster.backends[0].kill()
    cluster.backends[0].popen.wait(timeout=10)

    # the pinned reader comes back (page + websocket) and is now served by backend 1
    again = stream_session(cluster.url, key=pinned, timeout=30)
    assert again.ok, again.error
    assert cluster.backend_of(pinned) == 1
    dead = f"127.0.0.1:{cluster.backend_ports[0]}"
    assert any(f"key={pinned} " in ln and dead in ln and "," in ln.split("upstream=")[1]
               for ln in access_log(cluster)), "nginx tried the dead backend, then the next"
    # new readers: every one served, none gets an error status
    statuses = []
    for _ in range(10):
        r = httpx.get(cluster.url + "/healthz", timeout=10)
        statuses.append(r.status_code)
    assert statuses == [200] * 10
    fresh = [stream_session(cluster.url, timeout=30) for _ in range(3)]
    assert all(s.ok for s in fresh), [s.error for s in fresh]
