"""Navigation → first chart, against a plain Streamlit app and a static page, in one run.

    python bench/bench_pages.py [--visits 7] [--lang en] [--scripted 5] [--only trade,plain]
                                [--profile]

Starts, on loopback ports the kernel hands out:

- the project's one-process server (the module behind ``tasks.py run``) with its static embeds;
- the baseline: ``streamlit run bench/plain_app.py`` (one page, one ``st.line_chart``);
- the floor: a static HTML page with an inline SVG chart, from ``python -m http.server``.

Then headless Chromium (one browser, a new context per visit, so every visit is a first visit)
loads every view — every dashboard page, the live embed, the static embed, the plain app, the
floor — once to warm the servers, then ``--visits`` times, interleaved (each round visits every
view, in an order rotated by one each round), and prints each view's median and its ratio to the
plain app's median in the same run. Times are the page's own clock: navigation start to the
moment the first chart's element exists (Plotly's ``.main-svg``, Vega's canvas, the SVG); pages
without a chart: their title. A dashboard chart (ui/plot.py) counts when Plotly has drawn it;
the SVG picture it shows until then is timed in the same visits ("its picture first"). The
static embed has two rows: its inline SVG picture (in the HTML) and Plotly's chart once it has
replaced the picture.

Where the time goes (medians, same visits): HTML+JS (navigation → DOMContentLoaded), boot (→
websocket open), server (websocket open → last message before the chart: the script run and
its messages), render (last data → chart: parsing and drawing in the browser; for the static
pages, from the last script loaded), the bytes received before the chart and the number of
requests. Then ``--scripted`` page views per page without a browser (Streamlit's websocket
protocol, bench/scripted.py): the server's script run, and the bytes it serialised (websocket
messages, of it the Plotly figure JSON).

``--profile`` adds one visit per view under Chromium's sampling profiler and prints the
browser's CPU time by script file until the chart (how the code highlighter behind closed
"Embed" expanders was found).

The machine is shared: compare ratios from one run, not milliseconds across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scripted  # noqa: E402  (bench/scripted.py, beside this file)

from charts.catalogue import CHARTS  # noqa: E402
from harness.cluster import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402
from ui.state import PAGES  # noqa: E402

# The dashboard's chart component (ui/plot.py) shows the chart's SVG picture at once and marks
# its box azkz-drawn when Plotly has drawn the interactive chart (which then replaces it).
PLOTLY = ".azkz-plot.azkz-drawn .js-plotly-plot .main-svg"
DASHBOARD_PICTURE = ".azkz-plot .azkz-picture svg, " + PLOTLY
TITLE = '[data-testid="stMainBlockContainer"] h1'
VEGA = '[data-testid="stVegaLiteChart"] svg.marks'
# The static embed shows its chart twice: first as the inline SVG picture (charts/svg.py, in
# the HTML), then as Plotly's chart, which replaces it once drawn (the page marks that with
# azkz-drawn; Plotly's .main-svg exists, invisible, a little earlier).
STATIC_PICTURE = "#azkz-chart .azkz-pic svg"
STATIC_CHART = "#azkz-embed.azkz-drawn #azkz-chart .main-svg"
LIVE_CHART = "trade-turnover"

# Records, on the page's own clock, websocket messages (time, bytes) and the first moment the
# view's chart element exists. The selector is filled in per view.
PROBE = """(() => {
  const B = window.__bench = {msgs: [], chart: null, open: null, pic: null};
  const sel = %s, pic = %s;
  const Native = window.WebSocket;
  window.WebSocket = new Proxy(Native, {construct(target, args) {
    const ws = Reflect.construct(target, args);
    ws.addEventListener('open', () => { if (B.open === null) B.open = performance.now(); });
    ws.addEventListener('message', (e) => {
      const d = e.data;
      B.msgs.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
    });
    return ws;
  }});
  const check = () => {
    if (B.chart === null && document.querySelector(sel)) B.chart = performance.now();
    if (pic && B.pic === null && document.querySelector(pic)) B.pic = performance.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
                                                 attributes: true, attributeFilter: ['class']});
})();"""

COLLECT = """() => {
  const B = window.__bench;
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource')
    .map(r => [r.initiatorType, r.responseEnd, r.transferSize]);
  return {chart: B.chart, pic: B.pic, open: B.open, msgs: B.msgs, dcl: nav.domContentLoadedEventEnd,
          html: nav.responseEnd, nav_bytes: nav.transferSize, res: res};
}"""


def floor_page() -> str:
    """A static page with an inline SVG line chart of four series × 60 points: the floor."""
    lines = []
    for k in range(4):
        points = " ".join(f"{i * 10},{150 - (k + 1) * 25 + int(20 * ((i * (k + 3)) % 7) / 7)}"
                          for i in range(60))
        lines.append(f'<polyline fill="none" stroke="#{(k * 0x3A6F9) % 0xFFFFFF:06x}" '
                     f'points="{points}"/>')
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Floor</title>"
            "<link rel='icon' href='data:,'></head><body><h1>Floor</h1>"
            f"<svg id='floor' width='600' height='160' role='img'>{''.join(lines)}</svg>"
            "</body></html>")


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    selector: str
    static: bool = False  # no websocket: render counts from the last script loaded
    picture: str | None = None  # the chart's first picture, where it shows one before Plotly


def targets(project: str, plain: str, floor: str, lang: str) -> list[Target]:
    chart_pages = {spec.page for spec in CHARTS.values()}
    views = [Target("plain Streamlit app (baseline)", f"{plain}/", VEGA),
             Target("inline-SVG static page (floor)", f"{floor}/index.html", "svg#floor", True)]
    for page in PAGES:
        path = "" if page.slug == PAGES[0].slug else page.slug
        charted = page.slug in chart_pages
        views.append(Target(f"page {page.slug}", f"{project}/{path}?lang={lang}",
                            PLOTLY if charted else TITLE,
                            picture=DASHBOARD_PICTURE if charted else None))
    views.append(Target(f"live embed {LIVE_CHART}",
                        f"{project}/?embed=true&chart={LIVE_CHART}&lang={lang}", PLOTLY,
                        picture=DASHBOARD_PICTURE))
    views.append(Target(f"static embed {lang}/{LIVE_CHART} (picture)",
                        f"{project}/embed/{lang}/{LIVE_CHART}.html", STATIC_PICTURE, True))
    views.append(Target(f"static embed {lang}/{LIVE_CHART} (Plotly)",
                        f"{project}/embed/{lang}/{LIVE_CHART}.html", STATIC_CHART, True))
    return views


def visit(browser, target: Target) -> dict:
    """One first visit in a new browser context; the page's own timings."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(PROBE % (json.dumps(target.selector),
                                         json.dumps(target.picture)))
        page = context.new_page()
        page.goto(target.url, wait_until="commit", timeout=120_000)
        page.wait_for_function("() => window.__bench && window.__bench.chart !== null",
                               timeout=120_000, polling=50)
        got = page.evaluate(COLLECT)
    finally:
        context.close()
    chart = got["chart"]
    msgs = [m for m in got["msgs"] if m[0] <= chart]
    done = [r for r in got["res"] if r[1] <= chart]
    scripts = [r[1] for r in done if r[0] == "script"]
    if target.static or not msgs:
        # no websocket: the server's part is the document; render counts from the last script
        last = max([got["html"], *scripts])
        server, boot = got["html"], None
    else:
        last = msgs[-1][0]
        boot = (got["open"] or got["dcl"]) - got["dcl"]
        server = last - (got["open"] or got["dcl"])
    return {"chart": chart, "pic": got["pic"], "dcl": got["dcl"], "boot": boot, "server": server,
            "render": chart - last,
            "bytes": got["nav_bytes"] + sum(r[2] for r in done) + sum(m[1] for m in msgs),
            "requests": 1 + len(done)}


def profile_visit(browser, target: Target, top: int = 5) -> list[tuple[str, float]]:
    """One first visit under Chromium's sampling profiler (DevTools protocol), navigation →
    the view's chart: the browser's CPU time by script file (content hashes cut off), most
    first; ``(idle)`` is time the page waited (network, server), ``(program)`` the browser's
    own work (style, layout, paint, parsing)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(PROBE % (json.dumps(target.selector), "null"))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        cdp.send("Profiler.start")
        page.goto(target.url, wait_until="commit", timeout=120_000)
        page.wait_for_function("() => window.__bench && window.__bench.chart !== null",
                               timeout=120_000, polling=50)
        prof = cdp.send("Profiler.stop")["profile"]
    finally:
        context.close()
    nodes = {n["id"]: n["callFrame"] for n in prof["nodes"]}
    spent: dict[str, float] = {}
    for sample, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        frame = nodes[sample]
        url = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        name = url.split(".")[0] if url else frame["functionName"] or "(native)"
        spent[name] = spent.get(name, 0.0) + delta / 1000
    return sorted(spent.items(), key=lambda kv: -kv[1])[:top]


def med(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def browser_profiles(views: list[Target]) -> dict[str, list[tuple[str, float]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            return {v.name: profile_visit(browser, v) for v in views}
        finally:
            browser.close()


def browser_rounds(views: list[Target], visits: int) -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict]] = {v.name: [] for v in views}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            for target in views:  # warm-up round, not counted
                visit(browser, target)
            for n in range(visits):
                shift = n % len(views)
                for target in views[shift:] + views[:shift]:
                    results[target.name].append(visit(browser, target))
                print(f"round {n + 1}/{visits} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return results


def scripted_views(project: str, plain: str, lang: str, runs: int) -> list[tuple[str, list]]:
    """``runs`` page views per page without a browser (after one warm-up view each)."""
    plan = [("plain Streamlit app (baseline)", plain, "", "", "vega_lite_chart")]
    for page in PAGES:
        path = "" if page.slug == PAGES[0].slug else page.slug
        plan.append((f"page {page.slug}", project, path, f"lang={lang}", "chart"))
    plan.append((f"live embed {LIVE_CHART}", project, "",
                 f"embed=true&chart={LIVE_CHART}&lang={lang}", "chart"))
    out = []
    for name, base, path, query, want in plan:
        scripted.view(base, path, query, want=want)
        out.append((name, [scripted.view(base, path, query, want=want) for _ in range(runs)]))
    return out


def server_stack() -> str:
    """The server libraries both Streamlit servers use here (uvicorn picks uvloop and httptools
    when they are installed), so a reader of the figures knows the baseline had them too."""
    found = []
    for name in ("streamlit", "uvicorn", "uvloop", "httptools"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return ", ".join(found)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visits", type=int, default=7, help="visits of every view (default 7)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--scripted", type=int, default=5,
                    help="page views per page without a browser (0: none)")
    ap.add_argument("--profile", action="store_true",
                    help="also one profiled visit per view: browser CPU by script file")
    ap.add_argument("--only", default="",
                    help="comma-separated substrings of view names (baseline always kept)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="azkz-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "floor").mkdir()
        (tmp / "floor" / "index.html").write_text(floor_page(), encoding="utf-8")
        floor_port = free_port()
        floor = subprocess.Popen([sys.executable, "-m", "http.server", str(floor_port),
                                  "--bind", "127.0.0.1", "--directory", str(tmp / "floor")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        servers = []
        try:
            servers.append(scripted.start_project(free_port(), tmp))
            servers.append(scripted.start_plain(free_port(), tmp))
            project, plain = servers[0].url, servers[1].url
            views = targets(project, plain, f"http://127.0.0.1:{floor_port}", args.lang)
            if args.only:
                keep = [s for s in args.only.split(",") if s]
                views = [v for v in views
                         if v is views[0] or any(k in v.name for k in keep)]
            load0 = os.getloadavg()[0]
            results = browser_rounds(views, args.visits)
            load1 = os.getloadavg()[0]
            profiles = browser_profiles(views) if args.profile else {}
            server_side = (scripted_views(project, plain, args.lang, args.scripted)
                           if args.scripted else [])
        finally:
            for server in servers:
                server.stop()
            floor.terminate()
            floor.wait(timeout=10)

    base = med([r["chart"] for r in results[views[0].name]])
    print(f"# bench_pages: navigation → first chart, headless Chromium ({CHROMIUM}), a new "
          f"context per visit, {args.visits} visits per view interleaved, lang={args.lang}; "
          f"{os.cpu_count()} cores shared; 1-min load {load0:.1f} at start, {load1:.1f} at end")
    print(f"# both servers run in this interpreter's environment: {server_stack()}")
    print()
    print("| view | nav → first chart, median | vs. plain app | its picture first | vs. plain "
          "app | HTML+JS (DCL) | boot → ws | ws → data (server) | render | KiB before chart | "
          "requests |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for v in views:
        rs = results[v.name]
        chart = med([r["chart"] for r in rs])
        pic = med([r["pic"] for r in rs]) if v.picture else None
        pics = "— | —" if pic is None else f"{pic / 1000:.2f} s | {pic / base:.2f}"
        cols = [fmt_ms(med([r[k] for r in rs])) for k in ("dcl", "boot", "server", "render")]
        print(f"| {v.name} | {chart / 1000:.2f} s | {chart / base:.2f} | {pics} | {cols[0]} ms | "
              f"{' | '.join(cols[1:])} | {med([r['bytes'] for r in rs]) / 1024:,.0f} | "
              f"{med([r['requests'] for r in rs]):.0f} |")
    print()
    print("Times in ms on the page's clock. boot: DOMContentLoaded → websocket open; server: "
          "websocket open → last message before the chart (static pages: navigation → HTML "
          "received); render: that message (static pages: the last script received) → chart "
          "element, i.e. parsing, running and drawing in the browser; KiB: transfer sizes of "
          "the document, resources and websocket messages received before the chart.")
    if profiles:
        print()
        print("Browser CPU by script, one profiled first visit per view (navigation → chart; "
              "(idle): waiting for network or server, (program): style, layout, paint, "
              "parsing):")
        print()
        print("| view | where the browser's time went (ms) |")
        print("|---|---|")
        for v in views:
            print(f"| {v.name} | " + ", ".join(f"{name} {ms:,.0f}"
                                               for name, ms in profiles[v.name]) + " |")
    if server_side:
        print()
        print(f"Server side, {args.scripted} page views each without a browser (one new "
              f"session per view, warm server):")
        print()
        print("| view | GET page | rerun → first chart | rerun → script finished | "
              "websocket KiB | of it figure JSON KiB | elements |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, runs in server_side:
            ok = [r for r in runs if r.ok]
            if not ok:
                print(f"| {name} | failed: {runs[0].error} | | | | | |")
                continue
            print(f"| {name} | {med([r.html_s for r in ok]) * 1000:.0f} ms | "
                  f"{med([r.first_chart_s for r in ok]) * 1000:.0f} ms | "
                  f"{med([r.script_s for r in ok]) * 1000:.0f} ms | "
                  f"{med([r.ws_bytes for r in ok]) / 1024:.1f} | "
                  f"{med([r.spec_bytes for r in ok]) / 1024:.1f} | "
                  f"{med([r.elements for r in ok]):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
