/* The start page's door counts, refreshed every 15 seconds while the page is open. */
(function () {
  "use strict";
  var section = document.querySelector("[data-attendance-url]");
  if (!section || !window.fetch) return;
  function refresh() {
    if (document.hidden) return;
    fetch(section.dataset.attendanceUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        answer.performances.forEach(function (row) {
          var count = section.querySelector('.door-count[data-performance="' + row.id + '"]');
          if (!count) return;
          count.querySelector("[data-admitted]").textContent = row.admitted;
          count.querySelector("[data-expected]").textContent = row.expected;
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 15000);
})();
