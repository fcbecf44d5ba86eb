// Broadsheet live blogs. While the coverage is open, the page asks for the
// blog's small JSON file (live.json, written by every build) every
// data-live-poll seconds, past the browser's and GitHub Pages' caches
// (cache: "no-cache" revalidates: an unchanged file costs a 304), and puts
// the updates it does not show yet at the top of the list. It says so in a
// polite status ("3 new updates") and never scrolls. A failed request waits
// twice as long each time, up to 10 minutes; a hidden tab does not ask.
// Without JavaScript the page is complete as it was built.
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
  // A counted phrase ("3 new updates") in the page's language: its forms
  // are chosen by the browser's plural rules for <html lang>.
  function counted(key, n, english) {
    var forms = pageWords[key];
    if (!forms || typeof forms !== "object") return english;
    var category = "other";
    try { category = new Intl.PluralRules(document.documentElement.lang || undefined).select(n); } catch (e) {}
    return String(forms[category] || forms.other || english);
  }
  var section = document.querySelector("section.live[data-live-feed][data-live-open]");
  if (!section || !window.fetch || !window.JSON) return;
  var list = section.querySelector(".live-updates");
  var announce = section.querySelector(".live-announce");
  var feed = section.getAttribute("data-live-feed");
  var every = Math.max(1, parseInt(section.getAttribute("data-live-poll"), 10) || 60) * 1000;
  var MAX_WAIT = 600000;
  var wait = every;
  var asking = false;
  var timer = setTimeout(poll, wait);

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !asking) poll();
  });

  function poll() {
    timer = null;
    if (document.hidden) return; // asked again when the tab is shown
    asking = true;
    fetch(feed, { cache: "no-cache" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (live) {
        asking = false;
        wait = every;
        if (!live) return;
        show(live.updates || []);
        if (live.open) timer = setTimeout(poll, wait);
        else end();
      })
      .catch(function () {
        asking = false;
        wait = Math.min(wait * 2, MAX_WAIT);
        timer = setTimeout(poll, wait);
      });
  }

  function show(updates) {
    var fresh = updates.filter(function (u) { return !document.getElementById(u.anchor); });
    // Newest first in the file: put the oldest new one in first.
    for (var i = fresh.length - 1; i >= 0; i--) list.insertBefore(item(fresh[i]), list.firstChild);
    if (fresh.length) {
      var english = fresh.length === 1 ? "1 new update" : fresh.length + " new updates";
      announce.textContent = counted("new_updates", fresh.length, english).replace("{}", fresh.length);
    }
  }

  function end() {
    var status = section.querySelector(".live-status");
    if (status) {
      var ended = document.createElement("p");
      ended.className = "live-ended";
      ended.textContent = tr("live_ended", "This live coverage has ended") + ".";
      status.parentNode.replaceChild(ended, status);
    }
    announce.textContent = tr("live_ended", "This live coverage has ended") + ".";
  }

  function item(u) {
    var li = document.createElement("li");
    li.className = "live-update" + (u.key ? " live-key-event" : "");
    li.id = u.anchor;
    li.setAttribute("data-update", u.id);
    var time = el("p", "live-time");
    var link = document.createElement("a");
    link.href = "#" + u.anchor;
    var when = document.createElement("time");
    when.setAttribute("datetime", u.time.iso);
    when.textContent = u.time.display + (u.time.time ? tr("list_separator", ", ") + u.time.time : "");
    link.appendChild(when);
    time.appendChild(link);
    li.appendChild(time);
    if (u.title) li.appendChild(text("h3", "", u.title));
    if (u.authors && u.authors.length) li.appendChild(text("p", "live-byline", tr("by", "By") + " " + u.authors.join(tr("list_separator", ", "))));
    var body = el("div", "live-body");
    body.innerHTML = u.html; // the site's own rendered (and sanitized) Markdown
    li.appendChild(body);
    var share = el("p", "live-share");
    var own = document.createElement("a");
    own.href = u.permalink;
    own.textContent = tr("link_to_update", "Link to this update");
    var mail = document.createElement("a");
    mail.href = u.share;
    mail.textContent = tr("share_by_email", "Share by email");
    share.appendChild(own);
    share.appendChild(document.createTextNode(" · "));
    share.appendChild(mail);
    li.appendChild(share);
    return li;
  }

  function el(name, className) {
    var e = document.createElement(name);
    if (className) e.className = className;
    return e;
  }

  function text(name, className, value) {
    var e = el(name, className);
    e.textContent = value;
    return e;
  }
})();
