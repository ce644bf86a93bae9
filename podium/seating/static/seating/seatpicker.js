/* Seat picker: keyboard, pointer, zoom and pan on the server-drawn SVG plan.
 *
 * Markup (see templates/seating/picker.html): a .seat-picker holding the SVG, a list
 * of chosen seats, hidden inputs named by data-input-name and a polite live region.
 * Arrow keys move along a row (left/right) and between rows (up/down, nearest seat);
 * Space or Enter chooses. Only one seat is in the tab order (roving tabindex).
 */
(function () {
  "use strict";

  function setup(picker) {
    var svg = picker.querySelector("svg.seat-plan");
    if (!svg) return;
    var max = parseInt(picker.dataset.max || "10", 10);
    var inputName = picker.dataset.inputName || "seat";
    var form = picker.closest("form");
    var live = picker.querySelector(".seat-live");
    var list = picker.querySelector(".seat-chosen");
    var texts = picker.dataset;
    var rows = Array.prototype.slice.call(svg.querySelectorAll(".seat-row"));

    function seats(row) { return Array.prototype.slice.call(row.querySelectorAll(".seat")); }
    function say(text) { if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 30); } }
    function chosen() { return Array.prototype.slice.call(svg.querySelectorAll('.seat[aria-checked="true"]')); }
    // The accessible name ends with ", <state>"; the first three parts say where it is.
    function baseName(seat) { var label = seat.getAttribute("aria-label"); return label.slice(0, label.lastIndexOf(",")); }
    function shortName(seat) { return baseName(seat).split(",").slice(0, 3).join(","); }

    function focusSeat(seat) {
      if (!seat) return;
      svg.querySelectorAll('.seat[tabindex="0"]').forEach(function (s) { s.setAttribute("tabindex", "-1"); });
      seat.setAttribute("tabindex", "0");
      seat.focus();
      keepInView(seat);
    }

    function syncInputs() {
      if (form) {
        form.querySelectorAll('input[data-seat-input]').forEach(function (i) { i.remove(); });
      }
      if (list) list.innerHTML = "";
      chosen().forEach(function (seat) {
        if (form) {
          var input = document.createElement("input");
          input.type = "hidden"; input.name = inputName; input.value = seat.dataset.seat;
          input.setAttribute("data-seat-input", "");
          form.appendChild(input);
        }
        if (list) {
          var item = document.createElement("li");
          item.textContent = shortName(seat);
          list.appendChild(item);
        }
      });
      var count = chosen().length;
      (form || picker).querySelectorAll("[data-needs-seats]").forEach(function (b) { b.disabled = count === 0; });
      var counter = picker.querySelector(".seat-count");
      if (counter) counter.textContent = String(count);
    }

    function toggle(seat) {
      if (!seat || seat.getAttribute("aria-disabled") === "true") {
        say(texts.textUnavailable || "");
        return;
      }
      var on = seat.getAttribute("aria-checked") !== "true";
      if (on && chosen().length >= max) {
        say((texts.textMax || "").replace("{max}", max));
        return;
      }
      seat.setAttribute("aria-checked", on ? "true" : "false");
      seat.classList.toggle("seat-chosen", on);
      syncInputs();
      say((on ? texts.textChosen : texts.textUnchosen).replace("{seat}", shortName(seat)) +
          " " + (texts.textCount || "").replace("{count}", chosen().length));
    }

    function nearestIn(row, x) {
      var best = null, distance = Infinity;
      seats(row).forEach(function (seat) {
        var d = Math.abs(parseFloat(seat.dataset.x) - x);
        if (d < distance) { distance = d; best = seat; }
      });
      return best;
    }

    svg.addEventListener("keydown", function (event) {
      var seat = event.target.closest(".seat");
      if (!seat) return;
      var row = seat.closest(".seat-row");
      var inRow = seats(row);
      var at = inRow.indexOf(seat);
      var rowAt = rows.indexOf(row);
      var target = null;
      switch (event.key) {
        case "ArrowRight": target = inRow[at + 1]; break;
        case "ArrowLeft": target = inRow[at - 1]; break;
        case "Home": target = inRow[0]; break;
        case "End": target = inRow[inRow.length - 1]; break;
        case "ArrowDown": if (rows[rowAt + 1]) target = nearestIn(rows[rowAt + 1], parseFloat(seat.dataset.x)); break;
        case "ArrowUp": if (rows[rowAt - 1]) target = nearestIn(rows[rowAt - 1], parseFloat(seat.dataset.x)); break;
        case " ": case "Enter": event.preventDefault(); toggle(seat); return;
        default: return;
      }
      event.preventDefault();
      focusSeat(target);
    });

    svg.addEventListener("click", function (event) {
      if (dragged) return;
      var seat = event.target.closest(".seat");
      if (seat) { focusSeat(seat); toggle(seat); }
    });

    /* Zoom and pan: change the viewBox; drag with a pointer when zoomed in. */
    var home = svg.getAttribute("data-view").split(" ").map(parseFloat);
    var view = home.slice();
    var dragged = false, start = null;
    function apply() { svg.setAttribute("viewBox", view.map(function (n) { return n.toFixed(2); }).join(" ")); }
    function zoom(factor) {
      var cx = view[0] + view[2] / 2, cy = view[1] + view[3] / 2;
      var w = Math.min(home[2], Math.max(home[2] / 8, view[2] * factor));
      var h = w * home[3] / home[2];
      view = [cx - w / 2, cy - h / 2, w, h];
      apply();
    }
    function keepInView(seat) {
      if (view[2] >= home[2]) return;
      var box = seat.getBBox();
      var cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      if (cx < view[0] || cx > view[0] + view[2] || cy < view[1] || cy > view[1] + view[3]) {
        view[0] = cx - view[2] / 2; view[1] = cy - view[3] / 2; apply();
      }
    }
    picker.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.dataset.zoom;
        if (how === "in") zoom(0.7); else if (how === "out") zoom(1 / 0.7);
        else { view = home.slice(); apply(); }
      });
    });
    svg.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY, view: view.slice() };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!start || view[2] >= home[2]) return;
      var scale = view[2] / svg.getBoundingClientRect().width;
      var dx = event.clientX - start.x, dy = event.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 6) dragged = true;
      if (dragged) {
        view[0] = start.view[0] - dx * scale; view[1] = start.view[1] - dy * scale; apply();
      }
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
      svg.addEventListener(name, function () { start = null; window.setTimeout(function () { dragged = false; }, 0); });
    });

    /* Refresh: seats taken meanwhile are shown; a chosen one that was taken is let go. */
    var url = picker.dataset.stateUrl;
    function refresh() {
      if (!url || !window.fetch) return;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          var lost = [];
          svg.querySelectorAll(".seat").forEach(function (seat) {
            var state = data.states[seat.dataset.seat];
            if (!state) return;
            var mine = seat.getAttribute("aria-checked") === "true";
            var free = state === "free";
            if (mine && !free) {
              seat.setAttribute("aria-checked", "false");
              seat.classList.remove("seat-chosen");
              lost.push(shortName(seat));
            }
            seat.classList.remove("seat-free", "seat-held", "seat-sold", "seat-blocked", "seat-taken");
            seat.classList.add("seat-" + state);
            if (free) seat.removeAttribute("aria-disabled"); else seat.setAttribute("aria-disabled", "true");
            seat.setAttribute("aria-label", baseName(seat) + ", " + (free ? texts.textFree : texts.textTaken));
          });
          if (lost.length) {
            syncInputs();
            say((texts.textLost || "").replace("{seats}", lost.join("; ")));
          }
        })
        .catch(function () {});
    }
    if (url) window.setInterval(refresh, parseInt(picker.dataset.refreshSeconds || "20", 10) * 1000);
    var refreshButton = picker.querySelector("[data-refresh]");
    if (refreshButton) refreshButton.addEventListener("click", refresh);
    syncInputs();
  }

  document.querySelectorAll(".seat-picker").forEach(setup);
})();
