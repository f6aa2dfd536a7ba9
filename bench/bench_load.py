"""Load test: concurrent browser readers on one dashboard server while embeds are hammered.

    python bench/bench_load.py                      # 30 readers, one server, wrk on the embeds
    python bench/bench_load.py --sessions 10 --backends 2   # two processes behind nginx

Loopback only, bounded in time. Starts ``python -m web`` (or N of them behind nginx, see
deploy/), opens ``--sessions`` dashboard sessions at once as browser contexts of one headless
Chromium, each waiting for its first drawn Plotly chart, keeps them open ``--hold`` seconds and
checks they are still connected; meanwhile wrk (``/usr/bin/wrk``) fetches the static embed pages.
Readers arrive one every ``--ramp`` seconds (default 1; 0 for a burst) and all stay open together.
Prints sessions held, p50/p95 time to first chart, errors, embed requests per second, the
server's peak memory (resident set of the server process tree, sampled from /proc) and the CPU
seconds the server and Chromium used. The same number of scripted sessions (no browser) is then
opened at once to show what the server alone takes.

The tables are the repository's (``data/tables``, built by ``python -m etl build``) unless
``--tables DIR`` names others. Chromium and wrk run on the same machine and compete for its
cores, so the figures are a floor for what a dedicated server does.

First, without a browser (bench/scripted.py, Streamlit's own websocket protocol): the server's
CPU time per page view (process CPU seconds / views, ``--views`` sequential views of every page
and of the live embed, each a new session), ``--sessions`` scripted sessions arriving at once
(time to first chart p50/p95, errors, server memory per session), and the cold start
(``python3 tasks.py run`` with the venv and tables built -> ``/healthz`` ok, twice: the first
start may render the static export, the second finds it on disk). ``--no-browser`` stops there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scripted  # bench/scripted.py, beside this file

from harness.cluster import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Cluster,
    free_port,
    proc_table,
    stream_session,
    tree_cpu_seconds,
    tree_rss_bytes,
)
from harness.scaleout import CHART, page_status, pct
from ui.state import PAGES

WRK = "/usr/bin/wrk"
# Rotates over every static embed page (and the host script) so the cache is not one file.
WRK_LUA = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "gzip"})
end
"""


class PeakMemory(threading.Thread):
    """Samples the summed RSS of some process trees every ``interval`` seconds; keeps the peak."""

    def __init__(self, pids: list[int], interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peak = 0
        self.samples = 0
        self._halt = threading.Event()

    def current(self) -> int:
        return sum(tree_rss_bytes(p) for p in self.pids)

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak = max(self.peak, self.current())
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def embed_paths(site_dir: Path) -> list[str]:
    """URL paths of the export's chart pages and host script (from its manifest)."""
    manifest = json.loads((site_dir / "manifest.json").read_text(encoding="utf-8"))
    pages = [f"/embed/{n.removesuffix('.html')}" for n in sorted(manifest["files"])
             if re.fullmatch(r"(az|en)/[a-z0-9_-]+\.html", n)]
    if not pages:
        raise RuntimeError(f"{site_dir}/manifest.json lists no chart pages")
    return [*pages, "/embed/host.js"]


class PythonFetcher(threading.Thread):
    """Stand-in for wrk when it is not installed: ``connections`` threads, each with one
    keep-alive httpx client, fetching ``paths`` in turn for ``seconds``."""

    def __init__(self, url: str, paths: list[str], seconds: int, connections: int) -> None:
        super().__init__(daemon=True)
        self.url, self.paths, self.seconds, self.connections = url, paths, seconds, connections
        self.latencies: list[float] = []
        self.errors = 0
        self.elapsed = 0.0
        self.pid = os.getpid()  # runs inside this process

    def _worker(self, offset: int, deadline: float) -> None:
        import httpx

        with httpx.Client(timeout=10, headers={"Accept-Encoding": "gzip"}) as http:
            i = offset
            while time.monotonic() < deadline:
                t = time.perf_counter()
                try:
                    ok = http.get(self.url + self.paths[i % len(self.paths)]).status_code < 400
                except Exception:  # counted, like wrk's socket errors
                    ok = False
                self.latencies.append(time.perf_counter() - t)
                self.errors += not ok
                i += 1

    def run(self) -> None:
        t0 = time.monotonic()
        deadline = t0 + self.seconds
        threads = [threading.Thread(target=self._worker, args=(k, deadline), daemon=True)
                   for k in range(self.connections)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.elapsed = time.monotonic() - t0

    def report(self) -> dict:
        ms = sorted(x * 1000 for x in self.latencies)
        return {"tool": "Python client (wrk not installed)",
                "rps": len(ms) / self.elapsed if self.elapsed else float("nan"),
                "requests": len(ms), "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99),
                "non2xx": self.errors, "socket_errors": 0}


def start_wrk(url: str, paths: list[str], seconds: int, connections: int,
              workdir: Path) -> subprocess.Popen:
    """wrk on ``url`` for ``seconds``, rotating over ``paths``; one thread (2-core machine)."""
    script = workdir / "embeds.lua"
    script.write_text(WRK_LUA % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    return subprocess.Popen([WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                             "--timeout", "10s", "-s", str(script), url], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def parse_wrk(out: str) -> dict:
    """Requests/s, latency percentiles and error counts from wrk's report."""
    def grab(pattern: str) -> str | None:
        m = re.search(pattern, out)
        return m.group(1) if m else None

    def ms(text: str | None) -> float | None:
        if text is None:
            return None
        m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
        if not m:
            return None
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

    non2xx = grab(r"Non-2xx or 3xx responses:\s+(\d+)")
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "tool": "wrk",
        "rps": float(grab(r"Requests/sec:\s+([\d.]+)") or "nan"),
        "requests": int(grab(r"(\d+) requests in") or 0),
        "p50_ms": ms(grab(r"\s50%\s+(\S+)")),
        "p99_ms": ms(grab(r"\s99%\s+(\S+)")),
        "non2xx": int(non2xx or 0),
        "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
    }


async def open_session(browser, url: str, timeout_s: float) -> dict:
    """One reader: own context, load the dashboard, wait for the first drawn chart."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    sockets: list = []
    page.on("websocket", lambda ws: sockets.append(ws))
    t0 = time.perf_counter()
    out = {"context": context, "page": page, "sockets": sockets, "ttfc": None, "error": None}
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        left = max(1.0, timeout_s - (time.perf_counter() - t0))
        await page.wait_for_selector(CHART, state="visible", timeout=left * 1000)
        out["ttfc"] = time.perf_counter() - t0
        if await page.locator('[data-testid="stException"]').count():
            out["error"] = "the page shows a Python exception"
    except Exception as exc:  # a reader that fails is a figure, not a crash
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return out


async def still_held(session: dict) -> bool:
    """True when the reader's websocket is open and Streamlit shows no connection problem."""
    if session["ttfc"] is None or session["error"]:
        return False
    open_sockets = [ws for ws in session["sockets"] if not ws.is_closed()]
    return bool(open_sockets) and not await page_status(session["page"])


def browser_cpu_seconds(exclude: set[int]) -> float:
    """CPU seconds of this process's children that are not ``exclude`` (Playwright + Chromium)."""
    table = proc_table()
    kids = [pid for pid, (parent, *_rest) in table.items()
            if parent == os.getpid() and pid not in exclude]
    return sum(tree_cpu_seconds(k) for k in kids)


async def browse(url: str, n: int, timeout_s: float, hold_s: float, ramp_s: float,
                 exclude: set[int]) -> tuple[list[dict], int, float]:
    """Open ``n`` readers (one every ``ramp_s`` seconds), hold them, count those still held.

    Returns the sessions, how many were still held, and the browser's CPU seconds.
    """
    from playwright.async_api import async_playwright

    async def reader(i: int) -> dict:
        await asyncio.sleep(i * ramp_s)
        return await open_session(browser, url, timeout_s)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cpu0 = browser_cpu_seconds(exclude)
        try:
            sessions = await asyncio.gather(*(reader(i) for i in range(n)))
            print(f"{sum(s['ttfc'] is not None for s in sessions)}/{n} sessions drew a chart; "
                  f"holding {hold_s:.0f}s", file=sys.stderr, flush=True)
            await asyncio.sleep(hold_s)
            held = sum(await asyncio.gather(*(still_held(s) for s in sessions)))
            cpu = browser_cpu_seconds(exclude) - cpu0
            for s in sessions:
                await s["context"].close()
            return sessions, held, cpu
        finally:
            await browser.close()


def server_side(sessions: int, views: int, tables: Path | None, cold: bool) -> None:
    """CPU per page view, sessions at once and cold start, without a browser (printed)."""
    plan = [(f"page {p.slug}", "" if p.slug == PAGES[0].slug else p.slug, "lang=en")
            for p in PAGES]
    plan.append(("live embed trade-turnover", "", "embed=true&chart=trade-turnover&lang=en"))
    with tempfile.TemporaryDirectory(prefix="azkz-bench-") as tmp_name:
        tmp = Path(tmp_name)
        server = scripted.start_project(free_port(), tmp, tables)
        try:
            cpu = [(name, *scripted.cpu_per_view(server, path, query, views))
                   for name, path, query in plan]
            burst, idle, peak = scripted.burst(server, sessions, "", "lang=en")
        finally:
            server.stop()
        starts = []
        if cold:
            # One port for both starts: the export's base URL (http://localhost:<port>) is part
            # of its fingerprint, so the second start finds the first one's export on disk.
            port = free_port()
            env = {"AZKZ_BASE_URL": ""}
            for _ in range(2):
                starts.append(scripted.cold_start(
                    [sys.executable, str(ROOT / "tasks.py"), "run", "--port", str(port)], port,
                    tmp, env))
    per_view = sorted(ms for _, ms, _ in cpu)
    print(f"# bench_load, server side: one server process, no browser; {os.cpu_count()} cores "
          f"shared with the load generator; 1-min load {os.getloadavg()[0]:.1f}")
    print()
    print(f"| view | server CPU per page view ({views} views, one session each) | failed |")
    print("|---|---:|---:|")
    for name, ms, failed in cpu:
        print(f"| {name} | {ms:.0f} ms | {failed} |")
    print(f"| median over the views | {per_view[len(per_view) // 2]:.0f} ms | |")
    print()
    first = sorted(v.html_s + v.first_chart_s for v in burst if v.ok)
    errors = sorted({v.error for v in burst if not v.ok})
    print("| measure | value |")
    print("|---|---:|")
    print(f"| {sessions} scripted sessions at once (overview): served | {len(first)}/{sessions} |")
    print(f"| arrival → first chart p50 / p95 / max | {pct(first, 50) or float('nan'):.2f} / "
          f"{pct(first, 95) or float('nan'):.2f} / {max(first, default=float('nan')):.2f} s |")
    print(f"| errors | {sessions - len(first)} |")
    print(f"| server memory before → peak | {mb(idle)} → {mb(peak)} |")
    print(f"| server memory per session (peak − before) / sessions | "
          f"{(peak - idle) / sessions / 2**20:.2f} MB |")
    for i, seconds in enumerate(starts):
        label = "first start (may render the static export)" if i == 0 else "second start"
        print(f"| cold start, `python3 tasks.py run` → /healthz ok, {label} | {seconds:.1f} s |")
    for e in errors[:3]:
        print(f"  session error: {e}")
    print()


def mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sessions", type=int, default=30, help="concurrent browser readers")
    p.add_argument("--backends", type=int, default=1,
                   help="dashboard processes; more than 1 puts nginx (deploy/) in front")
    p.add_argument("--timeout", type=float, default=180.0,
                   help="seconds each reader may wait for its first chart")
    p.add_argument("--ramp", type=float, default=1.0,
                   help="seconds between two readers' arrivals (0: all at once)")
    p.add_argument("--hold", type=float, default=10.0,
                   help="seconds to keep all readers open before checking they are held")
    p.add_argument("--wrk-connections", type=int, default=8)
    p.add_argument("--tables", type=Path, default=None,
                   help="tables directory (default: data/tables)")
    p.add_argument("--views", type=int, default=50,
                   help="page views per page for the server's CPU per view")
    p.add_argument("--no-cold", action="store_true", help="skip the cold start")
    p.add_argument("--no-browser", action="store_true",
                   help="only the server side (CPU per view, sessions at once, cold start)")
    args = p.parse_args(argv)
    tables = args.tables or ROOT / "data" / "tables"
    if not (tables / "figures.parquet").exists():
        print(f"bench_load: no built tables in {tables}; run `python -m etl build` first "
              f"(or pass --tables DIR)", file=sys.stderr)
        return 1

    server_side(args.sessions, args.views, args.tables, not args.no_cold)
    if args.no_browser:
        return 0
    cluster = Cluster(n_backends=args.backends, with_nginx=args.backends > 1,
                      tables_dir=args.tables)
    load_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        cluster.start(timeout=120)
    except (RuntimeError, TimeoutError) as exc:
        print(f"bench_load: {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter() - t0
    print(f"server ready in {started:.1f}s at {cluster.url}; opening {args.sessions} sessions",
          file=sys.stderr, flush=True)
    memory = PeakMemory([b.pid for b in cluster.backends])
    try:
        idle = memory.current()
        memory.start()
        assert cluster.site_dir is not None
        paths = embed_paths(cluster.site_dir)
        # wrk runs while readers arrive and load their first charts (bounded at 2 minutes).
        wrk_seconds = int(min(120, args.ramp * args.sessions + 30))
        server_pids = [b.pid for b in cluster.backends]
        with tempfile.TemporaryDirectory() as tmp:
            if Path(WRK).exists():
                wrk = start_wrk(cluster.url, paths, wrk_seconds, args.wrk_connections,
                                Path(tmp))
            else:
                wrk = PythonFetcher(cluster.url, paths, wrk_seconds, args.wrk_connections)
                wrk.start()
            exclude = {*server_pids, wrk.pid}
            if cluster.nginx is not None:
                exclude.add(cluster.nginx.pid)
            server_cpu0 = sum(tree_cpu_seconds(p) for p in server_pids)
            t_browse = time.perf_counter()
            sessions, held, browser_cpu = asyncio.run(
                browse(cluster.url, args.sessions, args.timeout, args.hold, args.ramp, exclude))
            browse_s = time.perf_counter() - t_browse
            server_cpu = sum(tree_cpu_seconds(p) for p in server_pids) - server_cpu0
            if isinstance(wrk, PythonFetcher):
                wrk.join(timeout=wrk_seconds + 30)
                w = wrk.report()
            else:
                w = parse_wrk(wrk.communicate(timeout=wrk_seconds + 30)[0])
        # The same number of sessions without a browser (page + websocket, see harness/cluster.py):
        # what the server alone takes to send every session its first chart.
        with ThreadPoolExecutor(max_workers=args.sessions) as pool:
            scripted = list(pool.map(lambda _: stream_session(cluster.url,
                                                              timeout=args.timeout),
                                     range(args.sessions)))
        memory.stop()
        alive = all(b.alive() for b in cluster.backends)
    finally:
        cluster.cleanup()

    load_end = os.getloadavg()[0]
    ttfc = [s["ttfc"] for s in sessions if s["ttfc"] is not None]
    errors = [s["error"] for s in sessions if s["error"]]
    front = (f"{args.backends} × python -m web behind nginx" if args.backends > 1
             else "one python -m web process")
    print(f"# bench_load: {args.sessions} browser sessions + {w['tool']} on static embeds, "
          f"{front}, {os.cpu_count()} cores shared by server, Chromium and load generator; "
          f"1-min load average "
          f"{load_start:.1f} at start, {load_end:.1f} at end")
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| server start (build embeds + ready) | {started:.1f} s |")
    print(f"| sessions opened with a chart | {len(ttfc)}/{args.sessions} |")
    print(f"| sessions still held after {args.hold:.0f} s | {held}/{args.sessions} |")
    print(f"| session errors | {len(errors)} |")
    print(f"| time to first chart p50 | {pct(ttfc, 50) or float('nan'):.1f} s |")
    print(f"| time to first chart p95 | {pct(ttfc, 95) or float('nan'):.1f} s |")
    print(f"| time to first chart max | {max(ttfc, default=float('nan')):.1f} s |")
    print(f"| readers started | one every {args.ramp:g} s |")
    print(f"| all sessions opened in | {browse_s - args.hold:.1f} s |")
    print(f"| CPU used during the browser phase: server / Chromium | {server_cpu:.0f} s / "
          f"{browser_cpu:.0f} s |")
    sttfc = [r.first_chart_s for r in scripted if r.ok]
    print(f"| same, {args.sessions} scripted sessions at once (no browser): served | "
          f"{len(sttfc)}/{args.sessions} |")
    print(f"| scripted time to first chart p50 / p95 | {pct(sttfc, 50) or float('nan'):.1f} / "
          f"{pct(sttfc, 95) or float('nan'):.1f} s |")
    print(f"| embed requests/s ({w['tool']}, {args.wrk_connections} conns, {len(paths)} paths, "
          f"gzip) | "
          f"{w['rps']:.0f} |")
    print(f"| embed latency p50 / p99 | {w['p50_ms'] or float('nan'):.1f} / "
          f"{w['p99_ms'] or float('nan'):.1f} ms |")
    print(f"| embed errors: non-2xx/3xx / socket or >10 s timeout | {w['non2xx']} / "
          f"{w['socket_errors']} of {w['requests']} |")
    print(f"| server RSS idle → peak (process tree{'s' if args.backends > 1 else ''}) | "
          f"{mb(idle)} → {mb(memory.peak)} |")
    print(f"| server RSS per session (peak − idle) / sessions | "
          f"{(memory.peak - idle) / max(1, args.sessions) / 2**20:.1f} MB |")
    print(f"| server alive at the end | {'yes' if alive else 'NO'} |")
    scripted_errors = sorted({r.error for r in scripted if not r.ok and r.error})
    for e in scripted_errors[:3]:
        print(f"  scripted session error: {e}")
    for e in sorted(set(errors))[:5]:
        print(f"  session error: {e}")
    # Failed or slow sessions are figures, printed above; the exit status only says whether the
    # benchmark could run (so `python tasks.py bench` goes on to the next one).
    return 0


if __name__ == "__main__":
    sys.exit(main())
