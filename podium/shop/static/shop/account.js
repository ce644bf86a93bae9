// The wish list's "Copy link" button: shown only where the clipboard can be used.
(function () {
  "use strict";
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    if (!input || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) {
          status.textContent = button.dataset.copied;
        }
      }, function () {
        input.select();
      });
    });
  });
})();
