/* The basket countdown: shown every second, announced politely now and then
 * (at the start, at 5, 2 and 1 minutes, and when it runs out) to screen readers. */
(function () {
  "use strict";
  var box = document.querySelector(".countdown");
  if (!box) return;
  var end = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
  var visible = box.querySelector(".countdown-visible");
  var live = box.querySelector(".countdown-live");
  var announced = {};
  function announce(key, text) {
    if (announced[key]) return;
    announced[key] = true;
    live.textContent = text;
  }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    visible.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left === 0) {
      announce("gone", box.dataset.textGone);
      box.classList.add("countdown-gone");
      return;
    }
    var whole = Math.ceil(left / 60);
    if (!announced.start) announce("start", box.dataset.textLeft.replace("{minutes}", whole));
    [5, 2].forEach(function (mark) {
      if (left <= mark * 60 && left > (mark - 1) * 60) announce("m" + mark, box.dataset.textLeft.replace("{minutes}", mark));
    });
    if (left < 60) announce("last", box.dataset.textLast);
    window.setTimeout(tick, 1000);
  }
  tick();
})();
