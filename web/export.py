"""Static newsroom embeds: one self-contained HTML page per chart and language.

``python -m web.export [--out DIR]`` (or ``python -m web embeds``) writes::

    <out>/index.html                  every embed with its copyable iframe snippets
    <out>/<lang>/<chart_id>.html      one chart per language of LANGS: title, the chart as
                                      inline SVG (charts/svg.py) that Plotly replaces, text
                                      description,
                                      table of the numbers with sources, source line, link
    <out>/<lang>/claim-<figure_id>.html  one fact-check card per checked claim and language
                                      (web/claims.py): verdict, claim, statistic, sources
    <out>/plotly-<hash>.min.js        the partial Plotly.js bundle (scatter, bar, pie; vendored in
                                      charts/vendor/plotly-basic/), content-hashed
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

from charts.bundle import PLOTLY_JS, plotly_asset  # also used by web.server and tests
from charts.catalogue import CHARTS, ChartSpec, is_chart_id
from charts.checks import CLAIM_EMBED_PREFIX, references_line
from charts.citations import describe_source, sources_line
from charts.conflicts import conflicts
from charts.embed import (
    EMBED_THEMES,
    HEIGHT_MESSAGE,
    base_url,
    chart_page_url,
    dashboard_url,
    embed_figure,
    embed_notes,
    embed_summary,
    iframe_snippets_for,
    static_url,
)
from charts.labels import (
    formula_words,
    indicator_label,
    period_text,
    point_lines,
    reader_text,
)
from charts.style import THEMES
from charts.svg import PICTURES_CSS, figure_pictures
from etl.paths import ROOT, SITE_DIR
from etl.schema import LANGS
from etl.store import Tables, TablesBuild, TablesUnavailable, build_id, read_build, tables_dir
from i18n.fmt import format_date, format_value
from i18n.text import localized, quote_rendering, t
from web.claims import claim_files, claims_index

DEFAULT_OUT = SITE_DIR
STATIC = Path(__file__).resolve().parent / "static"
MANIFEST = "manifest.json"
# "<lang>/<chart_id>-table.html": a chart's full numbers table as a plain page (no JavaScript)
TABLE_SUFFIX = "-table"


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
            evidence = (f"{t('formula_label', lang)}: "
                        f"{formula_words(_cell(r.get('formula')), tables, lang)}")
        else:
            evidence = _quote(r, lang)
        cells = [indicator_label(tables, r["indicator_id"], lang),
                 period_text(pd.Series(r), tables, lang), value, source(r), evidence]
        if with_notes:
            cells.append(reader_text(_cell(localized(r, "note", lang)), tables, lang))
        body.append(cells)
    return _html_table(caption, head, body)


def summary_html(rows: pd.DataFrame, tables: Tables, lang: str, chart_id: str) -> str:
    """What a reader without JavaScript sees instead of the chart: the latest figures with
    their sources (``charts.embed.embed_summary``) and a link to the full table, which opens
    outside the frame (a frame of a few hundred pixels would clip it)."""
    items = "".join(f"<li>{html.escape(line)}</li>"
                    for line in embed_summary(rows, tables, lang))
    return (f"<h2>{html.escape(t('embed_summary_heading', lang))}</h2><ul>{items}</ul>"
            f'<p class="azkz-link"><a href="{html.escape(chart_id)}{TABLE_SUFFIX}" target="_blank" '
            f'rel="noopener">{html.escape(t("embed_full_table", lang))} ↗</a></p>')


def notes_html(rows: pd.DataFrame, tables: Tables, lang: str, more_url: str) -> str:
    """The notes line under an embed's chart: the first caveat (one sentence), a link to the
    rest, and what ``*`` means when a figure carries one; '' when there is nothing to say."""
    notes = embed_notes(rows, tables, lang)
    parts = []
    if notes.first_caveat:
        line = (f"<strong>{html.escape(t('caveat_label', lang))}:</strong> "
                f"{html.escape(notes.first_caveat)}")
        if notes.more:
            line += (f' <a href="{html.escape(more_url)}" target="_blank" rel="noopener">'
                     f"{html.escape(t('caveat_more', lang, n=notes.more))} ↗</a>")
        parts.append(f'<p class="azkz-notes">{line}</p>')
    if notes.inferred:
        parts.append(f'<p class="azkz-notes">{html.escape(notes.inferred)}</p>')
    return "\n".join(parts)


def point_texts(rows: pd.DataFrame, tables: Tables, lang: str) -> dict[str, list[str]]:
    """The lines of the panel under a tapped point, by figure id (``point_lines``: what the
    hover box says, unwrapped); {} for a chart of events."""
    if "figure_id" not in rows.columns:
        return {}
    flagged = set(conflicts(rows)["figure_id"])
    return {r["figure_id"]: point_lines(r, tables, lang, r["figure_id"] in flagged)
            for _, r in rows.iterrows()}


def picture_html(figs: dict, lang: str) -> str:
    """The chart as static SVG pictures (``charts.svg.figure_pictures``: a phone's and a wide
    one), one pair per theme, shown in
    the chart box at first paint and without JavaScript; the page's script swaps in Plotly's
    chart once it has drawn. The page's theme (``data-theme``) picks the picture."""
    return "".join(f'<div class="azkz-pic azkz-pic-{theme}">'
                   f"{figure_pictures(figs[theme], lang=lang)}</div>"
                   for theme in THEMES)


def render_table_page(spec: ChartSpec, chart_id: str, tables: Tables, lang: str,
                      base: str) -> Page:
    """``<lang>/<chart_id>-table.html``: the chart's full numbers table with quotes, sources
    and caveats, as a plain page without JavaScript (the no-JS summary links to it)."""
    title = spec.title(lang)
    rows = spec.rows(tables)
    page = Template(_read_static("embed-table.html")).substitute(
        lang=lang, title=html.escape(title), css=_read_static("embed.css"),
        table=numbers_table(rows, tables, lang),
        sources=html.escape(sources_line(rows, tables, lang)),
        notes=notes_html(rows, tables, lang,
                         chart_page_url(chart_id, lang, base, spec.page)),
        back=html.escape(chart_id), back_label=html.escape(t("embed_table_back", lang)),
        dashboard_url=html.escape(dashboard_url(lang, base)),
        dashboard_label=html.escape(t("embed_open_dashboard", lang)))
    return Page(f"{chart_id}{TABLE_SUFFIX}", lang, title, page)


def render_page(spec: ChartSpec, chart_id: str, tables: Tables, lang: str, plotly_src: str,
                base: str) -> Page:
    """The static embed page of one chart in one language."""
    title = spec.title(lang)
    rows = spec.rows(tables)
    built = {theme: embed_figure(spec.build(tables, lang, theme)) for theme in THEMES}
    figs = {theme: figure_dict(fig) for theme, fig in built.items()}
    payload = {"light": figs["light"], "dark": figs["dark"],
               "points": point_texts(rows, tables, lang)}
    # Most charts differ between themes only in layout; ship the data once then.
    if figs["dark"].get("data") == figs["light"].get("data"):
        payload["dark"] = {"layout": figs["dark"].get("layout", {})}
    page = Template(_read_static("embed-page.html")).substitute(
        lang=lang,
        chart_id=html.escape(chart_id),
        title=html.escape(title),
        picture=picture_html(built, lang),
        summary=summary_html(rows, tables, lang, chart_id),
        notes=notes_html(rows, tables, lang,
                         chart_page_url(chart_id, lang, base, spec.page)),
        description=html.escape(spec.describe(tables, lang)),
        description_label=html.escape(t("text_alternative", lang)),
        table=numbers_table(rows, tables, lang),
        sources=html.escape(" · ".join(filter(None, (
            sources_line(rows, tables, lang), references_line(figs["light"], tables, lang))))),
        dashboard_url=html.escape(dashboard_url(lang, base)),
        dashboard_label=html.escape(t("embed_open_dashboard", lang)),
        plotly_src=html.escape(plotly_src),
        css=_read_static("embed.css") + "\n" + PICTURES_CSS,
        figure_json=script_json(payload),
        script=_read_static("embed-page.js").replace("__HEIGHT_MESSAGE__", HEIGHT_MESSAGE),
    )
    return Page(chart_id, lang, title, page)


def _snippet_block(tid: str, label: str, code: str, lang: str) -> str:
    """One labelled, copyable snippet (the copy button reports back in a status line)."""
    return (f'<div class="azkz-snippet"><label for="{tid}">{html.escape(label)}</label>'
            f'<textarea id="{tid}" readonly rows="4" spellcheck="false">{html.escape(code)}'
            f'</textarea><button type="button" class="azkz-copy" data-for="{tid}">'
            f'{html.escape(t("embed_copy", lang))}</button> '
            f'<span class="azkz-copied" role="status" aria-live="polite"></span></div>')


# Interface texts of the embed catalogue, switched by its language choice.
INDEX_KEYS = ("embed_index_title", "embed_pick_chart", "lang_label", "theme_label",
              "embed_pick_kind", "embed_preview", "embed_code_label", "embed_copy",
              "embed_copied", "embed_copy_failed", "embed_all_heading", "theme_light",
              "theme_dark", "theme_auto", "embed_kind_static", "embed_kind_live")


def _radios(name: str, options: list[tuple[str, str]], checked: str) -> str:
    return "".join(
        f'<label class="azkz-radio"><input type="radio" name="{name}" value="{v}"'
        f'{" checked" if v == checked else ""}> <span data-option="{name}-{v}">'
        f"{html.escape(text)}</span></label>" for v, text in options)


def render_index(pages: list[Page], base: str, claims: str = "") -> str:
    """``index.html``, the embed catalogue: a builder (chart, language, theme and kind of
    embed, a live preview, the snippet with a copy button that says when it copied), then
    every embed of every language with its labelled static and live snippets, escaped, then
    ``claims`` (the fact-check cards' sections).

    The page works without JavaScript (light, Azerbaijani snippets in the builder and every
    snippet in the list); with it, ``?lang=`` or the language choice switches the interface
    and the builder's snippet and preview follow the choices."""
    lang0 = LANGS[0]
    charts = list(dict.fromkeys(p.chart_id for p in pages))
    titles = {(p.lang, p.chart_id): p.title for p in pages}
    snippets = {lang: {c: {theme: iframe_snippets_for(c, lang, titles.get((lang, c), c), base,
                                                      theme)
                           for theme in EMBED_THEMES}
                       for c in charts}
                for lang in LANGS}
    data = {"langs": list(LANGS), "charts": charts, "snippets": snippets,
            "titles": {lang: {c: titles.get((lang, c), c) for c in charts} for lang in LANGS},
            "text": {lang: {k: t(k, lang) for k in INDEX_KEYS} for lang in LANGS},
            "paths": {lang: {c: {theme: static_url(c, lang, base, theme).removeprefix(
                                     f"{base}/embed/")
                                 for theme in EMBED_THEMES} for c in charts}
                      for lang in LANGS}}
    first = charts[0] if charts else ""
    options = "".join(f'<option value="{html.escape(c)}">'
                      f"{html.escape(titles.get((lang0, c), c))}</option>" for c in charts)
    preview = data["paths"][lang0].get(first, {}).get("light", "")
    builder = (
        '<section class="azkz-builder" aria-labelledby="azkz-builder-code-label">'
        '<div class="azkz-controls">'
        f'<p><label for="azkz-pick-chart" data-t="embed_pick_chart">'
        f'{html.escape(t("embed_pick_chart", lang0))}</label> '
        f'<select id="azkz-pick-chart">{options}</select></p>'
        f'<fieldset><legend data-t="lang_label">{html.escape(t("lang_label", lang0))}</legend>'
        + _radios("lang", [(x, t(f"lang_{x}", x)) for x in LANGS], lang0) + "</fieldset>"
        f'<fieldset><legend data-t="theme_label">{html.escape(t("theme_label", lang0))}'
        "</legend>"
        + _radios("theme", [(x, t(f"theme_{x}", lang0)) for x in EMBED_THEMES], "light")
        + "</fieldset>"
        f'<fieldset><legend data-t="embed_pick_kind">'
        f'{html.escape(t("embed_pick_kind", lang0))}</legend>'
        + _radios("kind", [(k, t(f"embed_kind_{k}", lang0)) for k in ("static", "live")],
                  "static") + "</fieldset></div>"
        f'<h2 data-t="embed_preview">{html.escape(t("embed_preview", lang0))}</h2>'
        f'<iframe id="azkz-preview" class="azkz-preview" '
        f'title="{html.escape(t("embed_preview", lang0))}" src="{html.escape(preview)}" '
        'height="520"></iframe>'
        f'<h2 id="azkz-builder-code-label" data-t="embed_code_label">'
        f'{html.escape(t("embed_code_label", lang0))}</h2>'
        + _snippet_block("azkz-code", t("embed_code_label", lang0),
                         snippets[lang0][first]["light"]["static"] if first else "", lang0)
        + "</section>")
    items = [f'<h2 data-t="embed_all_heading">{html.escape(t("embed_all_heading", lang0))}'
             "</h2>"]
    for lang in LANGS:
        items.append(f'<h3 lang="{lang}">{html.escape(t("embed_index_title", lang))} '
                     f"({lang})</h3>")
        for page in (p for p in pages if p.lang == lang):
            blocks = "".join(
                _snippet_block(f"{lang}-{html.escape(page.chart_id)}-{kind}",
                               t("embed_snippet_label", lang,
                                 kind=t(f"embed_kind_{kind}", lang), title=page.title,
                                 language=lang), code, lang)
                for kind, code in snippets[lang][page.chart_id]["light"].items())
            items.append(
                f'<section lang="{lang}" id="{lang}-{html.escape(page.chart_id)}">'
                f'<h4><a href="{lang}/{html.escape(page.chart_id)}.html">'
                f"{html.escape(page.title)}</a></h4>{blocks}</section>")
    return Template(_read_static("embed-index.html")).substitute(
        lang=lang0, css=_read_static("embed.css"), builder=builder,
        items="\n".join([*items, claims]), data=script_json(data),
        title=html.escape(t("embed_index_title", lang0)))


def fingerprint(build_id: str, base: str) -> str:
    """Hash of everything an export depends on: the build of the tables it shows (its
    ``build_id``, never the files on disk, which may have changed since they were read), the
    code that renders it, Plotly.js, the base URL and the date (the timeline marks today)."""
    h = hashlib.sha256(base.encode())
    h.update(dt.date.today().isoformat().encode())
    h.update(build_id.encode())
    h.update(_code_digest())
    h.update(plotly.__version__.encode())
    h.update(_bundle_digest())
    return h.hexdigest()


@cache
def _bundle_digest() -> bytes:
    return hashlib.sha256(PLOTLY_JS.read_bytes()).digest()


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
    tables_pages = []
    for lang in LANGS:
        for chart_id, spec in charts.items():
            if cancelled is not None and cancelled():
                raise Cancelled(f"rendering of build {tables_build.build_id[:12]} given up")
            pages.append(render_page(spec, chart_id, tables, lang, f"../{asset}", base))
            tables_pages.append(render_table_page(spec, chart_id, tables, lang, base))
    files: dict[str, bytes] = {asset: js, "host.js": (STATIC / "embed-host.js").read_bytes(),
                               "index.html": render_index(pages, base, claims_index(
                                   tables, base)).encode()}
    for page in pages + tables_pages:
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
    html_files = [f for f in manifest["files"] if f.endswith(".html") and "/" in f]
    full = [f for f in html_files if f.endswith(TABLE_SUFFIX + ".html")]
    print(f"embeds: wrote {len(html_files) - len(full)} pages, {len(full)} full tables, "
          f"index.html and {manifest['plotly']} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
