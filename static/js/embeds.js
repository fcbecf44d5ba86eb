// Broadsheet embeds: each embed on the page is a placeholder (the
// provider, a title, a link that opens it at the provider). This adds a
// button that swaps the placeholder for the provider's frame, in the same
// box. Nothing is requested from the provider before that click.
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
  var figures = document.querySelectorAll("figure.embed[data-embed-src]");
  Array.prototype.forEach.call(figures, function (figure) {
    var src = figure.getAttribute("data-embed-src");
    var actions = figure.querySelector(".embed-actions");
    var box = figure.querySelector(".embed-box");
    if (!/^https:\/\//.test(src) || !actions || !box) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    button.textContent = tr("show_embed", "Show it here");
    actions.insertBefore(button, actions.firstChild);
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = figure.getAttribute("data-embed-title") || tr("embedded_content", "Embedded content");
      frame.setAttribute("loading", "lazy");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      var sandbox = figure.getAttribute("data-embed-sandbox");
      if (sandbox) frame.setAttribute("sandbox", sandbox);
      var allow = figure.getAttribute("data-embed-allow");
      if (allow) frame.setAttribute("allow", allow);
      figure.replaceChild(frame, box);
      figure.classList.add("embed-loaded");
      frame.focus();
    });
  });
})();
