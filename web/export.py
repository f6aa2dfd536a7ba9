"""Static newsroom embeds: one self-contained HTML page per chart and language.

``python -m web.export [--out DIR]`` (or ``python -m web embeds``) writes::

    <out>/index.html                  every embed with its copyable iframe snippets
    <out>/<lang>/<chart_id>.html      one chart per language of LANGS: title, Plotly figure,
                                      text description,
                                      table of the numbers with sources, source line, link
    <out>/<lang>/claim-<figure_id>.html  one fact-check card per checked claim and language
                                      (web/claims.py): verdict, claim, statistic, sources
    <out>/plotly-<hash>.min.js        Plotly.js from the plotly package, content-hashed
    <out>/host.js                     the host script (web/static/embed-host.js)
    <out>/manifest.json               the published files and the inputs' fingerprint

A page makes no request to any other host and sets no cookie: the figure JSON and the page's
script are inline, Plotly.js is one relative URL that can be cached forever. The output is
deterministic (same tables and code give the same bytes), so several servers can build it
independently and agree on ETags.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

import pandas as pd
import plotly
import plotly.io as pio

from charts.catalogue import CHARTS, ChartSpec, is_chart_id
from charts.checks import CLAIM_EMBED_PREFIX
from charts.citations import describe_source, sources_line
from charts.embed import (
    HEIGHT_MESSAGE,
    base_url,
    dashboard_url,
    embed_figure,
    iframe_snippets_for,
)
from charts.labels import indicator_label, period_text
from charts.style import THEMES
from etl.paths import ROOT, SITE_DIR
from etl.schema import LANGS
from etl.store import Tables, TablesBuild, TablesUnavailable, build_id, read_build, tables_dir
from i18n.fmt import format_date, format_value
from i18n.text import localized, quote_rendering, t
from web.claims import claim_files, claims_index

DEFAULT_OUT = SITE_DIR
STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MANIFEST = "manifest.json"


class Cancelled(Exception):
    """A rendering given up because its build is no longer current."""


@dataclass(frozen=True)
class Page:
    """One static embed page before it is written."""

    chart_id: str
    lang: str
    title: str
    html: str


def _read_static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&`` characters).

    Example:
        >>> script_json({"t": "</script>"})
        '{"t":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def figure_dict(fig) -> dict:
    """Plain JSON-able dict of a Plotly figure (numpy arrays become lists), key-sorted."""
    return json.loads(pio.to_json(fig, validate=False, engine="json"))


def plotly_asset(js: bytes) -> str:
    """Content-hashed file name for Plotly.js, e.g. ``plotly-0123456789ab.min.js``."""
    return f"plotly-{hashlib.sha256(js).hexdigest()[:12]}.min.js"


def _cell(value: object) -> str:
    """Text of a table cell; empty for a missing value (None, NaN, NA, NaT)."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _html_table(caption: str, head: list[str], body: list[list[str]]) -> str:
    out = ['<table class="azkz-numbers">', f"<caption>{html.escape(caption)}</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
            for cells in body]
    out.append("</tbody></table>")
    return "\n".join(out)


def _quote(row: dict, lang: str) -> str:
    # The verbatim quote is the evidence; readers of a language the register renders it in
    # (quote_en, quote_ru) also get that rendering.
    quote = _cell(row.get("quote"))
    rendered = quote_rendering(row, lang)
    own = _cell(row.get(f"quote_{lang}"))
    if rendered is not None and own and own != quote:
        text, label = rendered
        quote = t("embed_quote_rendering", lang, quote=quote, label=t(label, lang),
                  rendering=text)
    return quote


def numbers_table(rows: pd.DataFrame, tables: Tables, lang: str) -> str:
    """HTML table of what a chart shows, one row per figure (or event), with source and quote.

    ``rows`` is ``ChartSpec.rows(tables)``: rows of the ``figures`` table, or of ``events`` for
    the timeline. Values and dates are formatted by ``i18n.fmt`` as the dashboard shows them.
    """
    def source(row: dict) -> str:
        src = tables.sources_by_id.get(row.get("source_id"))
        return describe_source(src, lang) if src is not None else _cell(row.get("source_id"))

    records = rows.to_dict("records")
    if not records:
        return f'<p class="azkz-empty">{html.escape(t("no_rows", lang))}</p>'
    caption = t("embed_numbers_caption", lang)
    if "event_id" in rows.columns:
        head = [t("embed_col_date", lang), t("embed_col_event", lang), t("source_label", lang),
                t("embed_col_quote", lang)]
        body = [[format_date(r["date_start"], r["precision"], lang),
                 _cell(localized(r, "title", lang)), source(r), _quote(r, lang)]
                for r in records]
        return _html_table(caption, head, body)
    head = [t("embed_col_indicator", lang), t("embed_col_period", lang),
            t("embed_col_value", lang), t("source_label", lang), t("embed_col_quote", lang)]
    with_notes = "note" in rows.columns and rows["note"].notna().any()
    if with_notes:
        head.append(t("caveat_label", lang))
    body = []
    for r in records:
        value = format_value(r["value"], r["unit"], lang, qualifier=r["qualifier"],
                             value_high=r.get("value_high"), per=r.get("per"))
        if r["kind"] == "derived":
            # Computed by the build from other figures: show the formula, never a quote.
            value += f" ({t('derived_label', lang)})"
            evidence = f"{t('formula_label', lang)}: {_cell(r.get('formula'))}"
        else:
            evidence = _quote(r, lang)
        cells = [indicator_label(tables, r["indicator_id"], lang),
                 period_text(pd.Series(r), tables, lang), value, source(r), evidence]
        if with_notes:
            cells.append(_cell(localized(r, "note", lang)))
        body.append(cells)
    return _html_table(caption, head, body)


def render_page(spec: ChartSpec, chart_id: str, tables: Tables, lang: str, plotly_src: str,
                base: str) -> Page:
    """The static embed page of one chart in one language."""
    title = spec.title(lang)
    rows = spec.rows(tables)
    figs = {theme: figure_dict(embed_figure(spec.build(tables, lang, theme)))
            for theme in THEMES}
    payload = {"light": figs["light"], "dark": figs["dark"]}
    # Most charts differ between themes only in layout; ship the data once then.
    if figs["dark"].get("data") == figs["light"].get("data"):
        payload["dark"] = {"layout": figs["dark"].get("layout", {})}
    page = Template(_read_static("embed-page.html")).substitute(
        lang=lang,
        chart_id=html.escape(chart_id),
        title=html.escape(title),
        description=html.escape(spec.describe(tables, lang)),
        description_label=html.escape(t("text_alternative", lang)),
        table=numbers_table(rows, tables, lang),
        sources=html.escape(sources_line(rows, tables, lang)),
        dashboard_url=html.escape(dashboard_url(lang, base)),
        dashboard_label=html.escape(t("embed_open_dashboard", lang)),
        plotly_src=html.escape(plotly_src),
        css=_read_static("embed.css"),
        figure_json=script_json(payload),
        script=_read_static("embed-page.js").replace("__HEIGHT_MESSAGE__", HEIGHT_MESSAGE),
    )
    return Page(chart_id, lang, title, page)


def render_index(pages: list[Page], base: str, claims: str = "") -> str:
    """``index.html``: every embed of every language with its static and live iframe snippets,
    escaped."""
    items = []
    for lang in LANGS:
        items.append(f'<h2 lang="{lang}">{html.escape(t("embed_index_title", lang))} '
                     f"({lang})</h2>")
        for page in (p for p in pages if p.lang == lang):
            snippets = iframe_snippets_for(page.chart_id, lang, page.title, base)
            blocks = "".join(
                f'<div class="azkz-snippet"><h4>{html.escape(t(f"embed_kind_{kind}", lang))}</h4>'
                f'<textarea readonly rows="5" spellcheck="false">{html.escape(code)}</textarea>'
                f'<button type="button" class="azkz-copy">{html.escape(t("embed_copy", lang))}'
                "</button></div>"
                for kind, code in snippets.items())
            items.append(
                f'<section lang="{lang}" id="{lang}-{html.escape(page.chart_id)}">'
                f'<h3><a href="{lang}/{html.escape(page.chart_id)}.html">'
                f"{html.escape(page.title)}</a> <code>{html.escape(page.chart_id)}</code></h3>"
                f"{blocks}</section>")
    return Template(_read_static("embed-index.html")).substitute(
        lang=LANGS[0], css=_read_static("embed.css"), items="\n".join([*items, claims]),
        title=html.escape(" · ".join(t("embed_index_title", lang) for lang in LANGS)))


def fingerprint(build_id: str, base: str) -> str:
    """Hash of everything an export depends on: the build of the tables it shows (its
    ``build_id``, never the files on disk, which may have changed since they were read), the
    code that renders it, Plotly.js, the base URL and the date (the timeline marks today)."""
    h = hashlib.sha256(base.encode())
    h.update(dt.date.today().isoformat().encode())
    h.update(build_id.encode())
    h.update(_code_digest())
    h.update(plotly.__version__.encode())
    return h.hexdigest()


@cache
def _code_digest() -> bytes:
    # Read once per process: a serving process never watches its own code.
    h = hashlib.sha256()
    inputs = []
    for folder in (Path(__file__).resolve().parent, ROOT / "charts", ROOT / "i18n"):
        inputs += sorted(folder.rglob("*.py")) + sorted(folder.rglob("*.yaml"))
    inputs += sorted(p for p in STATIC.glob("*") if p.is_file())
    for p in inputs:
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.digest()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: concurrent builders (several servers) never expose a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(out: Path = DEFAULT_OUT, directory: Path | None = None,
          base: str | None = None, charts: dict | None = None) -> dict:
    """Write the static embeds to ``out`` and return the manifest.

    ``directory`` (the tables) defaults to ``$AZKZ_TABLES_DIR`` or data/tables. Raises
    ``etl.store.TablesUnavailable`` when the tables cannot be read; nothing is written.
    """
    directory = Path(directory) if directory is not None else tables_dir()
    files, manifest = render_export(read_build(directory), base, charts)
    write_export(out, files, manifest)
    return manifest


def render_export(tables_build: TablesBuild, base: str | None = None,
                  charts: dict | None = None,
                  cancelled=None) -> tuple[dict[str, bytes], dict]:
    """``(files, manifest)`` of the export of one build (an ``etl.store.TablesBuild``), in
    memory.

    The manifest records the ``build_id`` of the tables the pages were rendered from.
    ``cancelled()``, when given, is asked before each page; :class:`Cancelled` is raised once it
    says True (a newer build has landed: rendering this one to the end would only delay it).
    """
    base = base or base_url()
    charts = CHARTS if charts is None else charts
    bad = [c for c in charts if not is_chart_id(c) or c.startswith(CLAIM_EMBED_PREFIX)]
    if bad:
        raise ValueError(f"chart ids must be lowercase slugs (charts/catalogue.yaml): {bad}")
    tables = tables_build.tables
    js = PLOTLY_JS.read_bytes()
    asset = plotly_asset(js)
    pages = []
    for lang in LANGS:
        for chart_id, spec in charts.items():
            if cancelled is not None and cancelled():
                raise Cancelled(f"rendering of build {tables_build.build_id[:12]} given up")
            pages.append(render_page(spec, chart_id, tables, lang, f"../{asset}", base))
    files: dict[str, bytes] = {asset: js, "host.js": (STATIC / "embed-host.js").read_bytes(),
                               "index.html": render_index(pages, base, claims_index(
                                   tables, base)).encode()}
    for page in pages:
        files[f"{page.lang}/{page.chart_id}.html"] = page.html.encode()
    files.update(claim_files(tables, base, cancelled, Cancelled))
    manifest = {
        "build_id": tables_build.build_id,
        "fingerprint": fingerprint(tables_build.build_id, base),
        "base_url": base,
        "plotly": asset,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    return files, manifest


def write_export(out: Path, files: dict[str, bytes], manifest: dict) -> None:
    """Write an export's files, then its manifest (each file atomically)."""
    out = Path(out)
    for name, data in sorted(files.items()):
        _write(out / name, data)
    _write(out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def read_manifest(out: Path) -> dict | None:
    """The manifest of an existing export, or None when there is none (or it is unreadable)."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "files" in manifest else None


def ensure_built(out: Path, directory: Path, base: str | None = None) -> dict:
    """Manifest of an up-to-date export, building it when missing or older than its inputs."""
    base = base or base_url()
    manifest = read_manifest(out)
    if (manifest is None
            or manifest.get("fingerprint") != fingerprint(build_id(directory), base)
            or any(not (Path(out) / name).is_file() for name in manifest["files"])):
        manifest = build(out, directory, base)
    return manifest


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m web.export [--out DIR] [--tables DIR] [--base-url URL]``."""
    parser = argparse.ArgumentParser(prog="python -m web.export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``embeds`` command."""
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: site/)")
    parser.add_argument("--tables", type=Path, default=None,
                        help="directory of the built tables (default: $AZKZ_TABLES_DIR or "
                             "data/tables/)")
    parser.add_argument("--base-url", default=None,
                        help="public address of the server (default: $AZKZ_BASE_URL or "
                             "http://localhost:8501)")


def run(args: argparse.Namespace) -> int:
    """Build the export from parsed arguments; print a summary; 0 on success, 1 on error."""
    try:
        manifest = build(args.out, args.tables, args.base_url)
    except (TablesUnavailable, ValueError) as exc:
        print(f"embeds: {exc}", file=sys.stderr)
        return 1
    pages = [f for f in manifest["files"] if f.endswith(".html") and "/" in f]
    print(f"embeds: wrote {len(pages)} pages, index.html and {manifest['plotly']} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
