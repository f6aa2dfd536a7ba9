"""One process serving everything: the dashboard, static embeds, host script, downloads, health.

Run from the repository root::

    python -m ui.server [--host 127.0.0.1] [--port 8501]

Streamlit's ASGI app (``st.App``) serves the dashboard (its websocket, static assets and XSRF
protection unchanged); the routes below are added in front of it:

=============================================  ===============================================
``/embed/``                                    index of every embed with copyable snippets
``/embed/{lang}/{chart_id}`` (or ``.html``)    static embed page (from ``site/``)
``/embed/plotly-<hash>.min.js``                Plotly.js, cacheable forever
``/embed/host.js``                             host script that resizes embed iframes
``/downloads/{table}.csv`` / ``.parquet``      one table
``/downloads/datapackage.json``                Frictionless descriptor
``/downloads/bundle.zip``                      everything, with a README
``/healthz``                                   200 + row counts, 503 when tables unreadable
=============================================  ===============================================

Only files listed in the export's manifest can be fetched under ``/embed/``; any other path
(unknown chart, traversal, NUL) is a 404 page. The export is built at startup when missing or
out of date, and again when the tables change while the server runs.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import html
import json
import logging
import mimetypes
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from etl.schema import TABLE_ORDER
from ui import embeds, export

log = logging.getLogger("azkz.server")

DASHBOARD = embeds.ROOT / "dashboard.py"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
REFERRER_POLICY = "strict-origin-when-cross-origin"
PLOTLY_NAME_RE = re.compile(r"^plotly-[0-9a-f]{12}\.min\.js$")
# How often (seconds) a request may trigger a look at the tables' modification times.
STALE_CHECK_INTERVAL = 2.0
GZIP_MIN_BYTES = 1024


@dataclass(frozen=True)
class Asset:
    """One published file held in memory, with its compressed form and validators."""

    body: bytes
    gz: bytes | None
    etag: str
    media_type: str
    cache_control: str

    def tags(self) -> set[str]:
        return {self.etag, self.etag[:-1] + '-gz"'}


def _media_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript; charset=utf-8"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _asset(name: str, body: bytes) -> Asset:
    digest = hashlib.sha256(body).hexdigest()[:20]
    gz = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return Asset(
        body=body,
        gz=gz if gz is not None and len(gz) < len(body) else None,
        etag=f'"{digest}"',
        media_type=_media_type(name),
        cache_control=IMMUTABLE if PLOTLY_NAME_RE.match(name) else REVALIDATE,
    )


def inline_script_hashes(page: bytes) -> list[str]:
    """CSP ``'sha256-…'`` sources of the inline ``<script>`` elements of a page we publish."""
    found = re.findall(rb"<script>(.*?)</script>", page, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in found]


def embed_csp(page: bytes, ancestors: str) -> str:
    """Content-Security-Policy of a static embed page: nothing but its own files may load."""
    scripts = " ".join(["'self'", *inline_script_hashes(page)])
    return (f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
            f"form-action 'none'; frame-ancestors {ancestors}")


class EmbedSite:
    """The static export in memory, rebuilt when its inputs change.

    ``get(name)`` returns the asset for a path relative to the export (``az/chart.html``) or
    None; names not in the manifest never touch the file system.
    """

    def __init__(self, out: Path, tables_dir: Path, base: str) -> None:
        self.out, self.tables_dir, self.base = Path(out), Path(tables_dir), base
        self.assets: dict[str, Asset] = {}
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._checked = 0.0

    def _tables_stamp(self) -> tuple:
        # The date is part of it: the timeline marks today, so the export is rebuilt daily.
        try:
            files = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                                 for p in self.tables_dir.glob("*") if p.is_file()))
        except OSError:
            files = ()
        return (dt.date.today().isoformat(), files)

    def refresh(self) -> None:
        """Build the export if missing or stale, then load it; remember why it failed."""
        from ui.data import TablesUnavailable

        with self._lock:
            stamp = self._tables_stamp()
            try:
                manifest = export.ensure_built(self.out, self.tables_dir, self.base)
                assets = {}
                for name, sha in manifest["files"].items():
                    body = (self.out / name).read_bytes()
                    if hashlib.sha256(body).hexdigest() != sha:
                        raise OSError(f"{self.out / name} does not match {export.MANIFEST}")
                    assets[name] = _asset(name, body)
            except (TablesUnavailable, OSError, ValueError) as exc:
                # Keep serving the last good export, if any (the ETL replaces tables
                # atomically, so this is a missing or broken build, not a half-written one).
                log.error("static embeds could not be (re)built: %s", exc)
                self.error = str(exc)
            else:
                self.assets, self.error = assets, None
            self._stamp, self._checked = stamp, time.monotonic()

    def refresh_if_stale(self) -> None:
        """Rebuild when the tables changed since the last build (checked every few seconds)."""
        if time.monotonic() - self._checked < STALE_CHECK_INTERVAL:
            return
        self._checked = time.monotonic()
        if self._tables_stamp() != self._stamp:
            self.refresh()

    def get(self, name: str) -> Asset | None:
        return self.assets.get(name)


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
    if len(parts) == 2 and parts[0] in embeds.LANGS:
        chart = parts[1].removesuffix(".html")
        if embeds.is_chart_id(chart):
            return f"{parts[0]}/{chart}.html"
    return None


NOT_FOUND_PAGE = """<!doctype html>
<html lang="az"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>404</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}}
@media (prefers-color-scheme: dark){{body{{color:#e6edf3;background:#0e1117}}a{{color:#6cb6ff}}}}
</style></head><body>
<h1>{title}</h1>
<p lang="az">{az}</p>
<p lang="en">{en}</p>
<p><a href="/embed/">/embed/</a></p>
</body></html>
"""


def not_found(detail_az: str = "Belə səhifə yoxdur.",
              detail_en: str = "There is no such page.", status: int = 404) -> HTMLResponse:
    """A short bilingual error page (never a traceback)."""
    title = "404" if status == 404 else str(status)
    body = NOT_FOUND_PAGE.format(title=title, az=html.escape(detail_az),
                                 en=html.escape(detail_en))
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _not_modified(request: Request, asset: Asset) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return bool(tags & asset.tags())


def serve_asset(request: Request, name: str, asset: Asset, ancestors: str) -> Response:
    """Asset response with validators (304 on a matching If-None-Match) and embed headers."""
    use_gz = asset.gz is not None and _accepts_gzip(request)
    etag = asset.etag[:-1] + '-gz"' if use_gz else asset.etag
    headers = {"ETag": etag, "Cache-Control": asset.cache_control, "Vary": "Accept-Encoding"}
    if name.endswith(".html"):
        headers["Content-Security-Policy"] = embed_csp(asset.body, ancestors)
    if name.endswith(".js"):
        # Scripts may be loaded by pages on other origins (the host script on news sites).
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if _not_modified(request, asset):
        return Response(status_code=304, headers=headers)
    if use_gz:
        headers["Content-Encoding"] = "gzip"
    body = asset.gz if use_gz else asset.body
    return Response(body, media_type=asset.media_type, headers=headers)


def embed_routes(site: EmbedSite) -> list[Route]:
    """Routes under ``/embed/``."""

    async def embed(request: Request) -> Response:
        await run_in_threadpool(site.refresh_if_stale)
        name = resolve_embed_path(request.path_params.get("path", ""))
        if site.error is not None and not site.assets:
            return not_found("Yerləşdirmələr hazırda əlçatan deyil.",
                             "The embeds are not available right now.", status=503)
        asset = site.get(name) if name else None
        if asset is None:
            return not_found("Belə qrafik yoxdur.", "There is no such chart.")
        return serve_asset(request, name, asset, embeds.frame_ancestors())

    async def embed_root(request: Request) -> Response:
        return RedirectResponse("/embed/", status_code=308)

    return [
        Route("/embed", embed_root, methods=["GET", "HEAD"]),
        Route("/embed/{path:path}", embed, methods=["GET", "HEAD"]),
    ]


def _download(body: bytes, media_type: str, filename: str) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Response(body, media_type=media_type, headers={
        "ETag": etag, "Cache-Control": REVALIDATE,
        "Content-Disposition": f'attachment; filename="{filename}"'})


def download_routes(tables_dir: Path) -> list[Route]:
    """Routes under ``/downloads/``: tables as CSV/Parquet, datapackage.json, bundle.zip."""
    from ui import downloads
    from ui.data import TablesUnavailable

    def make(name: str) -> Response:
        if name == "datapackage.json":
            body = json.dumps(downloads.datapackage(tables_dir), ensure_ascii=False,
                              indent=2).encode()
            return _download(body, "application/json", name)
        if name == "bundle.zip":
            return _download(downloads.bundle_zip(tables_dir), "application/zip",
                             "azkz-indicators.zip")
        table, _, ext = name.partition(".")
        if table in TABLE_ORDER and ext == "csv":
            return _download(downloads.table_csv(tables_dir, table), "text/csv; charset=utf-8",
                             name)
        if table in TABLE_ORDER and ext == "parquet":
            return _download(downloads.table_parquet(tables_dir, table),
                             "application/vnd.apache.parquet", name)
        return not_found("Belə fayl yoxdur.", "There is no such file.")

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            response = await run_in_threadpool(make, name)
        except TablesUnavailable:
            return not_found("Məlumat cədvəlləri hazırda əlçatan deyil.",
                             "The data tables are not available right now.", status=503)
        if response.status_code == 200 and _etag_matches(request, response):
            return Response(status_code=304, headers={
                "ETag": response.headers["etag"], "Cache-Control": REVALIDATE})
        return response

    return [Route("/downloads/{name:path}", download, methods=["GET", "HEAD"])]


def _etag_matches(request: Request, response: Response) -> bool:
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
    return response.headers.get("etag") in tags


def health_route(tables_dir: Path, site: EmbedSite) -> Route:
    """``/healthz``: row counts of every table (200), or why they cannot be read (503)."""
    from ui.data import TablesUnavailable, load_tables

    def check() -> tuple[int, dict]:
        try:
            tables = load_tables(tables_dir)
        except TablesUnavailable as exc:
            return 503, {"status": "unavailable", "error": str(exc).replace(
                str(embeds.ROOT) + "/", "")}
        rows = {name: len(getattr(tables, name)) for name in TABLE_ORDER}
        return 200, {"status": "ok", "tables": rows,
                     "embeds": "ok" if site.assets else "unavailable"}

    async def healthz(request: Request) -> Response:
        status, body = await run_in_threadpool(check)
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    return Route("/healthz", healthz, methods=["GET", "HEAD"])


class SecurityHeadersMiddleware:
    """Adds ``nosniff`` and ``Referrer-Policy`` to every response, and a ``frame-ancestors``
    CSP to HTML responses that carry no CSP of their own (the dashboard, so the live embed
    obeys the same allowlist as the static one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ancestors = embeds.frame_ancestors()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", REFERRER_POLICY.encode()))
                content_type = dict(headers).get(b"content-type", b"")
                if (b"content-security-policy" not in names
                        and content_type.startswith(b"text/html")):
                    headers.append((b"content-security-policy",
                                    f"frame-ancestors {ancestors}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def routes(site: EmbedSite, tables_dir: Path) -> list[Route]:
    """Every project route (added in front of Streamlit's)."""
    return [*embed_routes(site), *download_routes(tables_dir), health_route(tables_dir, site)]


def create_app(script: Path = DASHBOARD, site_dir: Path = export.DEFAULT_OUT,
               tables_dir: Path | None = None):
    """The ASGI app: ``st.App`` for the dashboard plus the project routes and headers.

    Checks the configuration (``AZKZ_BASE_URL``, ``AZKZ_FRAME_ANCESTORS``) and builds the
    static export first, so a misconfiguration stops the server before it listens.
    """
    import streamlit as st

    from ui.data import tables_dir as default_tables_dir

    tables_dir = Path(tables_dir) if tables_dir is not None else default_tables_dir()
    embeds.frame_ancestors()
    site = EmbedSite(site_dir, tables_dir, embeds.base_url())
    site.refresh()
    # The dashboard navigates with st.navigation over pages/. Streamlit would treat that folder
    # as a v1 multipage app until st.navigation first runs, so a fresh process's first deep
    # link would run the page alone (ui.state.enter_frame then reruns it through the frame).
    # Start this process in st.navigation mode and spare that first reader the extra run.
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    return st.App(str(script), routes=routes(site, tables_dir),
                  middleware=[Middleware(SecurityHeadersMiddleware)])


def main(argv: list[str] | None = None) -> None:
    """CLI: ``python -m ui.server [--host 127.0.0.1] [--port 8501]``."""
    parser = argparse.ArgumentParser(prog="python -m ui.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8501, help="port to listen on")
    parser.add_argument("--site", type=Path, default=export.DEFAULT_OUT,
                        help="directory of the static embeds (built if missing)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not os.environ.get("AZKZ_BASE_URL", "").strip():
        # Snippets should point at this server when no public address is configured.
        host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::") else args.host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        os.environ["AZKZ_BASE_URL"] = f"http://{host}:{args.port}"
    try:
        app = create_app(site_dir=args.site)
    except ValueError as exc:
        parser.error(str(exc))
    # A serving process never reruns on file edits: readers would see a "File change" prompt.
    app.run(config={"server.address": args.host, "server.port": args.port,
                    "server.headless": True, "server.fileWatcherType": "none"})


if __name__ == "__main__":
    main()
