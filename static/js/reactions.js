// Broadsheet reactions: progressive enhancement for the "What's your
// reaction?" block. Without an endpoint the reader's choice is kept in
// localStorage; with one, counts are fetched (GET endpoint?id=...) and a
// choice is posted (POST endpoint, JSON {id, reaction, previous, reader},
// reader being a random token kept in localStorage: one reaction per
// reader). An endpoint that does not answer within 2 seconds is given up
// on: the block works as without one.
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
  var TIMEOUT_MS = 2000;
  var blocks = document.querySelectorAll(".reactions[data-article]");
  Array.prototype.forEach.call(blocks, setup);

  function setup(block) {
    var id = block.getAttribute("data-article");
    var endpoint = block.getAttribute("data-endpoint");
    var key = "broadsheet:reaction:" + id;
    var buttons = block.querySelectorAll("button[name=reaction]");
    var status = block.querySelector(".reaction-status");
    var chosen = read(key);

    mark(chosen);
    if (endpoint) {
      var sep = endpoint.indexOf("?") === -1 ? "?" : "&";
      request(endpoint + sep + "id=" + encodeURIComponent(id));
    }
    Array.prototype.forEach.call(buttons, function (button) {
      button.type = "button";
      button.addEventListener("click", function () { choose(button.value); });
    });

    function choose(reaction) {
      if (reaction === chosen) return;
      var previous = chosen;
      chosen = reaction;
      write(key, reaction);
      mark(reaction);
      status.textContent = tr("your_reaction_is", "Your reaction:") + " " + reaction;
      if (endpoint) post(reaction, previous, true);
    }

    // The counter keeps each reader's reaction; when it knows another one
    // than this browser does (a reaction chosen before the counter
    // existed, say), it says so and the choice is sent again from there.
    function post(reaction, previous, retry) {
      request(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: id, reaction: reaction, previous: previous, reader: reader() })
      }, function (status, body) {
        if (status === 409 && retry && body && "yours" in body) {
          if (body.yours !== reaction) post(reaction, body.yours, false);
          else if (body.counts) show(body.counts);
        }
      });
    }

    function mark(reaction) {
      Array.prototype.forEach.call(buttons, function (b) {
        b.setAttribute("aria-pressed", String(b.value === reaction));
      });
    }

    function request(url, options, answered) {
      if (!window.fetch) return;
      options = options || {};
      if (window.AbortController) {
        var controller = new AbortController();
        options.signal = controller.signal;
        setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
      }
      fetch(url, options)
        .then(function (r) {
          return r.json().then(function (body) { return [r.status, body]; }, function () { return [r.status, null]; });
        })
        .then(function (answer) {
          if (answer[0] === 200 && answer[1]) show(answer[1]);
          if (answered) answered(answer[0], answer[1]);
        })
        .catch(function () { /* counts are optional */ });
    }

    function show(counts) {
      Array.prototype.forEach.call(buttons, function (b) {
        var n = counts[b.value];
        var out = b.querySelector(".reaction-count");
        if (typeof n === "number" && out) {
          out.textContent = String(n);
          out.hidden = false;
        }
      });
    }
  }

  var token = null;
  function reader() {
    if (token) return token;
    token = read("broadsheet:reader");
    if (!token || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      token = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
      write("broadsheet:reader", token);
    }
    return token;
  }

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
})();
