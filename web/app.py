"""One process serving everything: the dashboard, static embeds, host script, downloads, health.

Run from the repository root::

    python -m web [--host 127.0.0.1] [--port 8501]

Streamlit's ASGI app (``st.App``) serves the dashboard; the project's routes
(``web/server.py``) and security headers (``web/headers.py``) are added in front of it. This is
the only module of ``web/`` that imports Streamlit.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from charts.bundle import SERVED_ENV, plotly_path
from charts.embed import base_url
from etl.paths import ROOT, SITE_DIR
from etl.store import tables_dir as default_tables_dir
from web.delivery import middleware
from web.headers import frame_ancestors
from web.server import Builds, EmbedSite, routes

log = logging.getLogger("azkz.server")
DASHBOARD = ROOT / "dashboard.py"
# Streamlit's frontend build: its v2 component runtime is one content-hashed module.
STREAMLIT_JS = Path(st.__file__).resolve().parent / "static" / "static" / "js"


def create_app(script: Path = DASHBOARD, site_dir: Path = SITE_DIR,
               tables_dir: Path | None = None):
    """The ASGI app: ``st.App`` for the dashboard plus the project routes and headers.

    Checks the configuration (``AZKZ_BASE_URL``, ``AZKZ_FRAME_ANCESTORS``), so a
    misconfiguration stops the server before it listens, and takes the static export on disk
    when it is whole. The build watcher starts with the app (its lifespan), as the server
    begins to listen: it reads the tables and renders the export in the background when the
    one on disk is not of their build (a first start: about 20 s on two cores), while the
    dashboard, downloads and ``/healthz`` already answer and embeds are rendered on demand
    (``web/server.py``).
    """
    tables_dir = Path(tables_dir) if tables_dir is not None else default_tables_dir()
    frame_ancestors()
    site = EmbedSite(site_dir, base_url())
    site.load()
    builds = Builds(tables_dir, site)
    # The dashboard navigates with st.navigation over pages/. Streamlit would treat that folder
    # as a v1 multipage app until st.navigation first runs, so a fresh process's first deep
    # link would run the page alone (ui.state.enter_frame then reruns it through the frame).
    # Start this process in st.navigation mode and spare that first reader the extra run.
    PagesManager.uses_pages_directory = False
    # The embed routes publish the partial Plotly.js bundle: the dashboard draws with it.
    os.environ[SERVED_ENV] = plotly_path()
    return st.App(str(script), routes=routes(builds),
                  middleware=middleware(chart_modules(), pages=page_paths()),
                  lifespan=watching(builds))


def page_paths() -> tuple[str, ...]:
    """The dashboard's pages' URL paths: the names of the files in ``pages/`` (each page's
    ``url_path`` is its file's name, ``ui.state.PAGES``; this layer does not import ui)."""
    return tuple(sorted(p.stem for p in (ROOT / "pages").glob("*.py")))


def watching(builds: Builds):
    """The app's lifespan: the build watcher runs while the server serves (its first look
    renders the export if needed, in the background), and is stopped, any rendering given up,
    when the server stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app):
        builds.start()
        try:
            yield
        finally:
            builds.stop()

    return lifespan


def chart_modules() -> list[str]:
    """URL paths of what draws the dashboard's charts: the partial Plotly.js bundle
    (charts/bundle.py) and Streamlit's module for the chart component (ui/plot.py); the latter
    left out if this Streamlit has another layout (the page then loads it when the first chart
    arrives, as before)."""
    found = sorted(STREAMLIT_JS.glob("BidiComponent.*.js"))
    if len(found) != 1:
        log.warning("Streamlit's component module not found in %s: not preloaded", STREAMLIT_JS)
        return [plotly_path()]
    return [plotly_path(), f"/static/js/{found[0].name}"]


def main(argv: list[str] | None = None) -> None:
    """CLI: ``python -m web [--host 127.0.0.1] [--port 8501] [--site DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8501, help="port to listen on")
    parser.add_argument("--site", type=Path, default=SITE_DIR,
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
    # No full garbage collection after every script run (Streamlit's default): it cost a third
    # of a page view's CPU time (bench/bench_pages.py); Python's own collector still runs.
    app.run(config={"server.address": args.host, "server.port": args.port,
                    "server.headless": True, "server.fileWatcherType": "none",
                    "runner.postScriptGC": False})


if __name__ == "__main__":
    main()
