"""The server's error pages: a short page in every language (never a traceback).

The messages are locale keys (``http_*`` in ``i18n/locales/<lang>.yaml``); the page shows each
in every language of ``LANGS``, the default language first, since an error has no reader
language to go by.

Example:
    >>> page = error_page(404, "no_chart")
    >>> page.status_code, b'lang="ru"' in page.body
    (404, True)
"""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse

from etl.schema import LANGS
from i18n.text import t

ERROR_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}}
@media (prefers-color-scheme: dark){{body{{color:#e6edf3;background:#0e1117}}a{{color:#6cb6ff}}}}
</style></head><body>
<h1>{title}</h1>
{messages}
<p><a href="/embed/">/embed/</a></p>
</body></html>
"""

# The reader-facing messages of the error pages, by name: their locale keys.
MESSAGES = {
    "no_page": "http_no_page",
    "no_chart": "http_no_chart",
    "no_file": "http_no_file",
    "no_embeds": "http_embeds_unavailable",
    "rendering": "http_embeds_rendering",
    "no_tables": "http_tables_unavailable",
    "method": "http_method",
    "error": "http_error",
}


def error_page(status: int, message: str = "no_page") -> HTMLResponse:
    """A short error page for ``MESSAGES[message]`` in every language."""
    key = MESSAGES[message]
    paragraphs = "\n".join(f'<p lang="{lang}">{html.escape(t(key, lang))}</p>' for lang in LANGS)
    body = ERROR_PAGE.format(lang=LANGS[0], title=status, messages=paragraphs)
    headers = {"Cache-Control": "no-store"}
    if status == 405:
        headers["Allow"] = "GET, HEAD"
    return HTMLResponse(body, status_code=status, headers=headers)


def not_found(message: str = "no_page") -> HTMLResponse:
    return error_page(404, message)
