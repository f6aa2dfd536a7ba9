"""Start dashboard processes and nginx on loopback, and talk to them like a reader would.

Used by ``harness/scaleout.py``, ``tests/test_deploy.py`` and ``bench/bench_load.py``. Everything
binds 127.0.0.1 on ports the kernel hands out, every wait is bounded, and every process started
here runs in its own process group so it can be stopped (with its children) by its id alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.sync.client import connect as ws_connect

from deploy.render import render
from etl.paths import ROOT

NGINX = os.environ.get("AZKZ_NGINX", "/usr/sbin/nginx")
LOOPBACK = "127.0.0.1"
HEALTH_PATH = "/_stcore/health"
STREAM_PATH = "/_stcore/stream"
STICKY_COOKIE = "azkz_backend"
# Debian's Chromium for every browser reader (tests, benchmarks, demos): as root it needs
# --no-sandbox, and without the background-networking flags it keeps dialling hosts this
# closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def nginx_path() -> str:
    """Path of the nginx binary, or a RuntimeError that says how to install it."""
    if Path(NGINX).exists():
        return NGINX
    found = shutil.which("nginx")
    if found:
        return found
    raise RuntimeError(f"nginx not found at {NGINX} or on PATH: install the Debian package "
                       f"(apt-get install -y nginx) or set AZKZ_NGINX to the binary")


def backend_command(port: int, app: Path | None = None, site_dir: Path | None = None) -> list[str]:
    """Command line of one dashboard process on ``127.0.0.1:port``.

    ``app`` names a Streamlit script to run instead of the project's dashboard. Otherwise the
    project's one-process server (``python -m web``, static embeds from ``site_dir``) is
    used, or ``streamlit run dashboard.py`` while that server does not exist.
    """
    py = sys.executable
    if app is None and (ROOT / "web" / "app.py").exists():
        cmd = [py, "-m", "web", "--host", LOOPBACK, "--port", str(port)]
        return cmd + (["--site", str(site_dir)] if site_dir is not None else [])
    script = app or ROOT / "dashboard.py"
    if not script.exists():
        raise RuntimeError(f"no dashboard to serve: neither web/app.py nor {script} exists")
    return [py, "-m", "streamlit", "run", str(script), "--server.address", LOOPBACK,
            "--server.port", str(port), "--server.headless", "true"]


@dataclass
class Proc:
    """A child process in its own process group, with its output in ``log``."""

    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (the server and anything it spawned)."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds."""
        if not self.alive():
            return
        self.kill(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)
            self.popen.wait(timeout=timeout)

    def tail(self, n: int = 30) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-n:])


def spawn(name: str, cmd: list[str], workdir: Path, env: dict[str, str] | None = None) -> Proc:
    """Start ``cmd`` in a new process group, output to ``workdir/<name>.log``."""
    log = workdir / f"{name}.log"
    fh = log.open("wb")
    popen = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,  # noqa: S603
                             stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    fh.close()
    return Proc(name, popen, log)


def wait_http(url: str, proc: Proc | None = None, timeout: float = 60.0) -> float:
    """Poll ``url`` until it answers 200; seconds waited. Fails early if ``proc`` died."""
    t0 = time.monotonic()
    last = "no answer"
    while time.monotonic() - t0 < timeout:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode} before "
                               f"{url} answered; last output:\n{proc.tail()}")
        try:
            r = httpx.get(url, timeout=2.0)
            if r.status_code == 200:
                return time.monotonic() - t0
            last = f"HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.2)
    tail = f"; last output:\n{proc.tail()}" if proc is not None else ""
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f}s ({last}){tail}")


def wait_embeds(base: str, proc: Proc | None = None, timeout: float = 120.0) -> float:
    """Poll ``base``/healthz until the static embeds are rendered (``"embeds": "ok"``): the
    project's server listens first and renders a missing export in the background, and
    nginx's config carries the CSP of the pages on disk when it is rendered."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode}; last "
                               f"output:\n{proc.tail()}")
        try:
            if httpx.get(base + "/healthz", timeout=2.0).json().get("embeds") == "ok":
                return time.monotonic() - t0
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base}: static embeds not rendered within {timeout:.0f}s")


def backend_env(cookie_secret: str, tables_dir: Path | None = None,
                base_url: str | None = None) -> dict[str, str]:
    """Environment of a dashboard process: quiet, headless, and one cookie secret for all.

    Every backend behind the same nginx must sign cookies with the same secret, or a reader moved
    to another backend by a fail-over carries cookies the new one rejects. The secret is made per
    run and never written to the repository.
    """
    env = dict(os.environ)
    env.update({
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
        # No file watcher: an edit in the working tree would otherwise show readers a
        # "File change. Rerun" prompt, and watching costs CPU per process.
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "PYTHONUNBUFFERED": "1",
    })
    if tables_dir is not None:
        env["AZKZ_TABLES_DIR"] = str(tables_dir)
    if base_url is not None:
        env["AZKZ_BASE_URL"] = base_url
    return env


@dataclass
class Cluster:
    """N dashboard processes and (optionally) one nginx in front, all on loopback."""

    n_backends: int = 2
    with_nginx: bool = True
    app: Path | None = None
    # Tables the dashboard reads (AZKZ_TABLES_DIR); None: the repository's data/tables.
    tables_dir: Path | None = None
    # Static embeds; None: built into the work directory before the backends start.
    site_dir: Path | None = None
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="azkz-deploy-")))
    backends: list[Proc] = field(default_factory=list)
    backend_ports: list[int] = field(default_factory=list)
    nginx: Proc | None = None
    nginx_port: int | None = None
    conf: Path | None = None

    @property
    def url(self) -> str:
        """Where readers go: nginx when there is one, else the first backend."""
        port = self.nginx_port if self.with_nginx else self.backend_ports[0]
        assert port is not None, "ports are picked by start()"
        return f"http://{LOOPBACK}:{port}"

    def backend_url(self, i: int) -> str:
        return f"http://{LOOPBACK}:{self.backend_ports[i]}"

    def render_conf(self) -> Path:
        """Write the nginx config for this cluster and check it with ``nginx -t``."""
        self.nginx_port = self.nginx_port or free_port()
        prefix = self.workdir / "nginx"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        assert self.site_dir is not None
        conf.write_text(render(prefix=prefix, listen=f"{LOOPBACK}:{self.nginx_port}",
                               backends=[f"{LOOPBACK}:{p}" for p in self.backend_ports],
                               site_dir=self.site_dir, frame_ancestors=None), encoding="utf-8")
        self.conf = conf
        return conf

    def nginx_test(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the rendered config (error log kept inside the prefix)."""
        assert self.conf is not None
        prefix = self.conf.parent
        return subprocess.run([nginx_path(), "-t", "-p", str(prefix), "-e",  # noqa: S603
                               str(prefix / "error.log"), "-c", str(self.conf)],
                              capture_output=True, text=True, timeout=30, check=False)

    def build_embeds(self, env: dict[str, str]) -> None:
        """``python -m web.export`` into ``site_dir``, as a deployment does before starting."""
        assert self.site_dir is not None
        done = subprocess.run([sys.executable, "-m", "web.export",  # noqa: S603
                               "--out", str(self.site_dir)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"python -m web.export --out {self.site_dir} failed "
                               f"({done.returncode}):\n{done.stderr[-3000:]}")

    def start(self, timeout: float = 90.0) -> Cluster:
        """Build the embeds, start the backends (in parallel) and nginx; return when all
        answer. On failure everything started is stopped and the work directory removed."""
        secret = secrets.token_hex(32)
        try:
            # nginx started by root runs its workers as `nobody`: they must read site/.
            self.workdir.chmod(0o755)
            if self.with_nginx:
                nginx_path()  # fail before starting anything when nginx is missing
                self.nginx_port = self.nginx_port or free_port()
            self.backend_ports = [free_port() for _ in range(self.n_backends)]
            env = backend_env(secret, self.tables_dir, base_url=self.url if self.with_nginx
                              else f"http://{LOOPBACK}:{self.backend_ports[0]}")
            if self.site_dir is None:
                self.site_dir = self.workdir / "site"
                if self.app is None:
                    self.build_embeds(env)
            for i, port in enumerate(self.backend_ports):
                cmd = backend_command(port, self.app, self.site_dir)
                self.backends.append(spawn(f"backend{i}", cmd, self.workdir, env))
            for i, proc in enumerate(self.backends):
                wait_http(self.backend_url(i) + HEALTH_PATH, proc, timeout)
            if self.app is None:  # before nginx's config names the pages' CSP
                for i, proc in enumerate(self.backends):
                    wait_embeds(self.backend_url(i), proc, timeout)
            if self.with_nginx:
                self.render_conf()
                checked = self.nginx_test()
                if checked.returncode != 0:
                    raise RuntimeError(f"nginx -t rejected {self.conf}:\n{checked.stderr}")
                prefix = self.conf.parent
                self.nginx = spawn("nginx", [nginx_path(), "-p", str(prefix), "-e",
                                             str(prefix / "error.log"), "-c", str(self.conf),
                                             "-g", "daemon off;"], self.workdir)
                wait_http(self.url + HEALTH_PATH, self.nginx, 20)
        except BaseException:
            # The error names the failing step and carries the process's last output.
            self.cleanup()
            raise
        return self

    def stop(self) -> None:
        """Stop nginx and every backend; keep the logs in ``workdir``."""
        if self.nginx is not None:
            self.nginx.stop(timeout=5)
        for proc in self.backends:
            proc.stop(timeout=10)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def backend_of(self, key: str) -> int | None:
        """Index of the backend that last served sticky ``key``, read from nginx's access log."""
        assert self.conf is not None
        log = self.conf.parent / "access.log"
        found = None
        pattern = re.compile(rf'key={re.escape(key)} upstream="([^"]*)"')
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            m = pattern.search(line)
            if m and m.group(1) not in ("", "-"):
                last = m.group(1).split(",")[-1].strip()
                port = int(last.rsplit(":", 1)[1])
                if port in self.backend_ports:
                    found = self.backend_ports.index(port)
        return found


@dataclass
class SessionResult:
    """What one scripted reader saw: page status, sticky key, time to the first chart."""

    ok: bool
    key: str | None = None
    page_status: int | None = None
    first_chart_s: float | None = None
    elements: int = 0
    error: str | None = None
    # Addresses of the files behind st.download_button (held in that backend's memory).
    downloads: list[str] = field(default_factory=list)


# The element a dashboard chart arrives as: the chart component (ui/plot.py) under the
# project's server, st.plotly_chart under a bare ``streamlit run``.
CHART_ELEMENTS = ("bidi_component", "plotly_chart")


def _wanted(msg_delta_type: str | None, element_type: str | None) -> bool:
    return msg_delta_type == "new_element" and element_type in CHART_ELEMENTS


def stream_session(base_url: str, *, key: str | None = None, query: str = "",
                   page_name: str = "", read_all: bool = False,
                   timeout: float = 30.0) -> SessionResult:
    """One dashboard session without a browser: GET the page, then Streamlit's websocket.

    Does what the browser does: loads ``/`` (which sets the sticky cookie when nginx is in
    front), opens ``/_stcore/stream`` with the ``streamlit`` subprotocol and the cookie, asks for
    a script run (of ``page_name``, default the first page) and reads messages until the first
    Plotly chart arrives, or with ``read_all`` until the run finishes.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    res = SessionResult(ok=False, key=key)
    cookies = {STICKY_COOKIE: key} if key else {}
    try:
        with httpx.Client(timeout=timeout, cookies=cookies) as http:
            page = http.get(base_url + "/" + (f"?{query}" if query else ""))
            res.page_status = page.status_code
            if page.status_code != 200:
                res.error = f"page answered HTTP {page.status_code}"
                return res
            res.key = http.cookies.get(STICKY_COOKIE) or key
            cookie_header = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        ws_url = base_url.replace("http://", "ws://", 1) + STREAM_PATH
        headers = {"Origin": base_url}
        if cookie_header:
            headers["Cookie"] = cookie_header
        with ws_connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                        open_timeout=timeout, close_timeout=2) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = query
            msg.rerun_script.page_script_hash = ""
            msg.rerun_script.page_name = page_name
            ws.send(msg.SerializeToString())
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                fwd = ForwardMsg()
                fwd.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    dtype = fwd.delta.WhichOneof("type")
                    etype = (fwd.delta.new_element.WhichOneof("type")
                             if dtype == "new_element" else None)
                    res.elements += dtype == "new_element"
                    if etype == "download_button" and fwd.delta.new_element.download_button.url:
                        res.downloads.append(fwd.delta.new_element.download_button.url)
                    if _wanted(dtype, etype) and res.first_chart_s is None:
                        res.first_chart_s = time.perf_counter() - t0
                        res.ok = True
                        if not read_all:
                            return res
                elif kind == "script_finished":
                    if read_all:
                        res.ok = True
                    elif not res.ok:
                        res.error = "script finished without a chart"
                    return res
            res.error = f"no chart within {timeout:.0f}s"
    except Exception as exc:  # a reader's failure is a result to count, not a crash
        res.error = f"{type(exc).__name__}: {exc}"
    return res


def proc_table() -> dict[int, tuple[int, int, float, str]]:
    """pid -> (parent pid, resident bytes, CPU seconds used, command name), from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue  # the process ended while we looked
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        # fields[1] is ppid; fields[11], fields[12] are utime, stime (man 5 proc, minus 2)
        cpu = (int(fields[11]) + int(fields[12])) / tick
        table[int(entry.name)] = (int(fields[1]), int(statm[1]) * page, cpu, name)
    return table


def descendants(pid: int, table: dict | None = None) -> list[int]:
    """``pid`` and every process below it."""
    table = table if table is not None else proc_table()
    children: dict[int, list[int]] = {}
    for child, (parent, *_rest) in table.items():
        children.setdefault(parent, []).append(child)
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in table:
            out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc (Linux)."""
    table = proc_table()
    return sum(table[p][1] for p in descendants(pid, table))


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants."""
    table = proc_table()
    return sum(table[p][2] for p in descendants(pid, table))
