// Composing a subscription: the price follows the ticked performances, tariff and
// people without a click on "Calculate" (which keeps working without this script).
// The page is fetched again with the "Calculate" action and its price part swapped.
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  if (!form || !window.fetch || !window.FormData) return;
  var quote = form.querySelector(".quote");
  var timer = null;
  var asked = 0;

  function refresh() {
    var data = new FormData(form);
    data.set("action", "quote");
    var mine = ++asked;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== asked) return; // a later change is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("#compose-form .quote");
        if (fresh) quote.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* "Calculate" still works */ });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
})();
