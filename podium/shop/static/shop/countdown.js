/* The basket countdown. The clock is shown every second but hidden from screen
 * readers; a polite live region speaks only now and then: at the start, at each
 * whole five minutes, every minute in the last five (once each, as the minute
 * begins), at less than a minute, and
 * when the time is up. Then the lost-tickets message and the alternatives that the
 * page holds (hidden until now) are shown. */
(function () {
  "use strict";
  var box = document.querySelector(".countdown");
  if (!box) return;
  var end = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
  var visible = box.querySelector(".countdown-visible");
  var live = box.querySelector(".countdown-live");
  var lost = document.querySelector(".lost");
  var spoken = {};
  function say(key, text) {
    if (spoken[key]) return;
    spoken[key] = true;
    live.textContent = text;
  }
  function minutesLeft(minutes) {
    return box.dataset.textLeft.replace("{minutes}", minutes);
  }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    visible.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left === 0) {
      say("gone", box.dataset.textGone);
      box.classList.add("countdown-gone");
      if (lost) lost.hidden = false;
      return;
    }
    var whole = Math.ceil(left / 60);
    if (!spoken.start) {
      say("start", minutesLeft(whole));
      spoken["m" + whole] = true;
    } else if (left < 60) {
      say("last", box.dataset.textLast);
    } else if (whole <= 5 || whole % 5 === 0) {
      say("m" + whole, minutesLeft(whole));
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
