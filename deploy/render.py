"""Render ``deploy/nginx.conf.template`` into a working nginx config.

Usage (prints the config; see deploy/README.md):

    python -m deploy.render --prefix /var/lib/azkz-nginx --listen 127.0.0.1:8080 \\
        --backend 127.0.0.1:8501 --backend 127.0.0.1:8502 --site-dir site

The template's placeholders are ``@NAME@`` rather than ``$name`` or ``{name}`` because nginx
uses both of those itself.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from etl.paths import SITE_DIR
from etl.schema import LANGS
from web import headers

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx.conf.template"
PLACEHOLDER_RE = re.compile(r"@([A-Z_]+)@")
HOST_PORT_RE = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")
# One directive per backend. max_fails=1: the first refused connection takes the backend out of
# rotation for fail_timeout, so a dead process costs each reader at most one retried request.
SERVER_LINE = "        server {backend} max_fails=1 fail_timeout=10s;"


def frame_ancestors_from_env() -> str:
    """The CSP ``frame-ancestors`` list from ``AZKZ_FRAME_ANCESTORS`` (default ``*``).

    Checked by the server's own rule (``web.headers.frame_ancestors``), and then for what
    would break out of an nginx string (quotes, backslash, braces, ``$``).

    Example:
        >>> import os
        >>> os.environ["AZKZ_FRAME_ANCESTORS"] = " https://news.example   'self' "
        >>> frame_ancestors_from_env()
        "https://news.example 'self'"
        >>> del os.environ["AZKZ_FRAME_ANCESTORS"]
    """
    value = headers.frame_ancestors()
    if any(ch in value for ch in '"\\{}$'):
        raise ValueError(f"AZKZ_FRAME_ANCESTORS must not contain double quotes, backslashes, "
                         f"braces or '$' (nginx would misread them), got {value!r}")
    return value


def embed_csp_lines(site_dir: Path, frame_ancestors: str) -> str:
    """Lines of the nginx ``map $uri $azkz_embed_csp`` block for the export in ``site_dir``.

    One line per HTML page listed in ``site_dir/manifest.json``, with the policy web/server.py
    sends for it (``web.headers.embed_csp``: its own files only, the page's inline scripts by
    sha256, ``frame-ancestors`` from the allowlist), plus a ``default`` line without script
    hashes. A missing export gives only the default line; a manifest naming a missing file is an
    error naming both.

    Example:
        >>> print(embed_csp_lines(Path("/nonexistent"), "*"))  # doctest: +ELLIPSIS
                default "default-src 'none'; script-src 'self'; ... frame-ancestors *";
    """
    lines = [f'        default "{headers.embed_csp(b"", frame_ancestors)}";']
    manifest = site_dir / "manifest.json"
    if not manifest.exists():
        return "\n".join(lines)
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{manifest}: not an export manifest ({exc})") from exc
    for name in sorted(files):
        if not name.endswith(".html"):
            continue
        if not re.fullmatch(r"[A-Za-z0-9_./-]+", name) or ".." in name:
            raise ValueError(f"{manifest}: unexpected file name {name!r}")
        page = site_dir / name
        if not page.exists():
            raise ValueError(f"{manifest} lists {name}, but {page} is missing; rebuild the "
                             f"embeds (python -m web.export)")
        policy = headers.embed_csp(page.read_bytes(), frame_ancestors)
        lines.append(f'        "/{name}" "{policy}";')
    return "\n".join(lines)


def _checked_path(name: str, path: Path) -> str:
    text = str(path.resolve())
    if any(ch in text for ch in ' ;{}"\'$\\\r\n'):
        raise ValueError(f"{name} {text!r} contains a character nginx would misread "
                         f"(space, quote, ';', braces, '$' or backslash); pick another path")
    return text


def render(*, prefix: Path, listen: str, backends: list[str], site_dir: Path,
           frame_ancestors: str | None = None, template: Path = TEMPLATE) -> str:
    """The nginx config for ``backends`` (``host:port`` strings) behind ``listen``.

    ``site_dir`` is where the static embeds are (and are read now, for their CSP);
    ``frame_ancestors`` defaults to ``AZKZ_FRAME_ANCESTORS`` (default ``*``).

    Raises ``ValueError`` naming the bad argument; a rendered config never keeps an ``@NAME@``.

    Example:
        >>> conf = render(prefix=Path("/tmp/n"), listen="127.0.0.1:8080",
        ...               backends=["127.0.0.1:8501"], site_dir=Path("/srv/azkz/site"))
        >>> "server 127.0.0.1:8501 max_fails=1" in conf
        True
    """
    if not backends:
        raise ValueError("at least one backend (host:port) is needed")
    for b in [listen, *backends]:
        if not HOST_PORT_RE.match(b):
            raise ValueError(f"expected host:port, got {b!r}")
    ancestors = frame_ancestors if frame_ancestors is not None else frame_ancestors_from_env()
    values = {
        "PREFIX": _checked_path("prefix", prefix),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": "\n".join(SERVER_LINE.format(backend=b) for b in backends),
        "SITE_DIR": _checked_path("site dir", site_dir),
        "EMBED_CSP_MAP": embed_csp_lines(site_dir, ancestors),
        # The export's language folders, served from disk: every language of etl.schema.LANGS.
        "LANGS": "|".join(LANGS),
    }
    text = template.read_text(encoding="utf-8")
    # Placeholders inside comments are documentation; only fill those outside '#' comments.
    out = []
    for line in text.splitlines(keepends=True):
        code, hash_, comment = line.partition("#")
        code = PLACEHOLDER_RE.sub(lambda m: _value(values, m.group(1), template), code)
        out.append(code + hash_ + comment)
    return "".join(out)


def _value(values: dict[str, str], name: str, template: Path) -> str:
    if name not in values:
        raise ValueError(f"{template}: unknown placeholder @{name}@")
    return values[name]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prefix", type=Path, required=True,
                   help="writable directory for nginx's pid, logs and temp files")
    p.add_argument("--listen", default="127.0.0.1:8080", help="host:port nginx listens on")
    p.add_argument("--backend", action="append", required=True,
                   help="host:port of a dashboard process (repeat for each)")
    p.add_argument("--site-dir", type=Path, default=SITE_DIR,
                   help="directory written by `python -m web.export` (default: site/)")
    p.add_argument("--output", type=Path, help="write here instead of standard output")
    args = p.parse_args(argv)
    try:
        conf = render(prefix=args.prefix, listen=args.listen, backends=args.backend,
                      site_dir=args.site_dir)
    except ValueError as exc:
        print(f"render: {exc}", file=sys.stderr)
        return 2
    if args.output:
        args.output.write_text(conf, encoding="utf-8")
    else:
        sys.stdout.write(conf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
