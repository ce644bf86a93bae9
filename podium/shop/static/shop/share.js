// Sharing a production: the phone's own share sheet where the browser has one
// (Web Share API), and "copy link" to the clipboard; the plain links work without it.
(function () {
  "use strict";
  document.querySelectorAll(".share[data-share-url]").forEach(function (box) {
    var url = box.dataset.shareUrl;
    var title = box.dataset.shareTitle || document.title;
    var feedback = box.querySelector(".share-feedback");
    var native = box.querySelector(".share-native");
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
    var copy = box.querySelector(".share-copy");
    if (copy && navigator.clipboard) {
      copy.addEventListener("click", function (event) {
        event.preventDefault();
        navigator.clipboard.writeText(url).then(function () {
          if (feedback) feedback.textContent = copy.dataset.copied || "✓ " + url;
        });
      });
    }
  });
})();
