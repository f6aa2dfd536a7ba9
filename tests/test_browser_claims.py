"""Claims vs statistics in headless Chromium (marker ``browser``), on the committed tables: the
Claims page of the dashboard and a claim's static fact-check card, in every language of LANGS,
show the verdicts the checks table holds; the card sizes its iframe on a newsroom page of another
origin, asks no other host for anything and has no serious accessibility violation (axe-core).
Expected text is computed from the tables and the locale files. Screenshots go to artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from charts import embed as embeds
from charts.checks import claim_embed_id, claims, verdict_text
from etl.schema import LANGS
from etl.store import load_tables
from harness.cluster import free_port
from i18n.text import t
from tests.conftest import ROOT
from tests.test_server import start_server, wait_ready

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts"
TABLES = ROOT / "data" / "tables"
MC_CLAIM = "dayaz-qafarov-middle-corridor-2024"

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Newsroom</title></head>
<body style="max-width:420px;margin:20px auto;font:16px/1.5 serif">
<h1>Fact check</h1><p>Our own text, then the card.</p>
{snippet}
<p>End.</p></body></html>
"""


@pytest.fixture(scope="module")
def tables():
    return load_tables(TABLES)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("claims-browser")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp, TABLES, port)
    host_dir = tmp / "newsroom"
    host_dir.mkdir()
    snippet = embeds.iframe_snippets_for(claim_embed_id(MC_CLAIM), "en", "Fact check",
                                         base)["static"]
    (host_dir / "index.html").write_text(HOST_PAGE.format(snippet=snippet), encoding="utf-8")
    host_port = free_port()
    host = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1",
         "--directory", str(host_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(proc, base, tmp / f"server-{port}.log")
        yield base, f"http://127.0.0.1:{host_port}/index.html"
    finally:
        host.terminate()
        proc.terminate()
        host.wait(timeout=30)
        proc.wait(timeout=30)


@pytest.fixture(scope="module", autouse=True)
def artifacts():
    """The folder the screenshots of this module go to."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def serious(page) -> list[tuple[str, str]]:
    """axe-core's serious and critical violations on ``page``: (rule, impact)."""
    results = Axe().run(page)
    return [(v["id"], v["impact"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", LANGS)
def test_claims_page_shows_every_verdict(sites, browser, tables, lang):
    base, _ = sites
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/claims?lang={lang}")
    page.get_by_role("heading", name=t("page_claims", lang), level=1).wait_for(timeout=90_000)
    expected = Counter(verdict_text(c.verdict, lang) for c in claims(tables))
    for words, n in expected.items():  # waits while Streamlit is still sending the page
        expect(page.get_by_text(words, exact=True)).to_have_count(n, timeout=60_000)
    # the quote links to its article on the Sources page
    mc = next(c for c in claims(tables) if c.figure_id == MC_CLAIM)
    link = page.locator(f'a[href*="article={mc.figure["source_id"]}"]').first
    assert link.inner_text().strip("«» \n") in mc.figure["quote"]
    assert f"lang={lang}" in link.get_attribute("href")
    assert serious(page) == []
    page.screenshot(path=str(ARTIFACTS / f"claims-{lang}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_claim_embed_shows_the_verdict(sites, browser, tables, lang):
    base, _ = sites
    server = urlsplit(base).netloc
    page = browser.new_page(viewport={"width": 360, "height": 640})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(f"{base}/embed/{lang}/{claim_embed_id(MC_CLAIM)}")
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    check = tables.checks.set_index("figure_id").loc[MC_CLAIM]
    assert page.locator(".azkz-verdict").inner_text().endswith(
        verdict_text(check["verdict"], lang))
    assert page.locator("html").get_attribute("lang") == lang
    statistic = tables.reference.set_index("reference_id").loc[check["reference_id"]]
    assert page.locator(f'a[href="{statistic["url"]}"]').count() == 1
    assert page.locator(f'a[href^="{base}/claims?lang={lang}"]').count() == 1
    assert all(urlsplit(u).netloc == server for u in requests), requests
    assert serious(page) == []
    # nothing scrolls sideways in a 360 px column
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / f"claim-embed-{lang}.png"), full_page=True)
    dark = browser.new_page(viewport={"width": 360, "height": 640})
    dark.goto(f"{base}/embed/{lang}/{claim_embed_id(MC_CLAIM)}?theme=dark")
    assert dark.locator("html").get_attribute("data-theme") == "dark"
    assert serious(dark) == []
    page.close()
    dark.close()


def test_claim_embed_sizes_its_iframe_on_another_origin(sites, browser):
    _, host_url = sites
    page = browser.new_page(viewport={"width": 420, "height": 800})
    page.goto(host_url)
    frame = page.frame_locator('iframe[data-azkz-embed="static"]')
    frame.locator(".azkz-verdict").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('iframe[data-azkz-embed=static]')"
        f".getBoundingClientRect().height !== {embeds.STATIC_HEIGHT}", timeout=10_000)
    content = frame.locator("#azkz-embed").evaluate("e => e.getBoundingClientRect().height")
    height = page.locator("iframe").evaluate("e => e.getBoundingClientRect().height")
    assert abs(height - content) <= 2, (height, content)
    page.screenshot(path=str(ARTIFACTS / "claim-embed-host.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_verdict_style_is_accessible(sites, browser, tables, theme):
    """One card per verdict the table holds, in every language: no serious axe violation
    (the verdict pill's colours included)."""
    base, _ = sites
    one_each = {c.verdict: c for c in claims(tables)}
    page = browser.new_page(viewport={"width": 360, "height": 640})
    for lang in LANGS:
        for verdict, claim in one_each.items():
            page.goto(f"{base}/embed/{lang}/{claim_embed_id(claim.figure_id)}?theme={theme}")
            assert page.locator(f".azkz-verdict-{verdict}").inner_text().endswith(
                verdict_text(verdict, lang))
            assert serious(page) == [], (lang, verdict, theme)
    page.close()
