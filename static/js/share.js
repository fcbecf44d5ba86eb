// Broadsheet share button: progressive enhancement for the share links
// under an article. Where the browser has the Web Share API (phones), the
// button opens the system's share sheet; elsewhere it copies the story's
// address. Without JavaScript the button stays hidden and the plain links
// (e-mail, the networks the site lists) still work. No third-party script.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".share-button[data-url]");
  Array.prototype.forEach.call(buttons, function (button) {
    var url = button.getAttribute("data-url");
    var title = button.getAttribute("data-title") || document.title;
    var status = button.closest(".share").querySelector(".share-status");
    var canShare = typeof navigator.share === "function";
    var canCopy = navigator.clipboard && typeof navigator.clipboard.writeText === "function";
    if (!canShare && !canCopy) return;
    button.textContent = canShare ? "Share…" : "Copy link";
    button.hidden = false;
    button.addEventListener("click", function () {
      if (canShare) {
        navigator.share({ title: title, url: url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { say("Link copied."); },
        function () { say("Could not copy the link: " + url); }
      );
    });
    function say(text) {
      if (status) status.textContent = text;
    }
  });
})();
