"""Two dashboard processes behind nginx on loopback: sessions, a backend killed mid-run, figures.

    python -m harness.scaleout                 # 2 backends, 4 browser readers, 40 scripted ones
    python -m harness.scaleout --browsers 6 --sessions 60 --app /tmp/some_streamlit_script.py

What it does, in order, all on 127.0.0.1 with ports the kernel picks:

1. starts two dashboard processes and nginx (config rendered from deploy/nginx.conf.template);
2. opens browser readers (headless Chromium, one context each, so each gets its own sticky
   cookie) and waits for each one's first chart; notes which backend serves each;
3. runs scripted readers (page + Streamlit websocket, no browser) one after another; halfway
   through it kills (SIGKILL) the backend that serves browser reader 0;
4. counts the scripted readers served before and after the kill, opens one more browser reader,
   and watches the readers that were on the dead backend: what they show (Streamlit's
   "Connecting"/"Connection error" status) and whether their chart comes back; screenshots go to
   artifacts/scaleout-*.png;
5. prints the figures and stops everything it started.

Exit status 0 when every reader after the kill was served, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.cluster import CHROMIUM, CHROMIUM_ARGS, ROOT, Cluster, stream_session

# A Plotly chart that has drawn its SVG: "the reader sees a chart".
CHART = ".js-plotly-plot .main-svg"
STATUS_WORDS = ("Connection error", "Connecting", "Is Streamlit still running")
ARTIFACTS = ROOT / "artifacts"


@dataclass
class Reader:
    """A browser reader: its page, sticky key, backend and what it saw."""

    index: int
    page: object
    key: str | None = None
    backend: int | None = None
    first_chart_s: float | None = None
    error: str | None = None
    # (perf_counter time, "open" | "close" | "frame") for the page's Streamlit websockets.
    ws_events: list | None = None


async def open_reader(browser, url: str, index: int, timeout_s: float) -> Reader:
    """A new browser context (own cookies) on ``url``; waits for the first drawn chart."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    reader = Reader(index, page, ws_events=[])
    events = reader.ws_events

    def on_websocket(ws) -> None:
        events.append((time.perf_counter(), "open", ws.url))
        ws.on("framereceived", lambda payload: events.append((time.perf_counter(), "frame",
                                                              _message_kind(payload))))
        ws.on("close", lambda _ws: events.append((time.perf_counter(), "close", "")))

    page.on("websocket", on_websocket)
    t0 = time.perf_counter()
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        await page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
        reader.first_chart_s = time.perf_counter() - t0
    except Exception as exc:  # counted and reported, not raised: one slow reader is a figure
        reader.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    cookies = await context.cookies()
    reader.key = next((c["value"] for c in cookies if c["name"] == "azkz_backend"), None)
    return reader


def _message_kind(payload: bytes | str) -> str:
    """Kind of a Streamlit ForwardMsg frame (``delta``, ``new_session``, ...)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return "text"
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:
        return "unparsed"
    return msg.WhichOneof("type") or "empty"


async def page_status(page) -> str:
    """The connection status words Streamlit shows on ``page`` right now ('' when none)."""
    try:
        text = await page.inner_text("body", timeout=2000)
    except Exception as exc:
        return f"<page unreadable: {type(exc).__name__}>"
    # Streamlit upper-cases the status with CSS, and inner_text reports it as rendered.
    return ", ".join(w for w in STATUS_WORDS if w.lower() in text.lower())


async def watch_dead_reader(reader: Reader, killed_at: float, watch_s: float) -> dict:
    """Follow a reader whose backend was killed.

    Records what the page says (Streamlit's connection status words), when its websocket closed
    and reopened (through nginx, so to the live backend) and which messages came back; then
    asks for a rerun the way a reader's next click would (Streamlit's "r" shortcut) and times
    the redrawn chart, which proves the live backend now holds a session for this reader.
    """
    seen: dict[str, float] = {}
    out = {"reader": reader.index, "status_seen": seen, "ws_closed_s": None,
           "ws_reopened_s": None, "kinds_on_reopen": [], "rerun_chart_s": None,
           "screenshots": []}

    async def shot(name: str) -> None:
        path = ARTIFACTS / f"scaleout-reader{reader.index}-{name}.png"
        await reader.page.screenshot(path=str(path))
        out["screenshots"].append(str(path.relative_to(ROOT)))

    def since(t0: float) -> list:
        return [(t - killed_at, kind, info) for t, kind, info in reader.ws_events if t >= t0]

    for _ in range(3):
        for word in filter(None, (await page_status(reader.page)).split(", ")):
            seen.setdefault(word, round(time.perf_counter() - killed_at, 2))
        await asyncio.sleep(0.1)
    await shot("just-after-kill")
    deadline = time.monotonic() + watch_s
    reopened_at = None
    while time.monotonic() < deadline and reopened_at is None:
        status = await page_status(reader.page)
        for word in filter(None, status.split(", ")):
            seen.setdefault(word, round(time.perf_counter() - killed_at, 2))
        events = since(killed_at)
        closes = [t for t, kind, _ in events if kind == "close"]
        opens = [t for t, kind, _ in events if kind == "open"]
        out["ws_closed_s"] = round(closes[0], 2) if closes else None
        if opens:
            # The reopened socket stays quiet until the reader does something: the old page
            # stays on screen, and the live backend starts a fresh session on the next rerun.
            reopened_at = opens[-1]
            out["ws_reopened_s"] = round(reopened_at, 2)
            await asyncio.sleep(1.0)
            out["kinds_on_reopen"] = [info for t, kind, info in since(killed_at)
                                      if kind == "frame" and t >= reopened_at]
            break
        await asyncio.sleep(0.2)
    await shot("reconnected" if reopened_at is not None else "not-reconnected")
    if reopened_at is None:
        return out
    pressed = time.perf_counter()
    await reader.page.locator("body").press("r")
    while time.monotonic() < deadline:
        kinds = [info for t, kind, info in since(pressed) if kind == "frame"]
        if "script_finished" in kinds and await reader.page.locator(CHART).count():
            out["rerun_chart_s"] = round(time.perf_counter() - pressed, 2)
            break
        await asyncio.sleep(0.2)
    await shot("after-rerun")
    return out


def scripted_readers(url: str, n: int, kill_after: int, kill: threading.Event,
                     killed: threading.Event, out: list) -> None:
    """Run ``n`` scripted sessions in a row; after ``kill_after`` of them ask for the kill."""
    for i in range(n):
        if i == kill_after:
            kill.set()
            killed.wait(timeout=30)
        res = stream_session(url, timeout=30)
        out.append((i >= kill_after, res))


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) of ``values``, nearest-rank; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    cluster = Cluster(n_backends=2, app=args.app, site_dir=args.site_dir, tables_dir=args.tables)
    t_start = time.perf_counter()
    cluster.start(timeout=120)
    print(f"nginx {cluster.url} -> backends {', '.join(map(str, cluster.backend_ports))}; "
          f"logs in {cluster.workdir}", flush=True)
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return await _scenario(args, cluster, browser, t_start)
            finally:
                await browser.close()
    finally:
        if args.keep:
            cluster.stop()
            print(f"stopped nginx and both backends; logs kept in {cluster.workdir}")
        else:
            cluster.cleanup()
            print("stopped nginx and both backends; removed their work directory")


async def _scenario(args, cluster: Cluster, browser, t_start: float) -> int:
    readers = await asyncio.gather(*(open_reader(browser, cluster.url, i, args.timeout)
                                     for i in range(args.browsers)))
    for r in readers:
        r.backend = cluster.backend_of(r.key) if r.key else None
    if readers[0].backend is None:
        print(f"browser reader 0 got no sticky cookie or was not logged ({readers[0].error})")
        return 1
    victim = readers[0].backend
    print(f"browser readers: {[(r.index, r.backend, fmt(r.first_chart_s)) for r in readers]}")

    kill, killed = threading.Event(), threading.Event()
    results: list = []
    worker = threading.Thread(target=scripted_readers, daemon=True,
                              args=(cluster.url, args.sessions, args.sessions // 2, kill, killed,
                                    results))
    worker.start()
    await asyncio.to_thread(kill.wait, 120)
    cluster.backends[victim].kill()
    killed_at = time.perf_counter()
    killed.set()
    print(f"killed backend {victim} (port {cluster.backend_ports[victim]}) "
          f"at t={killed_at - t_start:.1f}s", flush=True)

    dead_readers = [r for r in readers if r.backend == victim and r.first_chart_s is not None]
    watched = await asyncio.gather(*(watch_dead_reader(r, killed_at, args.watch)
                                     for r in dead_readers))
    late = await open_reader(browser, cluster.url, len(readers), args.timeout)
    late.backend = cluster.backend_of(late.key) if late.key else None
    await late.page.screenshot(path=str(ARTIFACTS / "scaleout-new-reader.png"))
    await asyncio.to_thread(worker.join, 180)

    before = [r for after, r in results if not after]
    after = [r for after, r in results if after]
    served_after = sum(r.ok for r in after) + (late.first_chart_s is not None)
    total_after = len(after) + 1
    print()
    print("| phase | readers | served | errors | p50 first chart (s) | p95 first chart (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, group in (("browser, before kill", readers),):
        ok = [r.first_chart_s for r in group if r.first_chart_s is not None]
        print(f"| {name} | {len(group)} | {len(ok)} | {len(group) - len(ok)} | "
              f"{fmt(pct(ok, 50))} | {fmt(pct(ok, 95))} |")
    for name, group in (("scripted, before kill", before), ("scripted, after kill", after)):
        ok = [r.first_chart_s for r in group if r.ok]
        print(f"| {name} | {len(group)} | {len(ok)} | {len(group) - len(ok)} | "
              f"{fmt(pct(ok, 50))} | {fmt(pct(ok, 95))} |")
    print(f"| browser, new after kill | 1 | {int(late.first_chart_s is not None)} | "
          f"{int(late.first_chart_s is None)} | {fmt(late.first_chart_s)} | - |")
    print()
    print(f"new readers after the kill served: {served_after}/{total_after} "
          f"(new browser reader on backend {late.backend})")
    for w in watched:
        seen = ", ".join(f"{k!r} at +{v}s" for k, v in w["status_seen"].items()) or "none"
        rerun = (f"a rerun drew the chart in {w['rerun_chart_s']}s" if w["rerun_chart_s"]
                 else "a rerun drew no chart")
        print(f"reader {w['reader']} on the killed backend: websocket closed at "
              f"+{fmt(w['ws_closed_s'])}s, reopened at +{fmt(w['ws_reopened_s'])}s "
              f"(messages: {', '.join(w['kinds_on_reopen']) or 'none'}); status words: {seen}; "
              f"{rerun}; screenshots {', '.join(w['screenshots'])}")
    errors = [r.error for r in after if not r.ok] + ([late.error] if late.error else [])
    for e in errors[:5]:
        print(f"  error after kill: {e}")
    ok_times = [r.first_chart_s for _, r in results if r.ok]
    if ok_times:
        print(f"scripted first chart overall: mean {statistics.mean(ok_times):.2f}s")
    print(f"total run {time.perf_counter() - t_start:.1f}s")
    return 0 if served_after == total_after else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--browsers", type=int, default=4, help="browser readers before the kill")
    p.add_argument("--sessions", type=int, default=40,
                   help="scripted readers (websocket client), half before and half after the kill")
    p.add_argument("--watch", type=float, default=30.0,
                   help="seconds to watch readers of the killed backend")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per reader")
    p.add_argument("--app", type=Path, default=None,
                   help="a Streamlit script to serve instead of the project's dashboard")
    p.add_argument("--site-dir", type=Path, default=None,
                   help="static embeds directory (default: built afresh in a temp directory)")
    p.add_argument("--tables", type=Path, default=None,
                   help="tables directory for the dashboard (default: data/tables)")
    p.add_argument("--keep", action="store_true",
                   help="keep the work directory (nginx config, access log, server logs)")
    args = p.parse_args(argv)
    if args.browsers < 1 or args.sessions < 2:
        p.error("need at least 1 browser reader and 2 scripted readers")
    try:
        return asyncio.run(run(args))
    except (RuntimeError, TimeoutError) as exc:
        print(f"scaleout: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
