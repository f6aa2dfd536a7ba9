"""The dashboard's chart element: a Streamlit v2 component that draws a chart's cached figure
with the project's partial Plotly.js bundle, instead of ``st.plotly_chart``.

Why: ``st.plotly_chart`` loads Streamlit's Plotly component, 4.7 MB of JavaScript with the full
plotly.js, and the browser's work on it was most of a chart page's time (bench/bench_pages.py).
The charts draw scatter and bar traces only; the basic bundle (charts/bundle.py, 1.2 MB, the
same file the static embeds load, cached by the browser for a year under its content hash) draws
them the same way. The component itself is a few lines of JavaScript sent with the element.

What the reader gets is what ``st.plotly_chart(fig, theme=None, on_select="rerun",
selection_mode="points")`` gave: the same figure and config, the column's width, a click or tap
on a point selects it (the page shows the panel of what it says), a double click clears it. The
figure is drawn as soon as the bundle has run; the SVG picture of the chart (when the caller has
one, ``picture``) stands in the box until then, so the chart shows at once.

The bundle is published by the project's server (``python -m web``), which says so in the
environment (``charts.bundle.SERVED_ENV``); a bare ``streamlit run dashboard.py`` (development)
publishes none, and there the same figure is drawn by ``st.plotly_chart`` as before.

The JSON of a figure is made once per (chart, language, theme, build) by ``ui.figures`` and
passed as a string, so a script run does not serialise the figure again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st
import streamlit.components.v2 as components

from charts.bundle import served_path
from charts.svg import PICTURES_CSS

NAME = "azkz_chart"

# The bundle is loaded once per page (one <script>, shared by every chart). A chart is redrawn
# only when its figure changes (Plotly.react); the picture stays until Plotly has drawn.
_JS = r"""
function plotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__azkzPlotly) {
    window.__azkzPlotly = new Promise(function (ok, fail) {
      // one <script> per page, added by the first chart; the others wait for the same promise
      var s = document.querySelector("script[data-azkz-plotly]");
      if (!s) {
        s = document.createElement("script");
        s.src = src; s.async = true; s.setAttribute("data-azkz-plotly", "");
        document.head.appendChild(s);
      }
      s.addEventListener("load", function () { ok(window.Plotly); });
      s.addEventListener("error", function () {
        window.__azkzPlotly = null; s.remove(); fail(new Error(src));
      });
      if (window.Plotly) ok(window.Plotly);  // it ran between the two checks
    });
  }
  return window.__azkzPlotly;
}

// Charts are drawn one at a time in page order, the browser painting between them: the first
// chart is drawn before the next is begun (Plotly draws a chart in one long task).
function inTurn(task) {
  var next = (window.__azkzTurn || Promise.resolve()).then(task)
    .catch(function (err) { console.error("azkz chart", err); })
    .then(function () { return new Promise(function (ok) { setTimeout(ok, 0); }); });
  window.__azkzTurn = next;
  return next;
}

function ids(points) {
  var out = [];
  (points || []).forEach(function (p) {
    var d = Array.isArray(p.customdata) ? p.customdata[0] : p.customdata;
    if (typeof d === "string" && out.indexOf(d) < 0) out.push(d);
  });
  return out;
}

export default function (component) {
  var data = component.data, parent = component.parentElement;
  var box = parent.querySelector(":scope > .azkz-plot");
  if (!box) {
    box = document.createElement("div");
    box.className = "azkz-plot";
    parent.appendChild(box);
  }
  box.style.minHeight = data.height + "px";
  if (box.dataset.figure === data.digest) return;
  box.dataset.figure = data.digest;
  var live = box.querySelector(":scope > .azkz-live");
  if (!live && data.picture) {
    var pic = document.createElement("div");
    pic.className = "azkz-picture";
    pic.setAttribute("aria-hidden", "true");
    pic.innerHTML = data.picture;
    box.replaceChildren(pic);
  }
  plotly(data.src).then(function (Plotly) { return inTurn(function () {
    if (box.dataset.figure !== data.digest) return;  // a newer figure arrived meanwhile
    var live = box.querySelector(":scope > .azkz-live");
    if (!live) {
      live = document.createElement("div");
      live.className = "azkz-live";
      box.appendChild(live);
    }
    var fig = JSON.parse(data.figure);
    return Plotly.react(live, fig.data, fig.layout, data.config).then(function () {
      box.querySelectorAll(":scope > .azkz-picture").forEach(function (p) { p.remove(); });
      box.classList.add("azkz-drawn");
      if (!live.__azkzBound) {
        live.__azkzBound = true;
        live.on("plotly_selected", function (ev) {
          component.setStateValue("selection", ids(ev && ev.points));
        });
        live.on("plotly_deselect", function () { component.setStateValue("selection", []); });
      }
    });
  }); }).catch(function (err) { console.error("azkz chart", err); });
}
"""

# The box is the pictures' size container (charts.svg.PICTURES_CSS picks the phone's or the
# wide one by its width).
_CSS = """
.azkz-plot { position: relative; width: 100%; container: azkz-chart / inline-size; }
.azkz-plot > .azkz-picture { position: absolute; inset: 0; }
.azkz-plot > .azkz-picture svg { display: block; width: 100%; }
""" + PICTURES_CSS

_component = components.component(NAME, js=_JS, css=_CSS, isolate_styles=False)


@dataclass(frozen=True)
class Drawing:
    """What the browser needs to draw one figure: its JSON, a digest of it (the browser redraws
    only when it changes), its height in px and an optional SVG picture shown until Plotly has
    drawn. Made once per (chart, language, theme, build) by ``ui.figures.drawing``."""

    figure_json: str
    digest: str
    height: int
    picture: str = ""


def _ignore() -> None:
    """Selections rerun the page (as ``on_select="rerun"`` did); nothing else to do."""


def plot_chart(drawing: Drawing, *, key: str, config: dict) -> list[str]:
    """Draw a figure at the column's width with Plotly ``config``; returns the ids
    (``customdata``) of the points the reader selected, [] when none. ``key`` names the element
    (one per chart on a page).

    Under the project's server (``python -m web``, which publishes the bundle) the component
    draws it; under a bare ``streamlit run dashboard.py`` (development), ``st.plotly_chart``.
    """
    src = served_path()
    if src is None:
        event = st.plotly_chart(json.loads(drawing.figure_json), width="stretch", theme=None,
                                key=key, config=config, on_select="rerun",
                                selection_mode="points")
        return selected_ids(event)
    result = _component(
        key=key,
        data={"figure": drawing.figure_json, "digest": drawing.digest, "height": drawing.height,
              "config": config, "src": src,
              "picture": drawing.picture},
        default={"selection": []},
        on_selection_change=_ignore,
        width="stretch", height=drawing.height,
    )
    selection = getattr(result, "selection", None) or []
    return [s for s in selection if isinstance(s, str)]


def selected_ids(event: object) -> list[str]:
    """Ids (``customdata``) of the points selected in ``st.plotly_chart``'s selection event."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return []
    out = []
    for p in points or []:
        data = p.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str):
            out.append(data)
    return out
