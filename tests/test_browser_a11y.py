"""Accessibility and the reader's view in headless Chromium (issue 11; marker ``browser``).

axe-core (``axe-playwright-python``) runs on every dashboard page, every static embed, the
embed catalogue and a live embed, in every language of ``LANGS``, and fails on any serious or
critical violation. Beside axe: ``<html lang>`` follows the page language, chart titles are
headings, the hover box a reader sees holds no HTML entity, and on a 360 px phone a tapped
point opens the panel under the chart instead of a floating box.

One ``python -m web`` process serves the dashboard and the embeds against the fixture tables.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from charts.catalogue import CHARTS
from etl.schema import LANGS
from harness.cluster import free_port
from i18n.text import t
from tests.fixtures.tables import write_tables
from ui.state import PAGES

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser

FAILING_IMPACTS = ("serious", "critical")
ENTITY = re.compile(r"&[A-Za-z#0-9]+;")
CHART_PAGES = {spec.page for spec in CHARTS.values()}
PAGE_TITLES = {p.slug: p.title_key for p in PAGES}
READY = {"data": '[data-testid="stDownloadButton"] button', "sources": "mark"}
# Page coordinates of the first quoted figure's marker in the first chart, from Plotly's axes.
CLAIM_POINT_JS = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    gd.scrollIntoView({block: 'center'});
    const i = gd._fullData.findIndex(t => t.mode === 'markers+text' && t.customdata);
    const tr = gd._fullData[i];
    const fl = gd._fullLayout;
    const xa = fl[tr.xaxis.replace('x', 'xaxis')], ya = fl[tr.yaxis.replace('y', 'yaxis')];
    const box = gd.querySelector('.main-svg').getBoundingClientRect();
    return [box.left + xa._offset + xa.l2p(xa.d2l(tr.x[0])),
            box.top + ya._offset + ya.l2p(ya.d2l(tr.y[0]))]; }"""


def start_web(tmp: Path, tables: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "AZKZ_TABLES_DIR": str(tables),
           "AZKZ_BASE_URL": f"http://127.0.0.1:{port}"}
    log = open(tmp / f"web-{port}.log", "wb")  # the child inherits it
    return subprocess.Popen(
        [sys.executable, "-m", "web", "--host", "127.0.0.1", "--port", str(port),
         "--site", str(tmp / "site")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(proc: subprocess.Popen, base: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}):\n{log.read_text()}")
        try:
            r = httpx.get(base + "/healthz", timeout=2)
            # the server listens first and renders the static embeds in the background
            if r.status_code == 200 and r.json()["embeds"] == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"server not ready in {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("a11y")
    tables = write_tables(tmp / "tables")
    port = free_port()
    proc = start_web(tmp, tables, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(proc, base, tmp / f"web-{port}.log")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on ``page``: rule, impact, first targets."""
    results = Axe().run(page)
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]} "
            f"{v['nodes'][0].get('failureSummary', '')[:160]}"
            for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def open_page(browser, url: str, width: int = 1400, ready: str | None = None):
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    tab = ctx.new_page()
    tab.goto(url, wait_until="domcontentloaded")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=90_000)
    if ready:
        tab.wait_for_selector(ready, timeout=90_000)
    tab.wait_for_timeout(1000)
    return ctx, tab


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p.slug for p in PAGES])
def test_dashboard_page_is_accessible(server, browser, page, lang):
    path = "" if page == "overview" else page
    ready = (".js-plotly-plot .main-svg" if page in CHART_PAGES else READY.get(page))
    ctx, tab = open_page(browser, f"{server}/{path}?lang={lang}", ready=ready)
    try:
        tab.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=20_000)
        # the browser tab names the page in the reader's language
        title = f"{t(PAGE_TITLES[page], lang)} · {t('app_title', lang)}"
        try:
            tab.wait_for_function("want => document.title === want", arg=title, timeout=20_000)
        except PlaywrightTimeout:
            raise AssertionError(f"tab title {tab.title()!r}, expected {title!r}") from None
        # every chart's title is a heading above it (not a picture inside the SVG)
        headings = tab.locator("h2, h3").all_inner_texts()
        for spec in CHARTS.values():
            if spec.page == page and page != "timeline":
                assert any(spec.title(lang) in h for h in headings), (spec.chart_id, headings)
        assert serious(tab) == []
    finally:
        ctx.close()


@pytest.mark.parametrize("page", [p.slug for p in PAGES])
def test_dashboard_page_is_accessible_in_the_dark_theme(server, browser, page):
    """?theme=dark repaints the page (ui.components.page_theme_css): every page still passes
    axe-core (contrast of captions, links, widgets on the dark surfaces), in one language."""
    lang = LANGS[0]
    path = "" if page == "overview" else page
    ready = (".js-plotly-plot .main-svg" if page in CHART_PAGES else READY.get(page))
    ctx, tab = open_page(browser, f"{server}/{path}?lang={lang}&theme=dark", ready=ready)
    try:
        # the dark repaint is in place before axe looks (not the light page)
        tab.wait_for_function("getComputedStyle(document.querySelector('.stApp'))"
                              ".backgroundColor !== 'rgb(255, 255, 255)'", timeout=20_000)
        assert serious(tab) == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_hover_box_shows_no_html_entity(server, browser, lang):
    """The hover box of every point of the turnover chart, as Chromium draws it."""
    ctx, tab = open_page(browser, f"{server}/trade?lang={lang}",
                         ready=".js-plotly-plot .main-svg")
    try:
        plot = tab.locator(".js-plotly-plot").first
        points = plot.locator(".scatterlayer .point")
        assert points.count() >= 2
        seen = 0
        for i in range(points.count()):
            points.nth(i).hover(force=True)
            box = tab.locator(".hoverlayer .hovertext")
            try:
                box.first.wait_for(timeout=3_000)
            except PlaywrightTimeout:  # a point hidden under another gets no box of its own
                continue
            text = box.first.text_content() or ""
            assert ENTITY.search(text) is None, text
            assert t("quote_label", lang) in text
            seen += 1
        assert seen >= 2
    finally:
        ctx.close()


def test_phone_tap_opens_the_panel_under_the_chart(server, browser):
    """360 px: no floating hover box; a tap fills the panel with the quote and sources."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                              is_mobile=True, device_scale_factor=2)
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/trade?lang=en", wait_until="domcontentloaded")
        tab.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=90_000)
        tab.wait_for_timeout(1000)
        x, y = tab.evaluate(CLAIM_POINT_JS)
        tab.touchscreen.tap(x, y)  # one tap, as a finger does: no hover before it
        panel = tab.locator(".st-key-point-panel")
        panel.wait_for(timeout=30_000)
        text = panel.inner_text()
        assert t("quote_label", "en") in text and t("point_panel_heading", "en") in text
        assert ENTITY.search(text) is None
        assert not tab.locator(".hoverlayer").first.is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_static_embeds_are_accessible(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 720, "height": 900})
    tab = ctx.new_page()
    problems = {}
    try:
        for chart_id in CHARTS:
            tab.goto(f"{server}/embed/{lang}/{chart_id}", wait_until="load")
            tab.wait_for_selector("#azkz-chart.js-plotly-plot", timeout=60_000)
            assert tab.evaluate("document.documentElement.lang") == lang
            # Plotly's toolbar is out of the tab order
            assert tab.locator(".modebar-btn:not([tabindex='-1'])").count() == 0
            found = serious(tab)
            if found:
                problems[chart_id] = found
        assert problems == {}
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_embed_catalogue_and_live_embed_are_accessible(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/embed/?lang={lang}", wait_until="load")
        tab.wait_for_timeout(500)
        assert tab.evaluate("document.documentElement.lang") == lang
        assert serious(tab) == []
        tab.goto(f"{server}/?embed=true&chart=trade-turnover&lang={lang}",
                 wait_until="domcontentloaded")
        tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
        tab.wait_for_timeout(1000)
        assert tab.evaluate("document.documentElement.lang") == lang
        assert tab.locator(".modebar-btn").count() == 0
        assert serious(tab) == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_static_embed_tap_opens_the_panel_and_is_light_by_default(server, browser, lang):
    """A static embed on a 360 px phone: light unless asked, one tap fills the panel under the
    chart with the point's quote (unwrapped lines, no entity); ?theme=dark darkens it."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                              is_mobile=True, color_scheme="dark")
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/embed/{lang}/trade-turnover", wait_until="load")
        tab.wait_for_selector("#azkz-chart.js-plotly-plot .main-svg", timeout=60_000)
        tab.wait_for_timeout(500)
        # a reader whose system is dark still gets the light embed the article was made for
        assert tab.evaluate("document.documentElement.dataset.theme") == "light"
        x, y = tab.evaluate(CLAIM_POINT_JS)
        tab.touchscreen.tap(x, y)
        panel = tab.locator("#azkz-point")
        panel.wait_for(timeout=10_000)
        text = panel.inner_text()
        assert t("quote_label", lang) in text and ENTITY.search(text) is None
        assert not tab.locator(".hoverlayer").first.is_visible()
        tab.goto(f"{server}/embed/{lang}/trade-turnover?theme=dark", wait_until="load")
        tab.wait_for_selector("#azkz-chart.js-plotly-plot .main-svg", timeout=60_000)
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
        tab.goto(f"{server}/embed/{lang}/trade-turnover?theme=auto", wait_until="load")
        tab.wait_for_selector("#azkz-chart.js-plotly-plot .main-svg", timeout=60_000)
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        ctx.close()


def test_embed_catalogue_offers_language_theme_preview_and_copy_feedback(server, browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900},
                              permissions=["clipboard-read", "clipboard-write"])
    tab = ctx.new_page()
    try:
        tab.goto(f"{server}/embed/?lang=ru", wait_until="load")
        assert tab.evaluate("document.documentElement.lang") == "ru"
        assert tab.locator("h1").inner_text() == t("embed_index_title", "ru")
        tab.locator('input[name="theme"][value="dark"]').check()
        tab.select_option("#azkz-pick-chart", "transit-cargo")
        code = tab.locator("#azkz-code").input_value()
        assert "/embed/ru/transit-cargo?theme=dark" in code
        assert tab.locator("#azkz-preview").get_attribute("src") == "ru/transit-cargo?theme=dark"
        tab.frame_locator("#azkz-preview").locator("#azkz-chart.js-plotly-plot").wait_for(
            timeout=60_000)
        tab.locator('input[name="lang"][value="en"]').check()
        assert tab.evaluate("document.documentElement.lang") == "en"
        assert "/embed/en/transit-cargo?theme=dark" in tab.locator("#azkz-code").input_value()
        tab.locator(".azkz-builder .azkz-copy").click()
        status = tab.locator(".azkz-builder .azkz-copied")
        tab.wait_for_function("document.querySelector('.azkz-builder .azkz-copied')"
                              ".textContent.length > 0", timeout=5_000)
        assert status.inner_text() == t("embed_copied", "en")
        assert tab.evaluate("navigator.clipboard.readText()") == \
            tab.locator("#azkz-code").input_value()
    finally:
        ctx.close()
