(function () {
  "use strict";
  var root = document.documentElement;
  var embed = document.getElementById("azkz-embed");
  var chart = document.getElementById("azkz-chart");
  var panel = document.getElementById("azkz-point");
  var figures = JSON.parse(document.getElementById("azkz-figure").textContent);
  // Light unless the host page asks: ?theme=dark, or ?theme=auto to follow the reader's system.
  var asked = new URLSearchParams(window.location.search).get("theme");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  // Before anything else (this script runs before the first paint): the theme picks the
  // chart's picture, and a reader with JavaScript gets the chart instead of the summary.
  root.setAttribute("data-theme", theme());
  root.classList.add("azkz-js");

  function theme() {
    if (asked === "dark") return "dark";
    if (asked === "auto" && dark && dark.matches) return "dark";
    return "light";
  }

  var lastHeight = 0;
  function postHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(embed.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage(
      {type: "__HEIGHT_MESSAGE__", id: embed.getAttribute("data-chart"), height: height}, "*");
  }

  // Plotly label text (<br>, <b>, &lt; &gt; &amp;) as plain lines.
  function lines(text) {
    var decode = document.createElement("textarea");
    return String(text || "").split(/<br\s*\/?>/i).map(function (part) {
      decode.innerHTML = part.replace(/<[^>]*>/g, "");
      return decode.value;
    }).filter(function (line) { return line.trim() !== ""; });
  }

  // A tapped or clicked point: its hover lines (quote, sources, caveat) in the panel under
  // the chart. On a phone the floating hover box is hidden (embed.css), so this is where the
  // provenance is read.
  function showPoint(event) {
    var point = event && event.points && event.points[0];
    if (!point || !panel) return;
    // the point's own lines (unwrapped, from the page's data), else its hover text
    var id = point.customdata;
    if (Array.isArray(id)) id = id[0];
    var shown = (figures.points && figures.points[id]) || null;
    if (!shown) {
      var text = point.hovertext;
      if (text === undefined && point.data && point.data.hovertext) {
        text = point.data.hovertext[point.pointIndex] || point.data.hovertext;
      }
      shown = lines(text);
    }
    if (!shown.length) return;
    panel.textContent = "";
    shown.forEach(function (line, i) {
      var p = document.createElement("p");
      if (i === 0) {
        var b = document.createElement("strong");
        b.textContent = line;
        p.appendChild(b);
      } else {
        p.textContent = line;
      }
      panel.appendChild(p);
    });
    panel.hidden = false;
    postHeight();
  }

  function draw() {
    var name = theme();
    root.setAttribute("data-theme", name);
    var fig = figures[name];
    var data = fig.data || figures.light.data;
    var layout = Object.assign({}, fig.layout || {});
    // The page owns width and background; the figure follows its column and theme.
    delete layout.width;
    layout.autosize = true;
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    return window.Plotly.react(chart, data, layout,
                               {responsive: true, displaylogo: false, displayModeBar: false});
  }

  function start() {
    if (!window.Plotly) {  // the picture and the summary stay
      root.classList.remove("azkz-js");
      postHeight();
      return;
    }
    // Plotly draws under the picture (embed.css keeps its container out of the flow and
    // invisible); once it has drawn, the chart replaces the picture in one step, in a box
    // of the same height: never an empty box.
    draw().then(function () {
      embed.classList.add("azkz-drawn");
      if (chart.on) chart.on("plotly_click", showPoint);
      postHeight();
    });
    if (asked === "auto" && dark && dark.addEventListener) dark.addEventListener("change", draw);
  }

  if (window.ResizeObserver) new ResizeObserver(postHeight).observe(embed);
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
