"""Static vs live embed: bytes over the wire and time until the chart is drawn.

Starts the one-process server (``python -m web``) on a free port with the tables in
``$AZKZ_TABLES_DIR`` (default data/tables; the synthetic test tables when those are missing),
serves a newsroom page from another port that embeds one chart, and loads it in headless
Chromium:

- first view: a fresh browser profile (empty cache);
- repeat view: the same profile, page reloaded (validators -> 304, immutable Plotly.js from
  the cache).

Bytes are what the network carried to the browser (headers + encoded bodies, as Chromium
reports them), plus websocket frames for the live embed. Time is from navigation start to the
Plotly chart element in the embed's frame. Prints one table; medians over --runs.

    .venv/bin/python bench/bench_embed.py [--runs 3] [--chart trade-turnover]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.cluster import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402
from tests.test_server import start_server, wait_ready  # noqa: E402


def host_page(snippet: str) -> str:
    return ("<!doctype html><html lang='az'><head><meta charset='utf-8'><title>Xəbər</title>"
            "<link rel='icon' href='data:,'></head><body><h1>Xəbər</h1><p>Mətn.</p>"
            f"{snippet}<p>Son.</p></body></html>")


def measure(pw, url: str, server: str, kind: str, runs: int) -> dict[str, list]:
    """Medians of one embed kind: first and repeat views."""
    results: dict[str, list] = {"first": [], "repeat": []}
    selector = "#azkz-chart.js-plotly-plot" if kind == "static" else ".js-plotly-plot"
    for _ in range(runs):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 900, "height": 1400})
        page = context.new_page()
        requests: list = []
        ws_bytes = [0]

        def finished(request, acc=requests):
            acc.append(request)

        def received(payload, acc=ws_bytes):
            acc[0] += len(payload)

        page.on("requestfinished", finished)
        page.on("websocket", lambda ws: ws.on("framereceived", received))
        for view in ("first", "repeat"):
            requests.clear()
            ws_bytes[0] = 0
            start = time.perf_counter()
            if view == "first":
                page.goto(url)
            else:
                page.reload()
            page.frame_locator(f'iframe[data-azkz-embed="{kind}"]').locator(selector) \
                .wait_for(timeout=120_000)
            elapsed = (time.perf_counter() - start) * 1000
            page.wait_for_timeout(500)  # let late requests finish before counting
            mine = [r for r in list(requests) if r.url.startswith(server)]
            wire, network, cached, revalidated = 0, 0, 0, 0
            for r in mine:
                response = r.response()
                status = response.status if response is not None else 0
                sizes = r.sizes()
                if os.environ.get("BENCH_DEBUG"):
                    print(kind, view, status, sizes, r.url[-60:])
                # Chromium reports a negative body size for a response taken from its cache
                # (nothing crossed the network), and a revalidated document as 200 with an
                # empty body.
                if sizes["responseBodySize"] < 0:
                    cached += 1
                    continue
                network += 1
                wire += sizes["responseHeadersSize"] + sizes["responseBodySize"]
                if status == 304 or (status == 200 and sizes["responseBodySize"] == 0):
                    revalidated += 1
            results[view].append((network, revalidated, cached, wire + ws_bytes[0],
                                  ws_bytes[0], elapsed))
        context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chart", default="trade-turnover")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from etl.store import TablesUnavailable, load_tables, tables_dir
    from tests.fixtures.tables import write_tables

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        tables = tables_dir()
        try:
            load_tables(tables)
            label = str(tables.relative_to(ROOT)) if tables.is_relative_to(ROOT) else str(tables)
        except TablesUnavailable:  # no build yet: measure on the synthetic test tables
            tables = write_tables(tmp / "tables")
            label = "synthetic test tables"
        port, host_port = free_port(), free_port()
        server = f"http://127.0.0.1:{port}"
        os.environ["AZKZ_BASE_URL"] = server
        from charts import embed as embeds

        proc = start_server(tmp, tables, port)
        host_dir = tmp / "newsroom"
        host_dir.mkdir()
        snippets = embeds.iframe_snippets(args.chart, "az")
        for kind in ("static", "live"):
            (host_dir / f"{kind}.html").write_text(host_page(snippets[kind]), encoding="utf-8")
        host = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1",
             "--directory", str(host_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(proc, server, tmp / f"server-{port}.log")
            rows = []
            with sync_playwright() as pw:
                for kind in ("static", "live"):
                    url = f"http://127.0.0.1:{host_port}/{kind}.html"
                    res = measure(pw, url, server, kind, args.runs)
                    for view in ("first", "repeat"):
                        runs = res[view]
                        rows.append((kind, view, *(statistics.median(r[i] for r in runs)
                                                   for i in range(6))))
        finally:
            host.terminate()
            proc.terminate()
            host.wait(timeout=30)
            proc.wait(timeout=30)

    print(f"Embed of chart {args.chart!r} (az), tables: {label}, median of {args.runs} runs, "
          f"headless Chromium, loopback; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print(f"{'embed':<7} {'view':<7} {'to server':>9} {'304':>4} {'cached':>6} "
          f"{'KiB on wire':>11} {'of it ws':>8} {'ms to chart':>11}")
    for kind, view, n, n304, cached, wire, ws, ms in rows:
        print(f"{kind:<7} {view:<7} {n:>9.0f} {n304:>4.0f} {cached:>6.0f} "
              f"{wire / 1024:>11.1f} {ws / 1024:>8.1f} {ms:>11.0f}")
    print("to server: requests that reached the server; 304: answered 'not modified' "
          "(validators); cached: served from the browser cache without a request; KiB on "
          "wire: response headers + encoded bodies + websocket frames received")


if __name__ == "__main__":
    main()
