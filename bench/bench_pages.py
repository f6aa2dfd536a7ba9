"""Page timings: warm script run (AppTest) and navigation → first chart drawn (Chromium).

    python bench/bench_pages.py [--runs 7] [--no-browser] [--screenshots artifacts/bench]

Reads the tables from $AZKZ_TABLES_DIR or data/tables. Prints one row per page:
median and max of the warm AppTest runs (after one cold run that fills the caches), and the
median time from ``page.goto`` to the first drawn Plotly chart (or the page title on pages
without charts) over ``--runs`` loads in headless Chromium against ``streamlit run``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charts.catalogue import CHARTS  # noqa: E402
from harness.cluster import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402
from ui.state import PAGES  # noqa: E402

CHART_PAGES = {spec.page for spec in CHARTS.values()}


def apptest_times(slug: str, path: str, runs: int, lang: str) -> list[float]:
    from streamlit.testing.v1 import AppTest

    times = []
    for i in range(runs + 1):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params["lang"] = lang
        if slug != "overview":
            at.switch_page(path)
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{slug}: {at.exception[0].value}")
        if i:  # the first run is cold (imports, table cache)
            times.append(elapsed)
    return times


def browser_times(runs: int, lang: str, shots: Path | None) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    results: dict[str, list[float]] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = ctx.new_page()
            tab.goto(f"{url}/?lang={lang}")  # warm the server (first session, caches)
            tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
            for page in PAGES:
                sel = (".js-plotly-plot .main-svg" if page.slug in CHART_PAGES
                       else '[data-testid="stMainBlockContainer"] h1')
                path = "" if page.slug == "overview" else page.slug
                times = []
                for _ in range(runs):
                    tab.goto("about:blank")
                    start = time.perf_counter()
                    tab.goto(f"{url}/{path}?lang={lang}")
                    tab.wait_for_selector(sel, timeout=120_000)
                    times.append(time.perf_counter() - start)
                results[page.slug] = times
                if shots:
                    shots.mkdir(parents=True, exist_ok=True)
                    tab.wait_for_timeout(1000)
                    tab.screenshot(path=str(shots / f"{page.slug}-{lang}.png"), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--lang", default="en", choices=["az", "en"])
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--screenshots", type=Path, default=None)
    args = ap.parse_args()
    os.environ.setdefault("AZKZ_TABLES_DIR", str(ROOT / "data" / "tables"))

    script = {p.slug: apptest_times(p.slug, p.path, args.runs, args.lang) for p in PAGES}
    nav = {} if args.no_browser else browser_times(args.runs, args.lang, args.screenshots)

    print(f"tables: {os.environ['AZKZ_TABLES_DIR']}  lang: {args.lang}  runs: {args.runs}")
    print(f"{'page':<12} {'script median':>14} {'script max':>11} {'nav→chart median':>17} "
          f"{'nav→chart max':>14}")
    for p in PAGES:
        s = script[p.slug]
        n = nav.get(p.slug)
        nav_cols = (f"{statistics.median(n) * 1000:>14.0f}ms {max(n) * 1000:>11.0f}ms" if n
                    else f"{'-':>16} {'-':>13}")
        print(f"{p.slug:<12} {statistics.median(s) * 1000:>12.0f}ms {max(s) * 1000:>9.0f}ms "
              f"{nav_cols}")


if __name__ == "__main__":
    main()
