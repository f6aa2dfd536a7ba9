/* Host script for azkz newsroom embeds: one <script> line on the page that carries the iframes.
 *
 * Each embed posts {type: "azkz-embed-height", id, height} to its parent on load and whenever
 * its content changes size. This script sets the height of the iframe that sent the message
 * (matched by its window, so two embeds of the same chart on one page stay independent).
 * Messages from any other window, or with another shape, are ignored. Safe to include twice.
 */
(function () {
  "use strict";
  if (window.__azkzEmbedHost) return;
  window.__azkzEmbedHost = true;
  var MIN = 120, MAX = 5000;

  function frameFor(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "azkz-embed-height") return;
    var height = Number(data.height);
    if (!isFinite(height)) return;
    var frame = frameFor(event.source);
    if (!frame || !frame.hasAttribute("data-azkz-embed")) return;
    // The message must come from the origin the iframe was loaded from.
    try {
      if (new URL(frame.src, document.baseURI).origin !== event.origin) return;
    } catch (e) {
      return;
    }
    height = Math.max(MIN, Math.min(MAX, Math.ceil(height)));
    frame.style.height = height + "px";
    frame.setAttribute("height", String(height));
  });
})();
