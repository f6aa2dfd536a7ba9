"""The static SVG picture of a chart (charts/svg.py), drawn before Plotly (issue 13).

Pure tests: every catalogue chart in every language and theme, on the committed register's
tables and on the synthetic fixture tables, gives a well-formed SVG with a mark for every data
point of every trace, the figure's own tick labels, legend entries and annotations, escaped
text, the same bytes twice. The browser test (marker ``browser``) opens a static embed and
checks that the picture is there at first paint and that Plotly's chart replaces it in a box
of the same height, never an empty one.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest

from charts.catalogue import CHARTS
from charts.embed import embed_figure
from charts.style import THEMES, plotly_text
from charts.svg import (
    PICTURES_CSS,
    WIDE_FROM,
    WIDE_WIDTH,
    figure_pictures,
    figure_svg,
)
from etl.schema import LANGS
from etl.store import load_tables
from tests.fixtures.tables import BUILDS, build_tables, figures_frame, sources_frame, write_tables
from tests.test_browser_a11y import serious
from web import export

SVG = "{http://www.w3.org/2000/svg}"
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module", params=BUILDS)
def tables(request, tmp_path_factory):
    return build_tables(request.param, tmp_path_factory)


def shown(text: object) -> list[str]:
    """The lines a reader sees of a Plotly label: ``<br>`` splits, tags dropped, entities
    decoded."""
    return [html.unescape(TAG.sub("", part)) for part in
            re.split(r"<br\s*/?>", str(text), flags=re.I)]


def text_lines(el: ET.Element) -> list[str]:
    """The lines of one SVG ``<text>``: its own text, then one per line ``<tspan dy>``."""
    lines = [el.text or ""]
    for span in el:
        if span.get("dy") is not None:
            lines.append("")
        lines[-1] += "".join(span.itertext()) + (span.tail or "")
    return lines


def texts(root: ET.Element, cls: str | None = None) -> list[list[str]]:
    groups = [root] if cls is None else [g for g in root.iter()
                                         if cls in (g.get("class") or "").split()]
    return [text_lines(t) for g in groups for t in g.iter(f"{SVG}text")]


def missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def expected_marks(tr: dict) -> tuple[str, int]:
    """(kind of mark, how many) a trace must draw: a bar per bar, a marker per point, a
    label per point of a text-only trace, a segment per pair of joined points."""
    xs, ys = list(tr.get("x") or []), list(tr.get("y") or [])
    pts = [not (missing(x) or missing(y)) for x, y in zip(xs, ys, strict=False)]
    if tr.get("type") == "bar":
        return "rect", sum(pts)
    mode = tr.get("mode") or ""
    if "markers" in mode:
        return "use", sum(pts)
    if mode == "text":
        return "text", sum(1 for p, t in zip(pts, tr.get("text") or [], strict=False)
                           if p and t)
    return "line", sum(1 for a, b in itertools.pairwise(pts) if a and b)


def check_picture(fig: go.Figure, lang: str, where: str) -> None:
    svg = figure_svg(fig, lang=lang)
    root = ET.fromstring(svg)  # well-formed
    assert root.tag == f"{SVG}svg" and root.get("aria-hidden") == "true", where
    assert float(root.get("height")) == fig.layout.height, where
    assert "<script" not in svg and "javascript:" not in svg, where
    # every pattern and marker it refers to is defined in it
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    refs = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg))
    assert {a or b for a, b in refs} <= ids, (where, refs, ids)
    d = fig.to_plotly_json()
    traces = {g.get("data-trace"): g for g in root.iter(f"{SVG}g") if g.get("data-trace")}
    for i, tr in enumerate(d["data"]):
        kind, n = expected_marks(tr)
        g = traces.get(str(i))
        if n == 0:
            continue
        assert g is not None, (where, i, tr.get("name"))
        if kind == "line":
            got = sum(1 for el in g.iter(f"{SVG}line")
                      if "azkz-seg" in (el.get("class") or ""))
        else:
            got = sum(1 for el in g.iter(f"{SVG}{kind}")
                      if "azkz-pt" in (el.get("class") or "").split())
        assert got == n, (where, i, tr.get("name"), kind, got, n)
        # every label of a point is drawn, line by line
        drawn = texts(g)
        for label in tr.get("text") or []:
            if label and "text" in (tr.get("mode") or "text"):
                assert shown(label) in drawn, (where, i, label)
    # tick labels as the figure gives them (along x, where they would not fit side by side
    # on a phone, every k-th of them, starting with the first)
    groups = {g.get("data-axis"): g for g in root.iter(f"{SVG}g")
              if g.get("class") == "azkz-ticks"}
    for name, axis in d["layout"].items():
        if (not re.fullmatch(r"[xy]axis\d*", name) or axis.get("showticklabels") is False
                or not axis.get("ticktext")):
            continue
        want = [shown(label) for label in axis["ticktext"]]
        got = texts(groups[name]) if name in groups else []
        if name.startswith("y"):
            assert got == want, (where, name, got, want)
        else:
            assert any(got == want[::k] for k in (1, 2, 3)), (where, name, got, want)
    # every legend entry and annotation
    legend = texts(root, "azkz-legend")
    for tr in d["data"]:
        if tr.get("showlegend") and fig.layout.showlegend is not False:
            assert shown(tr["name"]) in legend, (where, tr["name"])
    notes = texts(root, "azkz-ann")
    for a in d["layout"].get("annotations") or []:
        assert shown(a["text"]) in notes, (where, a["text"])
    # the same figure gives the same bytes
    assert figure_svg(fig, lang=lang) == svg, where


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_in_every_language_and_theme_is_drawn_whole(tables, lang):
    for chart_id, spec in CHARTS.items():
        for theme in THEMES:
            fig = embed_figure(spec.build(tables, lang, theme))
            check_picture(fig, lang, f"{chart_id}/{lang}/{theme}")


def test_themes_give_their_own_colours(tables):
    spec = CHARTS["trade-turnover"]
    light = figure_svg(spec.build(tables, "en", "light"))
    dark = figure_svg(spec.build(tables, "en", "dark"))
    assert 'fill="#262730"' in light and 'fill="#FAFAFA"' in dark  # the templates' text colour
    assert "#30343C" in dark and "#30343C" not in light  # the dark grid


def test_picture_is_deterministic_across_builds(tables):
    for chart_id, spec in CHARTS.items():
        a = figure_svg(embed_figure(spec.build(tables, "az", "light")), lang="az")
        b = figure_svg(embed_figure(spec.build(tables, "az", "light")), lang="az")
        assert a == b, chart_id


def test_the_json_form_of_a_figure_gives_the_same_picture(tables):
    """The static export holds figures as JSON dicts: they draw like the figure objects."""
    for chart_id, spec in CHARTS.items():
        fig = embed_figure(spec.build(tables, "ru", "dark"))
        assert figure_svg(export.figure_dict(fig), lang="ru") == figure_svg(fig, lang="ru"), \
            chart_id


HOSTILE = ('</svg><script>alert("x")</script><img src=x onerror=alert(1)> & "q" \'a\' &amp;'
           " \x00\x01ID\x00 \ue000ID\ue000 end")


def test_hostile_text_is_escaped_everywhere():
    """A label, legend name, tick, category and annotation holding markup: shown as text,
    never as markup, whether or not the chart code escaped it for Plotly first."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[HOSTILE, "b"], y=[1, 2], text=[plotly_text(HOSTILE), HOSTILE],
                         name=plotly_text(HOSTILE), textposition="outside"))
    fig.add_trace(go.Scatter(x=[HOSTILE], y=[1.5], mode="markers+text",
                             text=[plotly_text(HOSTILE)], name=HOSTILE))
    fig.add_annotation(text=plotly_text(HOSTILE), x=0.5, y=1, xref="paper", yref="paper",
                       showarrow=False)
    fig.update_yaxes(tickvals=[0, 1], ticktext=[plotly_text(HOSTILE), "1"])
    fig.update_layout(height=400, font={"family": 'x" onload="alert(1)'})
    svg = figure_svg(fig)
    root = ET.fromstring(svg)
    assert "<script" not in svg and "<img" not in svg and 'onload="' not in svg
    assert {el.tag for el in root.iter()} <= {f"{SVG}{t}" for t in (
        "svg", "defs", "path", "pattern", "g", "rect", "line", "use", "text", "tspan")}
    everything = [line for t in texts(root) for line in t]
    # escaped for Plotly: the reader sees the characters (bar label, legend, marker label,
    # tick, annotation); unescaped: Plotly drops the tags, so does the picture
    assert html.unescape(plotly_text(HOSTILE)) == HOSTILE
    # XML forbids U+0000 and U+0001; U+E000 marks the module's placeholders
    readable = HOSTILE.replace("\x00", "").replace("\x01", "").replace("\ue000", "")
    assert everything.count(readable) >= 5, everything
    assert html.unescape(TAG.sub("", readable)) in everything


def test_entities_reach_the_reader_as_characters():
    """``&amp;`` and ``&lt;`` in Plotly text are characters in the picture, never shown as
    the entity (the reader-view tests guard the same for Plotly's hovers)."""
    fig = go.Figure(go.Bar(x=["a"], y=[1], text=["AT&amp;T &lt;3"], name="x"))
    root = ET.fromstring(figure_svg(fig))
    assert ["AT&T <3"] in texts(root)


def test_hostile_register_text_in_a_static_embed_page(tmp_path):
    """Third-party text (a period label) with markup reaches the inline picture escaped."""
    figures = figures_frame()
    figures["period_label"] = HOSTILE
    sources = sources_frame()
    sources["outlet"] = sources["outlet"] + " " + HOSTILE
    tables = load_tables(write_tables(tmp_path / "tables",
                                      {"sources": sources, "figures": figures}))
    for chart_id, spec in CHARTS.items():
        fig = embed_figure(spec.build(tables, "en", "light"))
        svg = figure_svg(fig, lang="en")
        ET.fromstring(svg)
        assert "<script" not in svg and "<img" not in svg, chart_id


def test_picture_fills_its_box_without_stretching(tables):
    """Width follows the box (percent positions inside a box as wide as the plot area),
    height is the figure's; text and markers are never scaled (no viewBox)."""
    fig = embed_figure(CHARTS["trade-turnover"].build(tables, "en", "light"))
    root = ET.fromstring(figure_svg(fig))
    assert root.get("width") == "100%" and root.get("viewBox") is None
    style = root.get("style")
    assert "width:calc(100% - " in style and "overflow:visible" in style
    xs = [el.get("x") for el in root.iter() if el.get("x") and el.tag != f"{SVG}tspan"]
    assert xs and sum(x.endswith("%") for x in xs) > len(xs) / 2



def legend_rows(svg: str) -> int:
    legend = re.search(r'<g class="azkz-legend">(.*)</g></svg>$', svg, re.S)
    return len(set(re.findall(r'<text x="[^"]*" y="([\d.]+)"', legend.group(1))))


def x_labels(svg: str) -> int:
    ticks = re.search(r'<g class="azkz-ticks" data-axis="xaxis">(.*?)</g>', svg, re.S)
    return ticks.group(1).count("<text")


def test_a_wide_picture_is_laid_out_as_plotly_lays_out_a_wide_chart(tables):
    """On a phone Plotly packs a few legend entries per row and spaces date ticks widely; in
    a wide box it puts more entries in a row and more ticks: the wide picture does as it
    will, so the chart does not jump when Plotly replaces the picture on a wide screen."""
    fig = embed_figure(CHARTS["trade-turnover"].build(tables, "en", "light"))
    narrow = figure_svg(fig, xmlns=False)
    wide = figure_svg(fig, xmlns=False, width=WIDE_WIDTH)
    assert legend_rows(wide) < legend_rows(narrow)
    assert x_labels(wide) > x_labels(narrow) >= 3
    # both are in the pictures, each in the box its CSS shows at its width
    pics = figure_pictures(fig, lang="en")
    assert pics == (f'<div class="azkz-pic-narrow">{narrow}</div>'
                    f'<div class="azkz-pic-wide">{wide}</div>')
    assert f"@container azkz-chart (min-width: {WIDE_FROM}px)" in PICTURES_CSS


# ------------------------------------------------------------------ in a browser

PICTURE_JS = """() => {
  const box = document.getElementById('azkz-chart');
  const pic = [...box.querySelectorAll('.azkz-pic')].find(p => p.offsetHeight > 0);
  const plot = box.querySelector('.main-svg');
  const visible = el => !!el && getComputedStyle(el).visibility !== 'hidden'
      && el.getBoundingClientRect().height > 0;
  const sized = pic ? [...pic.children].find(c => c.offsetHeight > 0) : null;
  return {box: box.getBoundingClientRect().height, pic: pic ? pic.className : null,
          sized: sized ? sized.className : null,
          picHeight: pic ? pic.getBoundingClientRect().height : 0,
          plot: visible(plot) && getComputedStyle(plot.closest('.plot-container')).position
                === 'static',
          drawn: document.getElementById('azkz-embed').classList.contains('azkz-drawn'),
          summary: document.querySelector('.azkz-summary').offsetHeight > 0};
}"""

# Every animation frame until the chart has drawn: the box's height and whether the picture
# or Plotly's chart is what a reader sees.
FRAMES_JS = """
window.__frames = [];
(function sample() {
  const box = document.getElementById('azkz-chart');
  if (box) {
    const pic = [...box.querySelectorAll('.azkz-pic')].some(p => p.offsetHeight > 0);
    const c = box.querySelector('.plot-container');
    const plot = !!c && getComputedStyle(c).visibility !== 'hidden';
    window.__frames.push({h: box.getBoundingClientRect().height, pic, plot});
  }
  const embed = document.getElementById('azkz-embed');
  if (!embed || !embed.classList.contains('azkz-drawn') || window.__frames.length < 3) {
    requestAnimationFrame(sample);
  }
})();
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("svg-site")
    tables_dir = write_tables(tmp / "tables")
    out = tmp / "site"
    manifest = export.build(out, tables_dir, base="https://dash.example.org")
    return out, manifest, load_tables(tables_dir)


def serve_site(context, out: Path, block_plotly: bool = False) -> None:
    """Answer http://embed.test/<path> from the export folder (no server process)."""
    def handle(route):
        path = route.request.url.split("http://embed.test/", 1)[1].split("?", 1)[0]
        if block_plotly and path.startswith("plotly-"):
            route.abort()
            return
        file = out / path
        if not file.is_file():
            route.fulfill(status=404, body="")
            return
        kind = "text/html" if path.endswith(".html") else "text/javascript"
        route.fulfill(status=200, body=file.read_bytes(), content_type=kind + "; charset=utf-8")
    context.route("http://embed.test/**", handle)


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 800])
def test_static_embed_shows_the_picture_first_then_plotly_in_the_same_box(site, browser,
                                                                          width):
    out, _, tables = site
    chart_id = "trade-turnover"
    height = CHARTS[chart_id].build(tables, "en", "light").layout.height
    url = f"http://embed.test/en/{chart_id}.html"
    # without Plotly (blocked): the light picture fills the box; the summary is back
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    serve_site(ctx, out, block_plotly=True)
    tab = ctx.new_page()
    try:
        tab.goto(url, wait_until="load")
        state = tab.evaluate(PICTURE_JS)
        assert state["pic"] == "azkz-pic azkz-pic-light" and not state["plot"], state
        # the picture laid out for the box's width (a phone's, or the wide one)
        assert state["sized"] == ("azkz-pic-wide" if width >= WIDE_FROM + 28
                                  else "azkz-pic-narrow"), state
        assert abs(state["box"] - height) <= 3 and abs(state["picHeight"] - height) <= 3, state
        assert state["summary"], state
        tab.goto(url + "?theme=dark", wait_until="load")
        assert tab.evaluate(PICTURE_JS)["pic"] == "azkz-pic azkz-pic-dark"
    finally:
        ctx.close()
    # with Plotly: every frame shows the picture or the chart in a box of the same height
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    serve_site(ctx, out)
    ctx.add_init_script(FRAMES_JS)
    tab = ctx.new_page()
    try:
        tab.goto(url)
        tab.wait_for_selector("#azkz-embed.azkz-drawn", timeout=60_000)
        tab.wait_for_timeout(200)
        frames = tab.evaluate("window.__frames")
        assert frames, "no frame sampled"
        assert all(f["pic"] or f["plot"] for f in frames), frames
        assert all(abs(f["h"] - height) <= 3 for f in frames), frames
        assert frames[0]["pic"] and not frames[0]["plot"], frames[0]
        state = tab.evaluate(PICTURE_JS)
        assert state["plot"] and state["pic"] is None and state["drawn"], state
        assert abs(state["box"] - height) <= 3, state
        assert not state["summary"], state  # the chart is drawn: the summary's job is done
        assert tab.locator("#azkz-chart.js-plotly-plot .main-svg").first.is_visible()
    finally:
        ctx.close()


@pytest.mark.browser
def test_static_embed_with_its_picture_only_is_accessible(site, browser):
    """axe-core on every static embed while it shows the picture (Plotly blocked), light and
    dark: no serious or critical violation (the Plotly state is test_browser_a11y's)."""
    out, _, _ = site
    ctx = browser.new_context(viewport={"width": 720, "height": 900})
    serve_site(ctx, out, block_plotly=True)
    tab = ctx.new_page()
    problems = {}
    try:
        for chart_id in CHARTS:
            for query in ("", "?theme=dark"):
                tab.goto(f"http://embed.test/en/{chart_id}.html{query}", wait_until="load")
                # one picture shows: the theme's, laid out for the box's width
                assert tab.locator(".azkz-pic svg:visible").count() == 1, chart_id + query
                found = serious(tab)
                if found:
                    problems[chart_id + query] = found
        assert problems == {}
    finally:
        ctx.close()


@pytest.mark.browser
def test_static_embed_without_javascript_shows_the_picture_and_the_summary(site, browser):
    out, _, tables = site
    ctx = browser.new_context(viewport={"width": 360, "height": 900},
                              java_script_enabled=False)
    serve_site(ctx, out)
    tab = ctx.new_page()
    try:
        for chart_id, spec in CHARTS.items():
            tab.goto(f"http://embed.test/en/{chart_id}.html", wait_until="load")
            box = tab.locator("#azkz-chart")
            assert box.is_visible(), chart_id
            height = spec.build(tables, "en", "light").layout.height
            assert abs(box.bounding_box()["height"] - height) <= 3, chart_id
            # the light theme's picture, the phone's (one per theme and width in the page)
            assert tab.locator(".azkz-pic-light svg:visible").count() == 1, chart_id
            assert tab.locator(".azkz-pic-dark svg:visible").count() == 0, chart_id
            narrow = tab.locator(".azkz-pic-light .azkz-pic-narrow svg")
            assert narrow.count() == 0 or narrow.is_visible(), chart_id
            assert tab.locator(".azkz-summary").is_visible(), chart_id
            assert tab.locator(".azkz-summary a").get_attribute("href") == f"{chart_id}-table"
    finally:
        ctx.close()
