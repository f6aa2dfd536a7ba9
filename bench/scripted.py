"""What the benchmarks share: starting the servers they measure, and one page view without a
browser (Streamlit's own websocket protocol), timed and weighed.

Not a benchmark itself (``tasks.py bench`` runs ``bench_*.py`` only). Everything listens on
127.0.0.1 on a port the kernel hands out; every process is started in its own process group and
stopped by its id.
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parents[1]
PLAIN_APP = ROOT / "bench" / "plain_app.py"
# ``want="chart"``: a dashboard chart, the component (ui/plot.py) or st.plotly_chart.
CHART_TYPES = {"chart": ("bidi_component", "plotly_chart")}
# The same settings for the project's server and the plain app: headless, no usage statistics,
# no file watcher (it costs CPU per process and is off in production).
QUIET = {"STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
         "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "PYTHONUNBUFFERED": "1"}
# One TLS context for every client: httpx builds one per client otherwise (reading the CA
# bundle, ~30 ms of CPU), which in a burst of sessions is the load generator's own work competing
# with the server on the same cores (a browser does it once, not per page view).
TLS = ssl.create_default_context()


def server_module() -> str:
    """The module behind ``tasks.py run`` (the one-process server: dashboard, embeds, health)."""
    if (ROOT / "web" / "__main__.py").exists():
        return "web"
    if (ROOT / "ui" / "server.py").exists():  # before the web/ layer existed
        return "ui.server"
    raise RuntimeError("no server: neither web/__main__.py nor ui/server.py exists")


@dataclass
class Server:
    """A child process in its own process group, answering on ``url``."""

    name: str
    popen: subprocess.Popen
    url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=15)


def spawn(name: str, cmd: list[str], port: int, workdir: Path, env: dict[str, str],
          cwd: Path = ROOT) -> Server:
    log = workdir / f"{name}.log"
    with log.open("wb") as fh:
        popen = subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env={**os.environ, **QUIET, **env},
                                 start_new_session=True)
    return Server(name, popen, f"http://127.0.0.1:{port}", log)


def wait_ok(server: Server, path: str, timeout: float = 180.0) -> float:
    """Seconds until ``server`` answers 200 on ``path``; fails with its log if it dies."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if server.popen.poll() is not None:
            raise RuntimeError(f"{server.name} exited ({server.popen.returncode}):\n"
                               f"{server.log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(server.url + path, timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{server.name}: {path} not 200 within {timeout:.0f}s")


def start_project(port: int, workdir: Path, tables: Path | None = None) -> Server:
    """The project's one-process server (dashboard, embeds, downloads), static embeds rendered
    into ``workdir/site``; returns once ``/healthz`` is ok and names the embeds rendered (the
    server listens first and renders them in the background: measuring before they are done
    would count that rendering's CPU)."""
    env = {"AZKZ_BASE_URL": f"http://127.0.0.1:{port}"}
    if tables is not None:
        env["AZKZ_TABLES_DIR"] = str(tables)
    server = spawn("project", [sys.executable, "-m", server_module(), "--host", "127.0.0.1",
                               "--port", str(port), "--site", str(workdir / "site")],
                   port, workdir, env)
    wait_ok(server, "/healthz")
    wait_embeds(server)
    return server


def wait_embeds(server: Server, timeout: float = 300.0) -> float:
    """Seconds until ``/healthz`` says the static embeds are rendered (``"embeds": "ok"``)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if httpx.get(server.url + "/healthz", timeout=10).json().get("embeds") == "ok":
            return time.monotonic() - t0
        time.sleep(0.2)
    raise TimeoutError(f"{server.name}: static embeds not rendered within {timeout:.0f}s")


def start_plain(port: int, workdir: Path) -> Server:
    """``streamlit run bench/plain_app.py``: the baseline, with Streamlit's defaults (it runs
    outside the repository, so the project's .streamlit/config.toml does not apply)."""
    home = workdir / "plain"
    home.mkdir(exist_ok=True)
    server = spawn("plain", [sys.executable, "-m", "streamlit", "run", str(PLAIN_APP),
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                   port, workdir, {}, cwd=home)
    wait_ok(server, "/_stcore/health")
    return server


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (and its reaped children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@dataclass
class View:
    """One page view without a browser, as Streamlit's frontend asks for it."""

    ok: bool = False
    error: str | None = None
    html_s: float | None = None  # GET of the page (index.html)
    first_chart_s: float | None = None  # rerun request -> first chart (or element) delta
    script_s: float | None = None  # rerun request -> script_finished
    total_s: float | None = None  # GET start -> script_finished
    ws_bytes: int = 0  # every websocket message received
    spec_bytes: int = 0  # of it: Plotly figure JSON (or Vega-Lite spec + data)
    elements: int = 0


def view(base: str, page: str = "", query: str = "", timeout: float = 60.0,
         want: str = "chart") -> View:
    """Load ``base/page?query`` as a new session: GET the page, open the websocket, ask for a
    script run and read until ``script_finished``. ``want`` names the element type whose first
    delta is ``first_chart_s`` (any element when the page draws no such one)."""
    res = View()
    t0 = time.perf_counter()
    try:
        with httpx.Client(timeout=timeout, verify=TLS) as http:
            got = http.get(f"{base}/{page}" + (f"?{query}" if query else ""))
            res.html_s = time.perf_counter() - t0
            if got.status_code != 200:
                res.error = f"page answered HTTP {got.status_code}"
                return res
            cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        headers = {"Origin": base, **({"Cookie": cookie} if cookie else {})}
        with ws_connect(base.replace("http://", "ws://", 1) + "/_stcore/stream",
                        subprotocols=["streamlit"], additional_headers=headers,
                        open_timeout=timeout, close_timeout=2, max_size=None) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = query
            msg.rerun_script.page_script_hash = ""
            msg.rerun_script.page_name = page
            t1 = time.perf_counter()
            ws.send(msg.SerializeToString())
            deadline = time.monotonic() + timeout
            first_any = None
            while time.monotonic() < deadline:
                raw = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
                res.ws_bytes += len(raw)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    element = fwd.delta.new_element
                    etype = element.WhichOneof("type")
                    res.elements += 1
                    first_any = first_any or time.perf_counter() - t1
                    if etype == "plotly_chart":
                        res.spec_bytes += len(element.plotly_chart.spec)
                    elif etype == "bidi_component":  # ui/plot.py: the figure JSON and more
                        res.spec_bytes += len(element.bidi_component.json)
                    elif etype == "vega_lite_chart":
                        chart = element.vega_lite_chart
                        res.spec_bytes += (len(chart.spec) + len(chart.data.data)
                                           + sum(len(d.data.data) for d in chart.datasets))
                    if etype in CHART_TYPES.get(want, (want,)) and res.first_chart_s is None:
                        res.first_chart_s = time.perf_counter() - t1
                elif kind == "script_finished":
                    res.script_s = time.perf_counter() - t1
                    res.total_s = time.perf_counter() - t0
                    if res.first_chart_s is None:
                        res.first_chart_s = first_any
                    res.ok = res.elements > 0
                    if not res.ok:
                        res.error = "script finished without an element"
                    return res
                elif kind == "page_not_found":
                    res.error = f"page not found: {page!r}"
                    return res
            res.error = f"no script_finished within {timeout:.0f}s"
    except Exception as exc:  # a failed view is a figure to count, not a crash
        res.error = f"{type(exc).__name__}: {exc}"
    return res


def cpu_per_view(server: Server, page: str, query: str, views: int,
                 want: str = "chart") -> tuple[float, int]:
    """Server CPU milliseconds per page view (process CPU time / ``views``) over ``views``
    sequential views, each a new session, after one warm-up view; and the failed views."""
    view(server.url, page, query, want=want)
    cpu0 = cpu_seconds(server.pid)
    failed = sum(not view(server.url, page, query, want=want).ok for _ in range(views))
    return (cpu_seconds(server.pid) - cpu0) * 1000 / views, failed


def cold_start(cmd: list[str], port: int, workdir: Path, env: dict[str, str] | None = None,
               timeout: float = 300.0) -> float:
    """Seconds from starting ``cmd`` (a server on ``port``) to ``/healthz`` answering 200."""
    t0 = time.monotonic()
    server = spawn("cold", cmd, port, workdir, env or {})
    try:
        wait_ok(server, "/healthz", timeout)
        return time.monotonic() - t0
    finally:
        server.stop()


def burst(server: Server, sessions: int, page: str = "", query: str = "",
          timeout: float = 120.0) -> tuple[list[View], int, int]:
    """``sessions`` new sessions arriving at once (one thread each, released together);
    returns their views, the server's resident memory before, and its peak while they ran
    (sampled every 50 ms)."""
    idle = rss_bytes(server.pid)
    peak = [idle]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes(server.pid))
            done.wait(0.05)

    gate = threading.Barrier(sessions)

    def one(_: int) -> View:
        gate.wait()
        return view(server.url, page, query, timeout=timeout)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            views = list(pool.map(one, range(sessions)))
        time.sleep(0.5)  # memory still held by the open sessions' last messages
        peak[0] = max(peak[0], rss_bytes(server.pid))
    finally:
        done.set()
        sampler.join(timeout=5)
    return views, idle, peak[0]
