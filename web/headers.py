"""Security headers of every response, and the Content-Security-Policy of the static embeds.

``AZKZ_FRAME_ANCESTORS`` (space-separated origins allowed to frame the embeds and the
dashboard, default ``*``) is read here, checked so that it cannot smuggle other directives in.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.errors import error_page

log = logging.getLogger("azkz.server")

REFERRER_POLICY = "strict-origin-when-cross-origin"


def frame_ancestors() -> str:
    """CSP ``frame-ancestors`` source list, from ``AZKZ_FRAME_ANCESTORS`` (default ``*``).

    Example:
        >>> os.environ["AZKZ_FRAME_ANCESTORS"] = "https://news.example  'self'"
        >>> frame_ancestors()
        "https://news.example 'self'"
        >>> del os.environ["AZKZ_FRAME_ANCESTORS"]
    """
    value = " ".join(os.environ.get("AZKZ_FRAME_ANCESTORS", "").split()) or "*"
    # A CSP source list is separated by spaces and ends a directive at ';' or ','; refuse those
    # so the variable cannot smuggle other directives into the header.
    if any(ch in value for ch in ";,\r\n") or not value.isprintable():
        raise ValueError(f"AZKZ_FRAME_ANCESTORS must be a space-separated list of CSP sources, "
                         f"got {value!r}")
    return value


def inline_script_hashes(page: bytes) -> list[str]:
    """CSP ``'sha256-…'`` sources of the inline ``<script>`` elements of a page we publish."""
    found = re.findall(rb"<script>(.*?)</script>", page, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in found]


def embed_csp(page: bytes, ancestors: str) -> str:
    """Content-Security-Policy of a static embed page: nothing but its own files may load
    (``frame-src 'self'``: the embed catalogue previews an embed of this site)."""
    scripts = " ".join(["'self'", *inline_script_hashes(page)])
    return (f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self'; connect-src 'none'; frame-src 'self'; "
            f"base-uri 'none'; "
            f"form-action 'none'; frame-ancestors {ancestors}")


class SecurityHeadersMiddleware:
    """Adds ``nosniff`` and ``Referrer-Policy`` to every response, and a ``frame-ancestors``
    CSP to HTML responses that carry no CSP of their own (the dashboard, so the live embed
    obeys the same allowlist as the static one). An exception that escapes a route becomes
    the 500 error page, with the same headers (it is logged, never shown)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ancestors = frame_ancestors()
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
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

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:  # too late for an error page: the connection is dropped
                raise
            await error_page(500, "error")(scope, receive, send_with_headers)
