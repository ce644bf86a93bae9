/* Podium's embed script for a house's own website:
 *
 *   <script src="https://shop.example.be/static/shop/widget.js"
 *           data-podium-house="cc-de-steiger" async></script>
 *
 * inserts the house's agenda in an iframe where the script stands; add
 * data-podium-production="<id or slug>" for one production's ticket button. The
 * frame takes the height its page reports (postMessage, checked for our origin). */
(function () {
  "use strict";
  var scripts = document.currentScript ? [document.currentScript]
    : document.querySelectorAll("script[data-podium-house]:not([data-podium-done])");
  Array.prototype.forEach.call(scripts, function (script) {
    if (script.dataset.podiumDone) return;
    script.dataset.podiumDone = "1";
    var house = script.dataset.podiumHouse;
    if (!house) return;
    var origin = new URL(script.src, location.href).origin;
    var production = script.dataset.podiumProduction;
    var path = "/widget/" + encodeURIComponent(house) + "/" +
      (production ? "knop/" + encodeURIComponent(production) + "/" : "agenda/");
    var frame = document.createElement("iframe");
    frame.src = origin + path;
    frame.title = script.dataset.podiumTitle || (production ? "Tickets" : "Agenda");
    frame.loading = "lazy";
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.height = (production ? 160 : 480) + "px";
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    script.parentNode.insertBefore(frame, script);
    window.addEventListener("message", function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.podiumWidget !== "resize") return;
      var height = Number(data.height);
      if (height > 0 && height < 20000) frame.style.height = Math.ceil(height) + "px";
    });
  });
})();
