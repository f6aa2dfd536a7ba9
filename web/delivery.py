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
   plain app); the chart component (ui/plot.py) fetches it once its picture is shown. The live
   embed, a chart and little else, runs the bundle once its websocket is open (an inline script
   in its ``<head>``), while the server runs its script; a dashboard page does not (running
   Plotly.js then held back its other elements and pictures). The chart component waits for
   that early script rather than loading the bundle a second time.
   On a page's own path (``/trade``), it also tells Streamlit's frontend where its server is
   (``backend_script``): left to guess, the frontend first tries ``/trade/_stcore/health``, is
   answered 404 and retries at the root after a back-off, about 0.1 s of every deep link's start
   (the Overview, at ``/``, never paid it).

Example:
    >>> [m.cls.__name__ for m in middleware(["/static/js/BidiComponent.x.js"])]
    ['SecurityHeadersMiddleware', 'CompressionMiddleware', 'PreloadMiddleware']
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

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
    scripts are not preloaded (see the module's docstring), only run early (``early_script``).

    Example:
        >>> link_value(["/static/js/A.1.js", "/embed/p.js"])
        '</static/js/A.1.js>; rel=modulepreload'
    """
    return ", ".join(f"<{u}>; rel=modulepreload" for u in urls if u.startswith(STREAMLIT_STATIC))


# Runs a classic script while the page waits for the server's first script run: when
# its websocket (Streamlit's) opens, or at the page's load event if none has by then. Plotly.js
# then evaluates in time the page would otherwise spend idle, not before Streamlit has started.
# Marked data-azkz-early for the chart component (ui/plot.py), which waits for it.
_EARLY = ("<script>(function(){var src=%s;function run(){"
          "if(document.querySelector('script[data-azkz-early]'))return;"
          "var s=document.createElement('script');s.src=src;s.async=true;"
          "s.setAttribute('data-azkz-early','');document.head.appendChild(s);}"
          "var W=window.WebSocket;if(W&&window.Proxy){window.WebSocket=new Proxy(W,{"
          "construct:function(t,a){var ws=Reflect.construct(t,a);"
          "ws.addEventListener('open',function(){setTimeout(run,0);});return ws;}});}"
          "addEventListener('load',function(){setTimeout(run,1000);});})();</script>")
def early_script(urls: list[str]) -> bytes:
    """Inline scripts that run ``urls``' classic scripts (not Streamlit's modules) while the page
    waits for its first data (``_EARLY``); the URLs are JSON-quoted, ``</`` escaped.

    Example:
        >>> early_script(["/static/js/A.1.js", "/embed/p.js"]).count(b"/embed/p.js")
        1
    """
    return "".join(_EARLY % json.dumps(u).replace("</", "<\\/") for u in urls
                   if not u.startswith(STREAMLIT_STATIC)).encode()


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
    ``Link`` header preloading Streamlit's modules among ``urls`` (``link_value``) and, on pages
    whose query has ``early_param``, the ``early_script`` tags of the others before
    ``</head>``; on the path of one of ``pages`` (URL paths), the ``backend_script``."""

    def __init__(self, app: ASGIApp, urls: list[str], early_param: str | None = None,
                 pages: tuple[str, ...] = ()) -> None:
        self.app = app
        self.pages = tuple(pages)
        self.link = link_value(urls).encode()
        self.script = early_script(urls)
        # only a page whose query has this parameter (the live embed: a chart and little else)
        # runs the bundle early; a dashboard page draws its elements and its charts' pictures
        # first, and the chart component runs the preloaded bundle then (None: every page)
        self.early_param = early_param

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or not (self.link or self.script or self.pages)
                or scope.get("path", "").startswith(NOT_THE_DASHBOARD)):
            await self.app(scope, receive, send)
            return
        # Streamlit compresses its page itself on some paths; the compression middleware
        # outside this one does it after the tags are added
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                      if k != b"accept-encoding"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        script = self.script if self.early_param is None or self.early_param in query else b""
        script = backend_script(scope.get("path", ""), self.pages) + script
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
            # the page is a few KiB: held until whole, then sent with the script tags
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


def middleware(preload: list[str] | None = None, early_param: str | None = None,
               pages: tuple[str, ...] = ()) -> list[Middleware]:
    """The project's middleware for ``st.App`` (and the tests' Starlette app), outermost
    first; ``preload``: URL paths the dashboard's page asks the browser to fetch at once;
    ``early_param``: the query parameter of the pages that run them early (None: all);
    ``pages``: the dashboard's pages' URL paths (``backend_script``)."""
    return [Middleware(SecurityHeadersMiddleware),
            Middleware(CompressionMiddleware),
            Middleware(PreloadMiddleware, urls=list(preload or []), early_param=early_param,
                       pages=tuple(pages))]
