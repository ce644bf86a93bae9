/* Inside the widget's iframe: tell the embedding page (widget.js) how tall we are.
 * Only a height is sent, which is no secret, so any parent may hear it. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ podiumWidget: "resize", height: height, href: location.href }, "*");
  }
  report();
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
})();
