"""A newsroom page on another origin embeds one static and one live chart (headless Chromium).

The project server runs on one free port; the "newsroom" is ``python -m http.server`` serving a
temporary directory on another port, with the iframe snippets of ``charts.embed`` pasted in as a
journalist would. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from charts import embed as embeds
from charts.catalogue import CHARTS
from etl.schema import LANGS
from harness.cluster import free_port
from i18n.text import t
from tests.fixtures.tables import ROOT, write_tables
from tests.test_browser_dashboard import foreign_chrome
from tests.test_server import start_server, wait_ready

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts"
STATIC_CHART = "trade-turnover"
LIVE_CHART = "investment-stocks"

HOST_PAGE = """<!doctype html>
<html lang="az"><head><meta charset="utf-8"><title>Xəbər</title>
<style>body{{font:16px/1.5 serif;max-width:720px;margin:20px auto;padding:0 12px}}
iframe{{outline:2px dashed #c33}}</style></head>
<body>
<h1>Azərbaycan ilə Qazaxıstan arasında ticarət</h1>
<p>Qəzetin öz mətni. Aşağıda statik qrafik gəlir.</p>
{static}
<p>Mətnin davamı. Aşağıda canlı qrafik gəlir.</p>
{live}
<p>Son.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from _sites(tmp_path_factory.mktemp("browser"), monkeypatch)


def _sites(tmp_path, monkeypatch):
    assert STATIC_CHART in CHARTS and LIVE_CHART in CHARTS
    tables_dir = write_tables(tmp_path / "tables")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AZKZ_BASE_URL", base)
    proc = start_server(tmp_path, tables_dir, port)
    host_dir = tmp_path / "newsroom"
    host_dir.mkdir()
    (host_dir / "index.html").write_text(HOST_PAGE.format(
        static=embeds.iframe_snippets(STATIC_CHART, "az")["static"],
        live=embeds.iframe_snippets(LIVE_CHART, "az")["live"]), encoding="utf-8")
    host_port = free_port()
    host = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1",
         "--directory", str(host_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(proc, base, tmp_path / f"server-{port}.log")
        yield base, f"http://127.0.0.1:{host_port}/index.html"
    finally:
        host.terminate()
        proc.terminate()
        host.wait(timeout=30)
        proc.wait(timeout=30)


def check_page(page) -> None:
    """Both embeds drew; the static one was resized to its content; screenshots."""
    static_el = page.locator('iframe[data-azkz-embed="static"]')
    live_el = page.locator('iframe[data-azkz-embed="live"]')
    static = page.frame_locator('iframe[data-azkz-embed="static"]')
    live = page.frame_locator('iframe[data-azkz-embed="live"]')
    static.locator("#azkz-chart.js-plotly-plot").wait_for(timeout=30_000)
    live.locator(".js-plotly-plot").wait_for(timeout=90_000)

    # The host script resized the static iframe to its content.
    page.wait_for_function(
        "() => document.querySelector('iframe[data-azkz-embed=static]')"
        f".getBoundingClientRect().height !== {embeds.STATIC_HEIGHT}", timeout=10_000)
    embed = static.locator("#azkz-embed")
    content = embed.evaluate("e => e.getBoundingClientRect().height")
    frame_height = static_el.evaluate("e => e.getBoundingClientRect().height")
    assert abs(frame_height - content) <= 2, (frame_height, content)
    # Nothing scrolls inside the static frame.
    assert static.locator("html").evaluate(
        "e => e.scrollHeight <= window.innerHeight + 1")
    # Title, sources and the screen-reader table are there; the table is visually
    # hidden once the chart drew.
    assert static.locator("h1").inner_text()
    assert static.locator("figcaption").inner_text().startswith("Mənbə")
    assert static.locator("table.azkz-numbers tbody tr").count() >= 1
    assert embed.evaluate("e => e.classList.contains('azkz-drawn')")
    assert static.locator(".azkz-text").bounding_box()["height"] <= 1  # clipped, still read
    # The live embed shows one chart and no dashboard chrome.
    assert live.locator(".js-plotly-plot").count() == 1
    assert not live.locator('[data-testid="stSidebar"]').is_visible()
    assert live.locator("text=Mənbə").count() >= 1

    page.screenshot(path=str(ARTIFACTS / "embed-host-page.png"), full_page=True)
    static_el.screenshot(path=str(ARTIFACTS / "embed-static.png"))
    live_el.screenshot(path=str(ARTIFACTS / "embed-live.png"))


def test_static_and_live_embeds_draw_on_a_page_of_another_origin(sites, browser):
    base, host_url = sites
    server_origin = urlsplit(base).netloc
    ARTIFACTS.mkdir(exist_ok=True)
    requests: list[tuple[str, str]] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 900, "height": 2200})
    try:
        page.on("request", lambda r: requests.append((r.frame.url if r.frame else "", r.url)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(host_url)
        try:
            check_page(page)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "embed-failure.png"), full_page=True)
            raise
    finally:
        page.close()

    static_requests = [u for f, u in requests if "/embed/az/" in f]
    assert static_requests, requests
    assert all(urlsplit(u).netloc == server_origin for u in static_requests), static_requests
    # No page in the test (host, static or live embed) reached any other host.
    hosts = {urlsplit(u).hostname for _, u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, hosts
    csp = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert not csp, csp


def test_the_dashboard_itself_runs_behind_the_same_server(sites, browser):
    base, _ = sites
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(base + "/?lang=en")
        # Streamlit's bundle loaded, the websocket ran the script, a chart drew.
        page.locator(".js-plotly-plot").first.wait_for(timeout=90_000)
        assert page.locator('[data-testid="stSidebar"]').count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / "dashboard-via-ui-server.png"))
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_static_embed_draws_in_every_language(sites, browser, lang):
    """Each chart's static page in ``lang``: the chart drew, title and source line in that
    language, and no sentence of another language's interface."""
    base, _ = sites
    page = browser.new_page(viewport={"width": 420, "height": 900})
    try:
        for chart_id, spec in CHARTS.items():
            page.goto(f"{base}/embed/{lang}/{chart_id}")
            page.locator("#azkz-chart.js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("h1").inner_text() == spec.title(lang), chart_id
            caption = page.locator("figcaption").inner_text()
            assert not caption or caption.startswith(
                (t("source_label", lang), t("sources_label", lang))), (chart_id, caption)
            text = page.locator("body").inner_text()
            assert [s for s in foreign_chrome(lang) if s in text] == [], chart_id
            if lang == "ru":
                page.screenshot(path=str(ARTIFACTS / f"embed-ru-{chart_id}.png"), full_page=True)
    finally:
        page.close()


def test_every_live_embed_draws_in_russian(sites, browser):
    """Each chart's live embed (the dashboard in embed mode) with ``lang=ru``."""
    base, _ = sites
    page = browser.new_page(viewport={"width": 640, "height": 900})
    try:
        for chart_id, spec in CHARTS.items():
            page.goto(f"{base}/?embed=true&chart={chart_id}&lang=ru")
            # attached, not visible: a chart may sit below the fold of the frame
            page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=120_000,
                                                                   state="attached")
            page.get_by_text(spec.title("ru"), exact=True).wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            text = page.locator("body").inner_text()
            assert "Traceback" not in text
            assert [s for s in foreign_chrome("ru") if s in text] == [], chart_id
    finally:
        page.close()
