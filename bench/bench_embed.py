"""Static and live embeds: bytes over the wire on a first and a repeat view, time to the chart.

    python bench/bench_embed.py [--runs 3] [--chart trade-turnover]

Starts the project's one-process server (bench/scripted.py) with the repository's tables and
its static export, and a newsroom page on another port that embeds one chart, then in headless
Chromium:

1. the newsroom page with the chart's static embed, and with its live embed (``--runs`` times
   each, a fresh browser context every time): first view (empty cache) and repeat view (the
   same context, page reloaded: validators -> 304, the immutable Plotly.js from the cache);
   requests that reached the server, KiB on the wire (headers + encoded bodies as Chromium
   reports them, plus websocket frames for the live embed), ms to the chart;
2. every static page of the export (each chart and each fact-check card, in every language),
   loaded alone in a fresh context, first view and reload: KiB on the wire. Issue 13's budget
   is 600 KB for a first view and 30 KB for a repeat view.

The machine is shared: times move with its load, bytes do not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scripted  # noqa: E402  (bench/scripted.py, beside this file)

from charts.embed import iframe_snippets  # noqa: E402
from harness.cluster import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

FIRST_BUDGET_KB, REPEAT_BUDGET_KB = 600, 30


def host_page(snippet: str) -> str:
    return ("<!doctype html><html lang='az'><head><meta charset='utf-8'><title>Xəbər</title>"
            "<link rel='icon' href='data:,'></head><body><h1>Xəbər</h1><p>Mətn.</p>"
            f"{snippet}<p>Son.</p></body></html>")


def wire(requests: list, server: str) -> tuple[int, int, int]:
    """(requests that reached ``server``, of them revalidated, bytes on the wire)."""
    network, revalidated, total = 0, 0, 0
    for r in list(requests):
        if not r.url.startswith(server):
            continue
        sizes = r.sizes()
        # Chromium reports a negative body size for a response from its cache (nothing crossed
        # the network) and a revalidated document as 200 with an empty body.
        if sizes["responseBodySize"] < 0:
            continue
        response = r.response()
        status = response.status if response is not None else 0
        network += 1
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if status == 304 or (status == 200 and sizes["responseBodySize"] == 0):
            revalidated += 1
    return network, revalidated, total


def views(browser, url: str, server: str, wait) -> dict[str, tuple]:
    """First view and repeat view (reload) of ``url`` in a fresh context; ``wait(page)``
    returns when the view is drawn. Per view: (requests, 304s, bytes incl. websocket, ms)."""
    context = browser.new_context(viewport={"width": 900, "height": 1400})
    page = context.new_page()
    requests: list = []
    ws_bytes = [0]
    page.on("requestfinished", lambda r: requests.append(r))
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda p: ws_bytes.__setitem__(0, ws_bytes[0] + len(p))))
    out = {}
    try:
        for view in ("first", "repeat"):
            requests.clear()
            ws_bytes[0] = 0
            start = time.perf_counter()
            if view == "first":
                page.goto(url)
            else:
                page.reload()
            wait(page)
            elapsed = (time.perf_counter() - start) * 1000
            page.wait_for_timeout(400)  # late requests (fonts, host script) are counted too
            n, n304, nbytes = wire(requests, server)
            out[view] = (n, n304, nbytes + ws_bytes[0], elapsed)
    finally:
        context.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chart", default="trade-turnover")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="azkz-bench-") as tmp_name:
        tmp = Path(tmp_name)
        port, host_port = free_port(), free_port()
        server = f"http://127.0.0.1:{port}"
        os.environ["AZKZ_BASE_URL"] = server  # the snippets point at this server
        project = scripted.start_project(port, tmp)
        host_dir = tmp / "newsroom"
        host_dir.mkdir()
        snippets = iframe_snippets(args.chart, "az")
        for kind in ("static", "live"):
            (host_dir / f"{kind}.html").write_text(host_page(snippets[kind]), encoding="utf-8")
        host = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1",
             "--directory", str(host_dir)], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        manifest = json.loads((tmp / "site" / "manifest.json").read_text(encoding="utf-8"))
        pages = sorted(n for n in manifest["files"] if n.endswith(".html") and "/" in n
                       and not n.removesuffix(".html").endswith("-table"))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                embedded = {}
                for kind in ("static", "live"):
                    # Plotly's chart once drawn: the static page marks it azkz-drawn (its
                    # SVG picture shows before), the dashboard's component the same
                    selector = ("#azkz-embed.azkz-drawn #azkz-chart .main-svg"
                                if kind == "static"
                                else ".azkz-plot.azkz-drawn .js-plotly-plot .main-svg")
                    frame = f'iframe[data-azkz-embed="{kind}"]'
                    embedded[kind] = [
                        views(browser, f"http://127.0.0.1:{host_port}/{kind}.html", server,
                              lambda p, f=frame, s=selector: p.frame_locator(f).locator(s)
                              .first.wait_for(timeout=120_000))
                        for _ in range(args.runs)]
                alone = {name: views(browser, f"{server}/embed/{name}", server,
                                     lambda p: p.wait_for_load_state("load"))
                         for name in pages}
                browser.close()
        finally:
            host.terminate()
            host.wait(timeout=30)
            project.stop()

    print(f"# bench_embed: chart {args.chart!r} (az) in a newsroom page, median of {args.runs} "
          f"runs, headless Chromium, loopback; 1-min load {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print()
    print("| embed | view | requests to server | of them 304 | KiB on wire | ms to chart |")
    print("|---|---|---:|---:|---:|---:|")
    for kind, runs in embedded.items():
        for view in ("first", "repeat"):
            cols = [statistics.median(r[view][i] for r in runs) for i in range(4)]
            print(f"| {kind} | {view} | {cols[0]:.0f} | {cols[1]:.0f} | {cols[2] / 1024:,.1f} | "
                  f"{cols[3]:,.0f} |")
    print()
    first = {n: v["first"][2] / 1024 for n, v in alone.items()}
    repeat = {n: v["repeat"][2] / 1024 for n, v in alone.items()}
    over = sorted(n for n in pages if first[n] > FIRST_BUDGET_KB or repeat[n] > REPEAT_BUDGET_KB)
    print(f"Every static page of the export loaded alone ({len(pages)} pages: charts and "
          f"fact-check cards, every language), KiB on the wire:")
    print()
    print("| pages | view | min | median | max | budget | over budget |")
    print("|---|---|---:|---:|---:|---:|---:|")
    kinds = {"charts": [n for n in pages if "/claim-" not in n],
             "fact-check cards": [n for n in pages if "/claim-" in n]}
    for kind, names in kinds.items():
        for view, sizes, budget in (("first", first, FIRST_BUDGET_KB),
                                    ("repeat", repeat, REPEAT_BUDGET_KB)):
            values = [sizes[n] for n in names]
            if not values:
                continue
            print(f"| {kind} ({len(names)}) | {view} | {min(values):,.1f} | "
                  f"{statistics.median(values):,.1f} | {max(values):,.1f} | {budget} | "
                  f"{sum(v > budget for v in values)} |")
    for name in over:
        print(f"  over budget: {name} first {first[name]:,.1f} KiB, repeat {repeat[name]:,.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
