"""The project's routes (embeds, downloads, health) and the builds they serve; no Streamlit.

``web/app.py`` puts these routes in front of Streamlit's ASGI app (``st.App``), which serves the
dashboard (its websocket, static assets and XSRF protection unchanged):

=============================================  ===============================================
``/embed/``                                    index of every embed with copyable snippets
``/embed/{lang}/{chart_id}`` (or ``.html``)    static embed page (from ``site/``)
``/embed/plotly-<hash>.min.js``                Plotly.js, cacheable forever
``/embed/host.js``                             host script that resizes embed iframes
``/downloads/{table}.csv`` / ``.parquet``      one table
``/downloads/datapackage.json``                Frictionless descriptor
``/downloads/bundle.zip``                      everything, with a README
``/healthz``                                   build ids of the tables and of each artefact
=============================================  ===============================================

One build at a time (:class:`Builds`): a watcher thread looks at the tables every
``POLL_SECONDS`` (a few ``stat`` calls) and every request for a download or ``/healthz`` does
the same first. When the files changed, the tables are read once, whole, and checked to be one
build (``etl.store.read_build``); the downloads of that build are made from exactly those bytes
and swapped in at once. The watcher then renders the static embeds from the same tables and
swaps them in; until they are ready the previous build's embeds stay up for at most
``grace()`` seconds (a few rebuild times), after which they are refused and ``/healthz`` says
so. Unreadable or mixed tables give 503 for every download (never a corrupt or mixed file);
embeds already rendered from the build that ``datapackage.json`` names are still served.

The server listens before any embed is rendered (``web/app.py`` starts the watcher once it
listens): on a first start, or when the export on disk is of another build or code, there is
no export to serve until the watcher has rendered one (about 20 s on two cores). Meanwhile
``/healthz`` stays 200 (the dashboard and downloads are up) and says ``"embeds": "rendering"``,
and a static embed asked for in that time is rendered alone, on demand, from the current
build (:meth:`Builds.page_on_demand`: a chart page, its full table or a fact-check card, the
same bytes the export will hold, kept until the export lands), so a newsroom page that loads
at that moment still shows its chart; only the catalogue (``/embed/``), which needs every page,
is a 503 page with ``Retry-After`` until then.

Only files listed in the export's manifest can be fetched under ``/embed/``; any other path
(unknown chart, traversal, NUL) is a 404 page. ``host.js`` and Plotly.js depend on no table and
are always served. Every error (404, 405, 503 and 500 alike) is the short page of
``web/errors.py`` (every language) with the same security headers as any other response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from charts.catalogue import CHARTS, is_chart_id
from charts.checks import CLAIM_EMBED_PREFIX
from downloads import bundle
from downloads.bundle import BUNDLE, Downloads
from etl import store
from etl.paths import ROOT
from etl.schema import LANGS, TABLE_ORDER
from etl.store import TablesBuild, TablesUnavailable
from web import claims, export
from web.errors import error_page, not_found
from web.headers import embed_csp, frame_ancestors

log = logging.getLogger("azkz.server")

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
PLOTLY_NAME_RE = re.compile(r"^plotly-[0-9a-f]{12}\.min\.js$")
# How often (seconds) the watcher looks at the tables.
POLL_SECONDS = 1.0
# An older build's embeds may stay up while the current build's render, for at most this long
# or GRACE_RENDERS times the last rendering's duration, whichever is longer.
MIN_GRACE_SECONDS = 30.0
GRACE_RENDERS = 3
BUILD_HEADER = "X-Build-Id"
# Seconds a client is asked to wait (Retry-After) for a page the first rendering still owes.
RETRY_AFTER_SECONDS = 5
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True)
class Asset:
    """One published file held in memory, with its validator. Compression is the middleware's
    (web/app.py): the ETag is weak because the gzip and identity forms share it."""

    body: bytes
    etag: str  # W/"<first 20 hex of the body's SHA-256>"
    media_type: str
    cache_control: str


def _media_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript; charset=utf-8"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _asset(name: str, body: bytes) -> Asset:
    digest = hashlib.sha256(body).hexdigest()[:20]
    return Asset(
        body=body,
        etag=f'W/"{digest}"',
        media_type=_media_type(name),
        cache_control=IMMUTABLE if PLOTLY_NAME_RE.match(name) else REVALIDATE,
    )


def static_assets() -> dict[str, Asset]:
    """The embed files that depend on no table: the host script and Plotly.js."""
    js = export.PLOTLY_JS.read_bytes()
    return {"host.js": _asset("host.js", (export.STATIC / "embed-host.js").read_bytes()),
            export.plotly_asset(js): _asset(export.plotly_asset(js), js)}


@dataclass(frozen=True)
class Export:
    """The static embeds of one build, in memory."""

    build_id: str
    fingerprint: str
    assets: dict[str, Asset]


class EmbedSite:
    """The static export: rendered from one build's tables, held in memory (``current``, swapped
    whole) and written to ``out`` (for a restart, and for nginx to serve from disk)."""

    def __init__(self, out: Path, base: str) -> None:
        self.out, self.base = Path(out), base
        self.current: Export | None = None
        self.error: str | None = None
        self.failed: str | None = None  # fingerprint whose rendering failed: not retried
        self.render_seconds: float | None = None

    def load(self) -> bool:
        """Take the export on disk when its manifest names a build and every file matches it."""
        manifest = export.read_manifest(self.out)
        if manifest is None or not isinstance(manifest.get("build_id"), str):
            return False
        try:
            assets = {}
            for name, sha in manifest["files"].items():
                body = (self.out / name).read_bytes()
                if hashlib.sha256(body).hexdigest() != sha:
                    return False  # another process is writing another build: render our own
                assets[name] = _asset(name, body)
        except (OSError, AttributeError, TypeError):
            return False
        self.current = Export(manifest["build_id"], str(manifest.get("fingerprint")), assets)
        return True

    def render(self, build: TablesBuild, fingerprint: str, cancelled=None) -> None:
        """Render ``build``'s export, swap it in and write it to ``out``; remember failures.

        ``cancelled()`` is asked between pages: once it says True the rendering is given up and
        nothing changes.
        """
        started = time.monotonic()
        try:
            files, manifest = export.render_export(build, self.base, cancelled=cancelled)
        except export.Cancelled:
            log.info("rendering of build %s given up: a newer build landed", build.build_id[:12])
            return
        except Exception as exc:  # a broken chart must not stop the server; say why in /healthz
            log.exception("static embeds of build %s could not be rendered", build.build_id[:12])
            self.error, self.failed = f"{exc.__class__.__name__}: {exc}", fingerprint
            return
        # on disk first (nginx serves from there), then swapped in: once /healthz names this
        # build for the embeds, the files on disk are of it too
        try:
            export.write_export(self.out, files, manifest)
        except OSError as exc:  # served from memory all the same; nginx would serve the old
            log.error("static embeds could not be written to %s: %s", self.out, exc)
        self.current = Export(build.build_id, manifest["fingerprint"],
                              {name: _asset(name, body) for name, body in files.items()})
        self.error = None
        self.render_seconds = time.monotonic() - started


@dataclass(frozen=True)
class TablesState:
    """What the watcher last found in the tables directory."""

    stamp: tuple  # etl.store.stamp() when it was read
    day: str  # the export shows today's date (timeline), so a new day re-renders it
    build_id: str | None  # datapackage.json's id (None when it cannot be read)
    since: float  # monotonic time at which this build_id was first seen
    build: TablesBuild | None = None  # None when the tables are missing, corrupt or mixed
    downloads: Downloads | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.build is not None


def _public(message: str, tables_dir: Path) -> str:
    # readers see file names, not the server's directory layout
    for folder in (tables_dir, tables_dir.resolve(), ROOT):
        message = message.replace(f"{folder}/", "")
    return message


class Builds:
    """The current build of the tables and every artefact derived from it (see module doc)."""

    def __init__(self, tables_dir: Path, site: EmbedSite, poll: float = POLL_SECONDS) -> None:
        self.tables_dir, self.site, self.poll = Path(tables_dir), site, poll
        self.state = TablesState((), "", None, time.monotonic(), error="not read yet")
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # pages rendered alone while no export is there: {name: (build_id, asset)}, for the
        # fingerprint in _on_demand_for (dropped when it changes)
        self._on_demand: dict[str, tuple[str, Asset]] = {}
        self._on_demand_for: str | None = None
        self._on_demand_lock = threading.Lock()

    # -- the tables --------------------------------------------------------------------------
    def check(self) -> TablesState:
        """The tables' state, re-read first when their files (or the date) changed."""
        stamp, day = store.stamp(self.tables_dir), dt.date.today().isoformat()
        state = self.state
        if state.stamp == stamp and state.day == day:
            return state
        with self._lock:
            state = self.state
            if state.stamp != stamp or state.day != day:
                state = self.state = self._read(stamp, day, state)
        return state

    def _read(self, stamp: tuple, day: str, old: TablesState) -> TablesState:
        try:
            build = store.read_build(self.tables_dir)
        except TablesUnavailable as exc:
            try:
                package_id: str | None = store.build_id(self.tables_dir)
            except TablesUnavailable:
                package_id = None
            log.error("tables unavailable: %s", exc)
            since = old.since if old.build_id == package_id else time.monotonic()
            return TablesState(stamp, day, package_id, since,
                               error=_public(str(exc), self.tables_dir))
        since = old.since if old.build_id == build.build_id else time.monotonic()
        return TablesState(stamp, day, build.build_id, since, build,
                           bundle.for_build(build))

    # -- the embeds --------------------------------------------------------------------------
    def render_if_needed(self) -> None:
        """Render the embeds of the current build unless they are up to date (same build, code,
        base URL and day)."""
        with self._render_lock:
            state = self.check()
            if not state.ok:
                return
            current = self.site.current
            wanted = export.fingerprint(state.build_id, self.site.base)
            if wanted in (self.site.failed, current.fingerprint if current else None):
                return  # up to date, or failed already (retried on the next build or day)
            # Back-to-back builds: a build that lands while this one renders stops it, so the
            # newest is rendered next instead of after a wasted rendering.
            # Stopping the server stops it too (the thread is joined on shutdown).
            self.site.render(state.build, wanted,
                             cancelled=lambda: (self._stop.is_set()
                                                or store.stamp(self.tables_dir) != state.stamp))
            if self.site.current is not None and self.site.current.fingerprint == wanted:
                with self._on_demand_lock:  # the export holds those pages now
                    self._on_demand, self._on_demand_for = {}, None

    def grace(self) -> float:
        """Seconds an older build's embeds may stay up while the current one renders."""
        return max(MIN_GRACE_SECONDS, GRACE_RENDERS * (self.site.render_seconds or 0.0))

    def wanted(self, state: TablesState) -> str | None:
        """Fingerprint of the export ``state``'s build needs (None without readable tables)."""
        return export.fingerprint(state.build_id, self.site.base) if state.ok else None

    def embeds(self) -> tuple[Export | None, str]:
        """The export to serve, and why: ``ok`` (of the build datapackage.json names),
        ``rendering`` (the previous build's, while the current one renders, within
        ``grace()``; or none at all while the first export renders: pages are then rendered
        on demand), ``stale`` or ``unavailable`` (nothing to serve)."""
        state, current = self.state, self.site.current
        if current is None:
            first = state.ok and self.site.failed != self.wanted(state)
            return None, "rendering" if first else "unavailable"
        if state.build_id is not None and current.build_id == state.build_id:
            return current, "ok"
        if state.ok and time.monotonic() - state.since <= self.grace():
            return current, "rendering"
        return None, "stale"

    def page_on_demand(self, name: str) -> tuple[str, Asset] | bool | None:
        """One export file rendered alone from the current build while no export can be
        served (``embeds()`` says ``rendering`` with nothing to serve): ``(build_id, asset)``;
        False when no such page exists (unknown chart or claim: a 404); None when it cannot
        be made alone (the catalogue needs every page) or its rendering failed (a 503).

        The bytes are those the export will hold (same renderers and arguments as
        ``export.render_export``; tested). Each page is rendered once per build (kept until
        the export lands or the build changes), one at a time.
        """
        state = self.check()
        wanted = self.wanted(state)
        if wanted is None:
            return None
        with self._on_demand_lock:
            if self._on_demand_for != wanted:
                self._on_demand, self._on_demand_for = {}, wanted
            if name in self._on_demand:
                return self._on_demand[name]
            try:
                body = render_alone(state.build, name, self.site.base)
            except Exception:  # the watcher's rendering will say why in /healthz
                log.exception("embed %s could not be rendered on demand", name)
                return None
            if body is None or body is False:
                return body
            self._on_demand[name] = (state.build_id, _asset(name, body))
            return self._on_demand[name]

    # -- the watcher thread ------------------------------------------------------------------
    def start(self) -> Builds:
        """Start the watcher (a daemon thread); idempotent."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="azkz-builds", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.render_if_needed()
            except Exception:  # keep watching: the next build may well be fine
                log.exception("build watcher")
            if self.state.stamp == store.stamp(self.tables_dir):
                self._stop.wait(self.poll)

    # -- /healthz ----------------------------------------------------------------------------
    def health(self) -> tuple[int, dict]:
        """Status code and body of ``/healthz``: 200 only when the tables are one readable
        build and every artefact is of that build (embeds: or being rendered, within grace)."""
        state = self.check()
        _, why = self.embeds()
        current = self.site.current
        artefacts = {
            "downloads": {"build_id": state.downloads.build_id if state.downloads else None},
            "embeds": {"build_id": current.build_id if current else None, "status": why,
                       "error": self.site.error,
                       "render_seconds": (round(self.site.render_seconds, 2)
                                          if self.site.render_seconds is not None else None)},
        }
        body: dict = {"build_id": state.build_id, "artefacts": artefacts,
                      "embeds": "ok" if why == "ok" else why}
        if not state.ok:
            return 503, {"status": "unavailable", "error": state.error, **body}
        body["tables"] = {name: len(getattr(state.build.tables, name)) for name in TABLE_ORDER}
        if why not in ("ok", "rendering"):
            return 503, {"status": "stale", **body}
        return 200, {"status": "ok", **body}


def render_alone(build: TablesBuild, name: str, base: str) -> bytes | bool | None:
    """The export file ``name`` (``<lang>/<id>.html``) of ``build`` rendered by itself, with
    the renderers and arguments of ``export.render_export``: a chart page, its full table
    (``<chart>-table``) or a fact-check card (``claim-<figure id>``). False when no such page
    exists; None for a file that cannot be rendered alone (``index.html``)."""
    lang, _, stem = name.removesuffix(".html").partition("/")
    if lang not in LANGS or not stem:
        return None
    tables = build.tables
    if stem in CHARTS:
        asset = export.plotly_asset(export.PLOTLY_JS.read_bytes())
        return export.render_page(CHARTS[stem], stem, tables, lang, f"../{asset}",
                                  base).html.encode()
    chart = stem.removesuffix(export.TABLE_SUFFIX)
    if chart != stem and chart in CHARTS:
        return export.render_table_page(CHARTS[chart], chart, tables, lang, base).html.encode()
    if stem.startswith(CLAIM_EMBED_PREFIX):
        for card, page in claims.claim_pages(tables, lang, base):
            if card.embed_id == stem:
                return page.encode()
    return False


def resolve_embed_path(path: str) -> str | None:
    """Export file name for a request path under ``/embed/`` (already percent-decoded).

    Example:
        >>> resolve_embed_path("az/trade_turnover"), resolve_embed_path("az/../manifest.json")
        ('az/trade_turnover.html', None)
    """
    if path in ("", "index.html"):
        return "index.html"
    if path == "host.js" or PLOTLY_NAME_RE.match(path):
        return path
    parts = path.split("/")
    if len(parts) == 2 and parts[0] in LANGS:
        chart = parts[1].removesuffix(".html")
        if is_chart_id(chart):
            return f"{parts[0]}/{chart}.html"
    return None


def _etag_matches(request: Request, tags: set[str]) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    # weak comparison (RFC 9110 13.1.2): W/"x" matches "x"
    return bool({t.strip().removeprefix("W/") for t in header.split(",")}
                & {t.removeprefix("W/") for t in tags})


def serve_asset(request: Request, name: str, asset: Asset, ancestors: str,
                build_id: str | None = None) -> Response:
    """Asset response with validators (304 on a matching If-None-Match) and embed headers."""
    headers = {"ETag": asset.etag, "Cache-Control": asset.cache_control}
    if build_id is not None:
        headers[BUILD_HEADER] = build_id
    if name.endswith(".html"):
        headers["Content-Security-Policy"] = embed_csp(asset.body, ancestors)
    if name.endswith(".js"):
        # Scripts may be loaded by pages on other origins (the host script on news sites).
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if _etag_matches(request, {asset.etag}):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def _read_only(endpoint):
    """GET and HEAD go to ``endpoint``; any other method gets the 405 page."""

    async def handle(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return error_page(405, "method")
        return await endpoint(request)

    return handle


def retry_later() -> Response:
    """503 page for an embed the first rendering still owes, with ``Retry-After``."""
    page = error_page(503, "rendering")
    page.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return page


def embed_routes(builds: Builds) -> list[Route]:
    """Routes under ``/embed/``."""
    fixed = static_assets()

    async def embed(request: Request) -> Response:
        name = resolve_embed_path(request.path_params.get("path", ""))
        if name in fixed:
            return serve_asset(request, name, fixed[name], frame_ancestors())
        if name is None:
            return not_found("no_chart")
        await run_in_threadpool(builds.check)
        current, why = builds.embeds()
        if current is None and why == "rendering":  # the first export is being rendered
            alone = await run_in_threadpool(builds.page_on_demand, name)
            if alone is False:
                return not_found("no_chart")
            if alone is None:
                return retry_later()
            build_id, asset = alone
            return serve_asset(request, name, asset, frame_ancestors(), build_id)
        if current is None:
            return error_page(503, "no_embeds")
        asset = current.assets.get(name)
        if asset is None:
            return not_found("no_chart")
        return serve_asset(request, name, asset, frame_ancestors(), current.build_id)

    async def embed_root(request: Request) -> Response:
        return RedirectResponse("/embed/", status_code=308)

    return [
        Route("/embed", _read_only(embed_root), methods=METHODS),
        Route("/embed/{path:path}", _read_only(embed), methods=METHODS),
    ]


def download_names() -> set[str]:
    """Every name under ``/downloads/`` (fixed by the schema, never taken from a request)."""
    return {f"{t}.{ext}" for t in TABLE_ORDER for ext in ("csv", "parquet")} | {
        "datapackage.json", BUNDLE}


def download_routes(builds: Builds) -> list[Route]:
    """Routes under ``/downloads/``: tables as CSV/Parquet, datapackage.json, bundle.zip.

    Each file comes from the current build's download set (made once per build from the
    tables as read and checked); ``X-Build-Id`` names that build.
    """
    names = download_names()

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in names:
            return not_found("no_file")
        state = await run_in_threadpool(builds.check)
        file = state.downloads.get(name) if state.downloads is not None else None
        if file is None:
            return error_page(503, "no_tables")
        headers = {"ETag": file.etag, "Cache-Control": REVALIDATE,
                   BUILD_HEADER: state.downloads.build_id}
        if _etag_matches(request, {file.etag}):
            return Response(status_code=304, headers=headers)
        headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return Response(file.body, media_type=file.media_type, headers=headers)

    return [Route("/downloads/{name:path}", _read_only(download), methods=METHODS)]


def health_route(builds: Builds) -> Route:
    """``/healthz``: the build id of the tables and of each artefact (``Builds.health``)."""

    async def healthz(request: Request) -> Response:
        status, body = await run_in_threadpool(builds.health)
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    return Route("/healthz", _read_only(healthz), methods=METHODS)


def routes(builds: Builds) -> list[Route]:
    """Every project route (added in front of Streamlit's)."""
    return [*embed_routes(builds), *download_routes(builds), health_route(builds)]
