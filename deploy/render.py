"""Render ``deploy/nginx.conf.template`` into a working nginx config.

Usage (prints the config; see deploy/README.md):

    python -m deploy.render --prefix /var/lib/azkz-nginx --listen 127.0.0.1:8080 \
        --backend 127.0.0.1:8501 --backend 127.0.0.1:8502 --site-dir site

The template's placeholders are ``@NAME@`` rather than ``$name`` or ``{name}`` because nginx
uses both of those itself.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx.conf.template"
ROOT = HERE.parent
PLACEHOLDER_RE = re.compile(r"@([A-Z_]+)@")
HOST_PORT_RE = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")
# One directive per backend. max_fails=1: the first refused connection takes the backend out of
# rotation for fail_timeout, so a dead process costs each reader at most one retried request.
SERVER_LINE = "        server {backend} max_fails=1 fail_timeout=10s;"


def frame_ancestors_from_env() -> str:
    """The CSP ``frame-ancestors`` list from ``AZKZ_FRAME_ANCESTORS`` (default ``*``).

    Same rule as the dashboard's own embeds: space-separated sources, no ``;``, ``,``, quotes
    of the wrong kind or newlines (they would end the directive or the nginx string).

    Example:
        >>> frame_ancestors_from_env()  # with AZKZ_FRAME_ANCESTORS="https://news.example"
        'https://news.example'
    """
    value = " ".join(os.environ.get("AZKZ_FRAME_ANCESTORS", "").split()) or "*"
    if any(ch in value for ch in ';,"\\{}$\r\n') or not value.isprintable():
        raise ValueError(f"AZKZ_FRAME_ANCESTORS must be a space-separated list of CSP sources, "
                         f"got {value!r}")
    return value


def _checked_path(name: str, path: Path) -> str:
    text = str(path.resolve())
    if any(ch in text for ch in ' ;{}"\'$\\\r\n'):
        raise ValueError(f"{name} {text!r} contains a character nginx would misread "
                         f"(space, quote, ';', braces, '$' or backslash); pick another path")
    return text


def render(*, prefix: Path, listen: str, backends: list[str], site_dir: Path,
           frame_ancestors: str | None = None, template: Path = TEMPLATE) -> str:
    """The nginx config for ``backends`` (``host:port`` strings) behind ``listen``.

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
    values = {
        "PREFIX": _checked_path("prefix", prefix),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": "\n".join(SERVER_LINE.format(backend=b) for b in backends),
        "SITE_DIR": _checked_path("site dir", site_dir),
        "FRAME_ANCESTORS": frame_ancestors if frame_ancestors is not None
        else frame_ancestors_from_env(),
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
    p.add_argument("--site-dir", type=Path, default=ROOT / "site",
                   help="directory written by `python -m etl embeds` (default: site/)")
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
