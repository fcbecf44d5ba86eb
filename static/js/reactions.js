// Broadsheet reactions: progressive enhancement for the "What's your
// reaction?" block. Without an endpoint the reader's choice is kept in
// localStorage; with one, counts are fetched (GET endpoint?id=...) and a
// choice is posted (POST endpoint, JSON {id, reaction, previous}).
(function () {
  "use strict";
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
      status.textContent = "Your reaction: " + reaction;
      if (endpoint) {
        request(endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ id: id, reaction: reaction, previous: previous })
        });
      }
    }

    function mark(reaction) {
      Array.prototype.forEach.call(buttons, function (b) {
        b.setAttribute("aria-pressed", String(b.value === reaction));
      });
    }

    function request(url, options) {
      if (!window.fetch) return;
      fetch(url, options)
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (counts) { if (counts) show(counts); })
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

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
})();
