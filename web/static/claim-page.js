(function () {
  "use strict";
  // A fact-check card is plain HTML: this only follows ?theme= and reports the card's height
  // to the host page (web/static/embed-host.js resizes the iframe).
  var embed = document.getElementById("azkz-embed");
  var asked = new URLSearchParams(window.location.search).get("theme");
  if (asked === "dark" || asked === "light") {
    document.documentElement.setAttribute("data-theme", asked);
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
  if (window.ResizeObserver) new ResizeObserver(postHeight).observe(embed);
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);
  postHeight();
})();
