/* A waiting room's live figures, refreshed every five seconds while the page is
 * open: how many wait, how many got in in the last minute, the rate in use. */
(function () {
  "use strict";
  var section = document.querySelector("[data-figures-url]");
  if (!section || !window.fetch) return;
  function figure(name) {
    return section.querySelector('[data-figure="' + name + '"]');
  }
  function refresh() {
    if (document.hidden) return;
    fetch(section.dataset.figuresUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        figure("waiting").textContent = answer.waiting;
        figure("admitted_last_minute").textContent = answer.admitted_last_minute;
        figure("rate").textContent = answer.rate;
        figure("automatic").hidden = !answer.automatic;
        figure("minutes_to_empty").textContent =
          answer.minutes_to_empty === null ? "–" : answer.minutes_to_empty;
        var state = figure("paused");
        state.textContent = answer.paused ? state.dataset.pausedText : state.dataset.runningText;
      })
      .catch(function () {});
  }
  setInterval(refresh, 5000);
})();
