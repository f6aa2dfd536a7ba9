"""Screenshots for review (issue 11): ``python3 tasks.py shots`` (or ``python -m harness.shots``).

Starts one ``python -m web`` on a free loopback port over the committed tables and, in headless
Chromium, captures at 360 px and 1440 px, light and dark: Overview, Trade, Timeline, a static
embed, and a tapped point (the panel under the chart that replaces the hover box on a phone).
PNG files go to ``artifacts/shots/`` (git-ignored), named ``<what>-<lang>-<width>-<theme>.png``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from etl.paths import ROOT
from harness.cluster import CHROMIUM, CHROMIUM_ARGS, free_port

OUT = ROOT / "artifacts" / "shots"
WIDTHS = (360, 1440)
THEMES = ("light", "dark")
PAGES = {"overview": "", "trade": "trade", "timeline": "timeline"}
EMBED_CHART = "trade-turnover"
MAX_HEIGHT = 16_000


def _serve(tmp: Path, tables: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AZKZ_TABLES_DIR": str(tables), "AZKZ_BASE_URL": base}
    log = open(tmp / "web.log", "wb")  # the child inherits it
    proc = subprocess.Popen([sys.executable, "-m", "web", "--host", "127.0.0.1", "--port",  # noqa: S603
                             str(port), "--site", str(tmp / "site")], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"web server exited:\n{(tmp / 'web.log').read_text()}")
        try:
            r = httpx.get(base + "/healthz", timeout=2)
            # the server listens first and renders the static embeds in the background
            if r.status_code == 200 and r.json()["embeds"] == "ok":
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"web server not ready in 180 s:\n{(tmp / 'web.log').read_text()}")


def _whole_page(tab, width: int, path: Path) -> None:
    """Screenshot of the whole Streamlit page: its main block scrolls inside its own
    container, so the viewport is grown to the content's height first."""
    height = tab.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]')
            || document.scrollingElement;
        return Math.ceil(m.scrollHeight); }""")
    tab.set_viewport_size({"width": width, "height": min(max(height, 600), MAX_HEIGHT)})
    tab.wait_for_timeout(1200)
    tab.screenshot(path=str(path), full_page=True)


def _dashboard(browser, base: str, slug: str, lang: str, width: int, theme: str,
               out: Path) -> Path:
    ctx = browser.new_context(viewport={"width": width, "height": 900},
                              is_mobile=width < 600, has_touch=width < 600)
    tab = ctx.new_page()
    try:
        tab.goto(f"{base}/{PAGES[slug]}?lang={lang}&theme={theme}",
                 wait_until="domcontentloaded")
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=300_000)
        # attached, not visible: on a phone the timeline chart gives way to its list
        # Plotly's chart, drawn over the SVG picture the chart component shows first
        tab.wait_for_selector(".azkz-drawn .js-plotly-plot .main-svg", state="attached",
                              timeout=300_000)
        tab.wait_for_timeout(1500)
        path = out / f"{slug}-{lang}-{width}-{theme}.png"
        _whole_page(tab, width, path)
        return path
    finally:
        ctx.close()


def _claim_point(tab) -> tuple[float, float]:
    """Page coordinates of the first marker of a quoted figure in the first chart (not a
    reference statistic), from Plotly's own axes (panels make DOM order unreliable)."""
    return tuple(tab.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot');
        gd.scrollIntoView({block: 'center'});
        const i = gd._fullData.findIndex(t => t.mode === 'markers+text' && t.customdata);
        const tr = gd._fullData[i];
        const fl = gd._fullLayout;
        const xa = fl[tr.xaxis.replace('x', 'xaxis')], ya = fl[tr.yaxis.replace('y', 'yaxis')];
        const box = gd.querySelector('.main-svg').getBoundingClientRect();
        return [box.left + xa._offset + xa.l2p(xa.d2l(tr.x[0])),
                box.top + ya._offset + ya.l2p(ya.d2l(tr.y[0]))]; }"""))


def _tapped(browser, base: str, lang: str, width: int, theme: str, out: Path) -> Path:
    """The trade page with the first point of the turnover chart tapped (clicked)."""
    mobile = width < 600
    ctx = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=mobile,
                              has_touch=mobile)
    tab = ctx.new_page()
    try:
        tab.goto(f"{base}/trade?lang={lang}&theme={theme}", wait_until="domcontentloaded")
        tab.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=300_000)
        tab.wait_for_timeout(1500)
        tab.wait_for_timeout(500)
        x, y = _claim_point(tab)
        if mobile:
            tab.touchscreen.tap(x, y)
        else:
            tab.mouse.click(x, y)
        panel = tab.locator(".st-key-point-panel")
        panel.wait_for(timeout=180_000)
        tab.wait_for_timeout(800)
        chart = tab.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        top = chart.bounding_box()["y"]
        bottom = panel.bounding_box()
        path = out / f"tapped-point-{lang}-{width}-{theme}.png"
        tab.set_viewport_size({"width": width,
                               "height": int(min(bottom["y"] + bottom["height"] - top + 80,
                                                 MAX_HEIGHT))})
        tab.wait_for_timeout(600)
        panel.scroll_into_view_if_needed()
        tab.screenshot(path=str(path), full_page=True)
        return path
    finally:
        ctx.close()


def _embed(browser, base: str, lang: str, width: int, theme: str, out: Path) -> Path:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    tab = ctx.new_page()
    try:
        tab.goto(f"{base}/embed/{lang}/{EMBED_CHART}?theme={theme}", wait_until="load")
        # after the swap from the SVG picture to Plotly's chart
        tab.wait_for_selector("#azkz-embed.azkz-drawn #azkz-chart.js-plotly-plot",
                              timeout=180_000)
        tab.wait_for_timeout(800)
        path = out / f"embed-{EMBED_CHART}-{lang}-{width}-{theme}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m harness.shots", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lang", action="append", help="language(s) to capture (default: az)")
    p.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    p.add_argument("--tables", type=Path, default=ROOT / "data" / "tables")
    args = p.parse_args(argv)
    langs = args.lang or ["az"]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="azkz-shots-") as tmp:
        proc, base = _serve(Path(tmp), args.tables)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for lang in langs:
                        for width in WIDTHS:
                            for theme in THEMES:
                                shots = [_dashboard(browser, base, slug, lang, width, theme,
                                                    args.out) for slug in PAGES]
                                shots.append(_embed(browser, base, lang, width, theme,
                                                    args.out))
                                shots.append(_tapped(browser, base, lang, width, theme,
                                                     args.out))
                                for s in shots:
                                    print(s.relative_to(ROOT) if s.is_relative_to(ROOT)
                                          else s, flush=True)
                finally:
                    browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
