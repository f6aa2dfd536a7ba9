"""How responses travel: the project's middleware, outermost first.

1. ``SecurityHeadersMiddleware`` (web/headers.py): security headers on every response, and the
   error page for an exception that escapes a route.
2. ``PreloadMiddleware``: the dashboard's page tells the browser, in a ``Link`` header, to fetch
   the code that draws its charts right away: the partial Plotly.js bundle and the chart
   component's module. The page loads them only when the first chart's message arrives; fetched
   during start-up instead, the first chart is drawn sooner (bench/bench_pages.py).
3. ``CompressionMiddleware``: Starlette's ``GZipMiddleware`` for every text response of ours
   (embed pages, host script, the Plotly bundle, downloads, health, error pages, the dashboard's
   page), never compression by hand. Streamlit's content-hashed bundles under ``/static/`` are
   left as Streamlit's own middleware leaves them, uncompressed, by its design: gzip level 6 of
   the 8 MB of JavaScript a first visit loads costs this process about 0.25 CPU-seconds per new
   reader, ten times a page view's script run, while the browser caches them for a year; behind
   nginx (deploy/) they are compressed by nginx.

Example:
    >>> [m.cls.__name__ for m in middleware(["/static/js/BidiComponent.x.js"])]
    ['SecurityHeadersMiddleware', 'PreloadMiddleware', 'CompressionMiddleware']
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.headers import SecurityHeadersMiddleware

# Smaller bodies gain nothing from compression; level 6 is zlib's usual balance of size and CPU.
GZIP_MIN_BYTES = 1000
GZIP_LEVEL = 6
STREAMLIT_STATIC = "/static/"
# Paths that are not the dashboard's page (the page itself is served for any other path).
NOT_THE_DASHBOARD = ("/embed", "/downloads", "/healthz", "/_stcore", "/static", "/media",
                     "/component")


class CompressionMiddleware:
    """``GZipMiddleware`` for every response except Streamlit's bundles under ``/static/``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("path", "").startswith(STREAMLIT_STATIC):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def link_value(urls: list[str]) -> str:
    """The ``Link`` header preloading ``urls``: Streamlit's own chunks are ES modules, anything
    else a classic script.

    Example:
        >>> link_value(["/static/js/A.1.js", "/embed/p.js"])
        '</static/js/A.1.js>; rel=modulepreload, </embed/p.js>; rel=preload; as=script'
    """
    return ", ".join(f"<{u}>; rel=modulepreload" if u.startswith(STREAMLIT_STATIC)
                     else f"<{u}>; rel=preload; as=script" for u in urls)


class PreloadMiddleware:
    """Adds a ``Link`` header preloading each of ``urls`` (``link_value``) to the dashboard's
    HTML page (not to embeds, downloads or Streamlit's own endpoints)."""

    def __init__(self, app: ASGIApp, urls: list[str]) -> None:
        self.app = app
        self.link = link_value(urls).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or not self.link
                or scope.get("path", "").startswith(NOT_THE_DASHBOARD)):
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if dict(headers).get(b"content-type", b"").startswith(b"text/html"):
                    message = {**message, "headers": [*headers, (b"link", self.link)]}
            await send(message)

        await self.app(scope, receive, send_with_link)


def middleware(preload: list[str] | None = None) -> list[Middleware]:
    """The project's middleware for ``st.App`` (and the tests' Starlette app), outermost
    first; ``preload``: URL paths the dashboard's page asks the browser to fetch at once."""
    return [Middleware(SecurityHeadersMiddleware),
            Middleware(PreloadMiddleware, urls=list(preload or [])),
            Middleware(CompressionMiddleware)]
