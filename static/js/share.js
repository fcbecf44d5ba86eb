// Broadsheet share button: progressive enhancement for the share links
// under an article. Where the browser has the Web Share API (phones), the
// button opens the system's share sheet; elsewhere it copies the story's
// address. Without JavaScript the button stays hidden and the plain links
// (e-mail, the networks the site lists) still work. No third-party script.
(function () {
  "use strict";
  // The page's words when the site is not in English: the script tag's
  // data-words (the phrases of the site's i18n/ file), else English.
  var pageWords = (function (script) {
    try { return JSON.parse((script && script.getAttribute("data-words")) || "{}"); } catch (e) { return {}; }
  })(typeof document !== "undefined" ? document.currentScript : null);
  function tr(key, english) {
    return typeof pageWords[key] === "string" ? pageWords[key] : english;
  }
  var buttons = document.querySelectorAll(".share-button[data-url]");
  Array.prototype.forEach.call(buttons, function (button) {
    var url = button.getAttribute("data-url");
    var title = button.getAttribute("data-title") || document.title;
    var status = button.closest(".share").querySelector(".share-status");
    var canShare = typeof navigator.share === "function";
    var canCopy = navigator.clipboard && typeof navigator.clipboard.writeText === "function";
    if (!canShare && !canCopy) return;
    button.textContent = canShare ? tr("share_native", "Share…") : tr("copy_link", "Copy link");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (canShare) {
        navigator.share({ title: title, url: url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { say(tr("link_copied", "Link copied.")); },
        function () { say(tr("copy_failed", "Could not copy the link:") + " " + url); }
      );
    });
    function say(text) {
      if (status) status.textContent = text;
    }
  });
})();
