"""Every page of the dashboard in headless Chromium (marker ``browser``).

Starts the project's server (``python -m web``, as ``tasks.py run`` does) on a free port against
the fixture tables, opens each page
in every language of ``etl.schema.LANGS``, waits for the main block (and a Plotly chart where
the page has one), checks that the page speaks the reader's language (title, navigation, no
sentence of another language's interface), asserts that no exception or error element is
shown, and saves screenshots to ``artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from charts.bundle import SERVED_ENV
from charts.catalogue import CHARTS
from etl.schema import LANGS
from harness.cluster import free_port
from i18n.text import strings, t
from tests.fixtures.tables import write_tables
from ui.state import PAGES

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"

pytestmark = pytest.mark.browser


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


@contextlib.contextmanager
def streamlit_server(tables: Path, log_path: Path, site: Path | None = None):
    """The project's one-process server (``python -m web``: the dashboard, the embeds and the
    partial Plotly.js bundle the dashboard draws with) on a free port; yields its URL; always
    stopped."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AZKZ_TABLES_DIR": str(tables), "AZKZ_BASE_URL": url}
    env.pop(SERVED_ENV, None)  # the server sets it itself
    site = site or log_path.parent / "site"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "web", "--host", "127.0.0.1", "--port", str(port),
             "--site", str(site)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return write_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture(scope="module")
def server(tables_dir, tmp_path_factory):
    with streamlit_server(tables_dir, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


CHART_PAGES = {spec.page for spec in CHARTS.values()}
# What a reader must see before a page counts as drawn, on pages without charts.
READY = {"data": '[data-testid="stDownloadButton"] button', "sources": "mark"}


def foreign_chrome(lang: str) -> list[str]:
    """Interface strings of the other languages that must not appear on a page in ``lang``:
    whole sentences and phrases (three words or more, placeholders left out) that differ from
    every string of ``lang``."""
    own = set(strings(lang).values())
    found = set()
    for other in LANGS:
        for key, value in strings(other).items():
            if (other != lang and "{" not in value and len(value.split()) >= 3
                    and not key.startswith(("fmt_", "unit_", "bundle_", "lang_"))
                    and value not in own):
                found.add(value)
    return sorted(found)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p.slug for p in PAGES])
def test_page_renders_without_errors(server, browser, page, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = ctx.new_page()
    try:
        path = "" if page == "overview" else page
        tab.goto(f"{server}/{path}?lang={lang}", wait_until="domcontentloaded")
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
        if page in CHART_PAGES:
            tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        if page in READY:
            tab.wait_for_selector(READY[page], timeout=60_000)
        tab.wait_for_timeout(800)  # let late elements settle before checking and capturing
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert tab.locator('[data-testid="stAlertContentError"]').count() == 0
        body = tab.inner_text("body")
        assert "Traceback" not in body
        # the page is in the reader's language: its title and navigation, and no sentence of
        # another language's interface
        page_def = next(p for p in PAGES if p.slug == page)
        heading = "app_title" if page == "overview" else page_def.title_key
        assert tab.locator("h1").first.inner_text() == t(heading, lang)
        nav = tab.locator('[data-testid="stSidebarNav"]').inner_text()
        assert all(t(p.title_key, lang) in nav for p in PAGES)
        assert [s for s in foreign_chrome(lang) if s in body] == []
        tab.screenshot(path=str(ARTIFACTS / f"dashboard-{page}-{lang}.png"), full_page=True)
        # the main block scrolls inside its own container: capture each chart on its own too
        plots = tab.locator(".js-plotly-plot")
        for i in range(plots.count()):
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).screenshot(path=str(ARTIFACTS / f"dashboard-{page}-{lang}-chart{i}.png"))
    finally:
        ctx.close()


def test_hostile_query_is_inert(server, browser):
    ctx = browser.new_context()
    tab = ctx.new_page()
    alerts: list[str] = []
    tab.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    try:
        tab.goto(f"{server}/sources?lang=%3Cscript%3Ealert(1)%3C/script%3E&article=../../x",
                 wait_until="domcontentloaded")
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
        tab.wait_for_timeout(800)
        assert alerts == []
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert "<script>" not in tab.inner_text("body")
    finally:
        ctx.close()


def test_language_survives_navigation_and_links_restore_the_view(server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = ctx.new_page()
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    sockets: list[str] = []
    tab.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        tab.goto(f"{server}/timeline?lang=en&ev=meeting", wait_until="domcontentloaded")
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
        assert tab.locator("h1").first.inner_text() == "Timeline"
        tags = tab.locator('[data-testid="stMultiSelect"] .react-aria-ComboBox [data-tag]')
        tags.first.wait_for(timeout=30_000)
        assert [x.strip() for x in tags.all_inner_texts()] == ["meeting"]
        tab.locator('[data-testid="stSidebarNav"] a', has_text="Trade").click()
        tab.wait_for_url("**/trade**", timeout=30_000)
        tab.wait_for_function("document.querySelector('h1') && "
                              "document.querySelector('h1').innerText === 'Trade'",
                              timeout=30_000)
        tab.wait_for_function("location.search.includes('lang=en')", timeout=30_000)
        # the deep link found its server at once (web/delivery.backend_script): Streamlit's
        # frontend did not first look for it under the page's path, and pages stay at the root
        assert [u for u in asked if "/timeline/" in u] == []
        assert sockets and all(u.endswith(f"{server.split('//', 1)[1]}/_stcore/stream")
                               for u in sockets), sockets
        assert tab.url.split("?")[0] == f"{server}/trade"
    finally:
        ctx.close()


def test_first_request_of_a_fresh_server_can_be_a_deep_link(tables_dir, tmp_path, browser):
    """The first session of a new process opens /timeline directly: the frame (navigation with
    translated titles, language switch) must be there, not a bare page script."""
    with streamlit_server(tables_dir, tmp_path / "streamlit.log") as url:
        ctx = browser.new_context()
        tab = ctx.new_page()
        try:
            tab.goto(f"{url}/timeline?lang=en", wait_until="domcontentloaded")
            tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
            # the frame's language switch
            tab.get_by_text(" · ".join(t("lang_label", x) for x in LANGS)).wait_for(
                timeout=60_000)
            assert tab.locator("h1").first.inner_text() == "Timeline"
            nav = tab.locator('[data-testid="stSidebarNav"]')
            nav.wait_for(timeout=60_000)
            assert "Investment & business" in nav.inner_text()  # titles, not file names
        finally:
            ctx.close()


def test_russian_pages_show_russian_numbers_and_periods(server, browser):
    """The trade page in Russian: periods and figures as Babel's ru locale writes them."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/trade?lang=ru", wait_until="domcontentloaded")
        tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        tab.wait_for_timeout(800)
        svg = " ".join(tab.locator(".js-plotly-plot").all_text_contents())
        assert "млн $" in svg and "г." in svg, svg[:400]
        assert "mln " not in svg and "полугодие" in svg
    finally:
        ctx.close()


def test_a_chart_is_drawn_by_the_partial_bundle_and_its_embed_code_opens(server, browser):
    """The dashboard's charts come from the partial Plotly.js bundle (ui/plot.py), run once
    per page, never from Streamlit's Plotly component or code highlighter; the "Embed"
    expander writes its snippets when opened."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = ctx.new_page()
    scripts: list[str] = []
    tab.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    try:
        tab.goto(f"{server}/investment?lang=az", wait_until="domcontentloaded")
        tab.wait_for_selector(".azkz-plot.azkz-drawn .js-plotly-plot .main-svg",
                              timeout=60_000)
        assert tab.locator(".azkz-picture").count() == 0  # Plotly replaced the picture
        names = [u.rsplit("/", 1)[-1] for u in scripts]
        assert sum(n.startswith("plotly-") for n in names) == 1, names
        assert not any(n.startswith(("PlotlyChart", "StreamlitSyntaxHighlighter"))
                       for n in names), names
        spec = next(s for s in CHARTS.values() if s.page == "investment")
        box = tab.locator(f".st-key-embed-{spec.chart_id}")
        assert box.locator("code").count() == 0
        box.locator("summary").click()
        box.locator("code").first.wait_for(timeout=30_000)
        assert f"/embed/az/{spec.chart_id}" in box.locator("code").first.inner_text()
    finally:
        ctx.close()


@pytest.mark.parametrize(("width", "shown"), [(1280, "azkz-pic-wide"), (390, "azkz-pic-narrow")])
def test_a_charts_picture_is_the_one_laid_out_for_its_width(server, browser, width, shown):
    """Until Plotly draws (here: never, its bundle blocked), a chart shows its SVG picture:
    on a wide screen the one laid out as Plotly lays out a wide chart, on a phone the phone's
    (charts.svg.figure_pictures), in a box as tall as the chart will be."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.route("**/plotly-*.js", lambda route: route.abort())
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/trade?lang=en", wait_until="domcontentloaded")
        tab.wait_for_selector(".azkz-plot .azkz-picture svg", state="attached",
                              timeout=60_000)
        state = tab.evaluate("""() => {
          const box = document.querySelector('.azkz-plot');
          const pic = box.querySelector('.azkz-picture');
          const on = [...pic.children].filter(c => c.offsetHeight > 0);
          return {on: on.map(c => c.className), box: box.getBoundingClientRect().height,
                  pic: on.length ? on[0].getBoundingClientRect().height : 0};
        }""")
        assert state["on"] == [shown], state
        assert state["box"] > 200 and abs(state["pic"] - state["box"]) <= 3, state
    finally:
        ctx.close()
