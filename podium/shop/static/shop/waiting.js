/* The waiting room: asks for the visitor's place every five seconds and shows it
 * without reloading. The place is always visible; the polite status region speaks
 * only when the change is worth hearing (ten places or a tenth of
 * the queue less, each of the last ten places, a pause, the visitor's turn), not
 * on every poll. When it is their turn, the page goes back to the tickets. */
(function () {
  "use strict";
  var box = document.querySelector(".waiting-room[data-status-url]");
  if (!box || !window.fetch) return;
  var url = box.dataset.statusUrl;
  var live = box.querySelector("[data-live]");
  // What the page says already counts as said: {state, position, paused}.
  var spoken = {
    state: box.dataset.startState,
    position: parseInt(box.dataset.startPosition, 10),
    paused: box.dataset.startPaused === "true"
  };
  var done = false;

  function set(selector, text) {
    var node = box.querySelector(selector);
    if (!node) return;
    node.textContent = text;
    node.hidden = !text;
  }

  function worthSaying(answer) {
    if (answer.state !== spoken.state || answer.paused !== spoken.paused) return true;
    if (answer.state !== "waiting") return false;
    var gained = spoken.position - answer.position;
    return gained >= 10 || gained >= spoken.position / 10 ||
      (answer.position <= 10 && gained > 0);
  }

  function show(answer) {
    if (answer.state === "not_joined" || answer.state === "expired") {
      window.location.reload();
      return;
    }
    set("[data-headline]", answer.headline);
    set("[data-estimate]", answer.estimate);
    var position = box.querySelector("[data-position]");
    if (position) position.textContent = answer.position;
    var waiting = box.querySelector("[data-waiting]");
    if (waiting) waiting.textContent = answer.waiting;
    // While places are being drawn by lot a number would only jump about.
    var placeBox = box.querySelector("[data-position-box]");
    if (placeBox && answer.state !== "admitted") placeBox.hidden = answer.state === "drawing";
    if (worthSaying(answer)) {
      live.textContent = answer.announce;
      spoken = { state: answer.state, position: answer.position, paused: answer.paused };
    }
    if (answer.state === "admitted") {
      done = true;
      var positionBox = box.querySelector("[data-position-box]");
      if (positionBox) positionBox.hidden = true;
      box.querySelector("[data-refresh]").hidden = true;
      var go = box.querySelector("[data-go]");
      go.hidden = false;
      if (answer.next) {
        go.querySelector("a").href = answer.next;
        // A moment for the status region to be heard, then back to the tickets.
        window.setTimeout(function () { window.location.assign(answer.next); }, 2500);
      }
    }
  }

  function poll() {
    if (done) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) show(answer); })
      .catch(function () {})
      .then(function () { if (!done) window.setTimeout(poll, 5000); });
  }
  poll();
})();
