"""How responses travel: the project's middleware, outermost first.

1. ``SecurityHeadersMiddleware`` (web/headers.py): security headers on every response, and the
   error page for an exception that escapes a route.
2. ``CompressionMiddleware``: Starlette's ``GZipMiddleware`` for every text response of ours
   (embed pages, host script, the Plotly bundle, downloads, health, error pages, the dashboard's
   page), never compression by hand. Streamlit's content-hashed bundles under ``/static/`` are
   left as Streamlit's own middleware leaves them, uncompressed, by its design: gzip level 6 of
   the 8 MB of JavaScript a first visit loads costs this process about 0.25 CPU-seconds per new
   reader, ten times a page view's script run, while the browser caches them for a year; behind
   nginx (deploy/) they are compressed by nginx.
3. ``PreloadMiddleware``: the dashboard's page tells the browser, in a ``Link`` header, to fetch
   the chart component's module (Streamlit's own chunk) right away: the page would fetch it only
   when the first chart's message arrives. The partial Plotly.js bundle is not preloaded: an A/B
   run (bench/bench_pages.py, same machine, 7 visits each) showed fetching its 1.2 MB during the
   page's start held back Streamlit's own start and the charts' pictures (about 0.1× of the
   plain app); the chart component (ui/plot.py) fetches and runs it once its picture is shown.
   No page runs it early either: the live embed ran it as its websocket opened, and an A/B run
   (9 visits each) showed its picture 0.69× the plain app without that and 0.86× with it, its
   chart drawn no later (1.00× against 1.02×); on dashboard pages it had held back the other
   elements and the pictures.
   On a page's own path (``/trade``), it also tells Streamlit's frontend where its server is
   (``backend_script``): left to guess, the frontend first tries ``/trade/_stcore/health``, is
   answered 404 and retries at the root after a back-off, about 0.1 s of every deep link's start
   (the Overview, at ``/``, never paid it).

Example:
    >>> [m.cls.__name__ for m in middleware(["/static/js/BidiComponent.x.js"])]
    ['SecurityHeadersMiddleware', 'CompressionMiddleware', 'PreloadMiddleware']
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
    """The ``Link`` header preloading Streamlit's chunks among ``urls`` (ES modules); other
    scripts are not preloaded (see the module's docstring).

    Example:
        >>> link_value(["/static/js/A.1.js", "/embed/p.js"])
        '</static/js/A.1.js>; rel=modulepreload'
    """
    return ", ".join(f"<{u}>; rel=modulepreload" for u in urls if u.startswith(STREAMLIT_STATIC))


# Streamlit's frontend reads its host's settings from ``window.__streamlit`` before it starts;
# ``BACKEND_BASE_URL`` is the server's address (the page's path without the page's own name, so
# a prefix added by a proxy is kept). A host's own settings win.
_BACKEND = (b"<script>(function(){var p=location.pathname.replace(/\\/+$/,'');"
            b"var b=location.origin+p.slice(0,p.lastIndexOf('/')+1);"
            b"window.__streamlit=Object.assign({BACKEND_BASE_URL:b},window.__streamlit||{});"
            b"})();</script>")


def backend_script(path: str, pages: tuple[str, ...]) -> bytes:
    """The inline script naming the server's address to Streamlit's frontend (``_BACKEND``),
    for a request ``path`` that ends in one of the dashboard's ``pages`` (URL paths, ``trade``);
    empty for any other path (``/``: the frontend's first guess is right there).

    Example:
        >>> backend_script("/trade", ("trade",)).startswith(b"<script>")
        True
        >>> backend_script("/", ("trade",)), backend_script("/nowhere", ("trade",))
        (b'', b'')
    """
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return _BACKEND if last and last in pages else b""


class PreloadMiddleware:
    """On the dashboard's HTML page (not embeds, downloads or Streamlit's own endpoints): a
    ``Link`` header preloading Streamlit's modules among ``urls`` (``link_value``) and, on the
    path of one of ``pages`` (URL paths), the ``backend_script`` before ``</head>``."""

    def __init__(self, app: ASGIApp, urls: list[str], pages: tuple[str, ...] = ()) -> None:
        self.app = app
        self.pages = tuple(pages)
        self.link = link_value(urls).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or not (self.link or self.pages)
                or scope.get("path", "").startswith(NOT_THE_DASHBOARD)):
            await self.app(scope, receive, send)
            return
        # Streamlit compresses its page itself on some paths; the compression middleware
        # outside this one does it after the tags are added
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                      if k != b"accept-encoding"]}
        script = backend_script(scope.get("path", ""), self.pages)
        start: dict | None = None
        chunks: list[bytes] = []

        async def send_with_link(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                found = dict(headers)
                if (not found.get(b"content-type", b"").startswith(b"text/html")
                        or b"content-encoding" in found):
                    await send(message)
                    return
                link = [(b"link", self.link)] if self.link else []
                start = {**message, "headers": [*headers, *link]}
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            # the page is a few KiB: held until whole, then sent with the script tag
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            at = body.find(b"</head>")
            if script and at >= 0:
                body = body[:at] + script + body[at:]
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, send_with_link)


def middleware(preload: list[str] | None = None,
               pages: tuple[str, ...] = ()) -> list[Middleware]:
    """The project's middleware for ``st.App`` (and the tests' Starlette app), outermost
    first; ``preload``: URL paths the dashboard's page asks the browser to fetch at once
    (Streamlit's modules among them); ``pages``: the dashboard's pages' URL paths
    (``backend_script``)."""
    return [Middleware(SecurityHeadersMiddleware),
            Middleware(CompressionMiddleware),
            Middleware(PreloadMiddleware, urls=list(preload or []), pages=tuple(pages))]
