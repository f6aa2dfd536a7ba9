(function () {
  "use strict";
  var root = document.documentElement;
  var embed = document.getElementById("azkz-embed");
  var chart = document.getElementById("azkz-chart");
  var figures = JSON.parse(document.getElementById("azkz-figure").textContent);
  var asked = new URLSearchParams(window.location.search).get("theme");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function theme() {
    if (asked === "dark" || asked === "light") return asked;
    return dark && dark.matches ? "dark" : "light";
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
    if (!window.Plotly) { postHeight(); return; }  // the table stays visible
    chart.hidden = false;
    draw().then(function () {
      embed.classList.add("azkz-drawn");
      postHeight();
    });
    if (dark && dark.addEventListener) dark.addEventListener("change", draw);
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
