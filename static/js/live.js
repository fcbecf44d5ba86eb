// Broadsheet live blogs. While the coverage is open, the page asks for the
// blog's small JSON file (live.json, written by every build) every
// data-live-poll seconds, past the browser's and GitHub Pages' caches
// (cache: "no-cache" revalidates: an unchanged file costs a 304), and puts
// the updates it does not show yet at the top of the list, shows an edited
// or corrected update in place (each carries a version of what it shows),
// takes away a deleted one, and keeps "Last update" and "Key events" as the
// file has them. It says so in a polite status ("3 new updates") and never
// scrolls. A failed request waits
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
        keyEvents(live.key || []);
        if (live.updated) lastUpdate(live.updated);
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
    var wanted = {};
    updates.forEach(function (u) { wanted[u.id] = true; });
    // Deleted from the blog: gone from the page too.
    Array.prototype.slice.call(list.children).forEach(function (li) {
      var id = li.getAttribute("data-update");
      if (id && !wanted[id]) list.removeChild(li);
    });
    // Edited or corrected: the update is shown again, where it was.
    updates.forEach(function (u) {
      var shown = document.getElementById(u.anchor);
      if (shown && shown.parentNode === list && shown.getAttribute("data-version") !== u.version) {
        list.replaceChild(item(u), shown);
      }
    });
    var fresh = updates.filter(function (u) { return !document.getElementById(u.anchor); });
    // Newest first in the file: put the oldest new one in first.
    for (var i = fresh.length - 1; i >= 0; i--) list.insertBefore(item(fresh[i]), list.firstChild);
    if (fresh.length) {
      var english = fresh.length === 1 ? "1 new update" : fresh.length + " new updates";
      announce.textContent = counted("new_updates", fresh.length, english).replace("{}", fresh.length);
    }
  }

  // "Key events": the key updates the file has, each a link to its place.
  function keyEvents(key) {
    var nav = section.querySelector(".live-key");
    if (!key.length) {
      if (nav) nav.parentNode.removeChild(nav);
      return;
    }
    if (!nav) {
      nav = el("nav", "live-key");
      nav.setAttribute("aria-labelledby", "live-key-heading");
      var heading = text("h3", "", tr("key_events", "Key events"));
      heading.id = "live-key-heading";
      nav.appendChild(heading);
      nav.appendChild(el("ul", ""));
      section.insertBefore(nav, announce);
    }
    var ul = nav.querySelector("ul");
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    key.forEach(function (u) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + u.anchor;
      link.appendChild(when(u.time));
      if (u.title) link.appendChild(document.createTextNode(tr("label_separator", ": ") + u.title));
      li.appendChild(link);
      ul.appendChild(li);
    });
  }

  // "Last update": the time of the newest update.
  function lastUpdate(updated) {
    var shown = section.querySelector(".live-status time");
    if (shown && shown.getAttribute("datetime") !== updated.iso) shown.parentNode.replaceChild(when(updated), shown);
  }

  function when(date) {
    var t = document.createElement("time");
    t.setAttribute("datetime", date.iso);
    t.textContent = date.display + (date.time ? tr("list_separator", ", ") + date.time : "");
    return t;
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
    li.setAttribute("data-version", u.version);
    var time = el("p", "live-time");
    var link = document.createElement("a");
    link.href = "#" + u.anchor;
    link.appendChild(when(u.time));
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
