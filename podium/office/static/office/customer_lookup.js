/* The desk's customer field: as the clerk types, the customers of the house that
   match appear below it as radio buttons (name="customer", inside the sale form).
   Without JavaScript the field still works: its text makes a new customer. */
(function () {
  "use strict";
  var DELAY = 250;

  function setUp(box) {
    var input = box.querySelector("input[name='customer_line']");
    var results = box.querySelector("[data-customer-results]");
    var url = box.getAttribute("data-customer-lookup");
    if (!input || !results || !url || !window.fetch) return;
    var timer = null;
    var pending = null;
    var last = input.value.trim();

    function search() {
      var query = input.value.trim();
      if (query === last) return;
      last = query;
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          results.innerHTML = html;
        })
        .catch(function () {
          /* aborted or offline: the typed line still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    // Enter or arrow down moves to the first match instead of selling at once.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== "ArrowDown") return;
      var first = results.querySelector("input[type='radio']:not([value=''])");
      if (!first) return;
      event.preventDefault();
      first.checked = true;
      first.focus();
    });
  }

  document.querySelectorAll("[data-customer-lookup]").forEach(setUp);
})();
