// Broadsheet search page: runs the query in the URL (?q=...&section=...&sort=...)
// against the Pagefind index, which is fetched in small chunks as needed.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("[name=q]");
  var section = form.querySelector("[name=section]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var bundle = form.getAttribute("data-pagefind");
  var more = document.querySelector(".search-more");
  var pagefind = null;
  // Results are shown ten at a time: each one fetches its own small excerpt
  // file, so a first search downloads little.
  var PAGE = 10;
  var pending = [];
  var shownQuery = "";

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: "/" }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function sortValue() {
    var checked = form.querySelector("[name=sort]:checked");
    return checked ? checked.value : "relevance";
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    section.value = params.get("section") || "";
    var sort = form.querySelector("[name=sort][value='" + (params.get("sort") || "relevance") + "']");
    if (sort) sort.checked = true;
  }

  function toUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (section.value) params.set("section", section.value);
    if (sortValue() !== "relevance") params.set("sort", sortValue());
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function run() {
    var query = input.value.trim();
    list.innerHTML = "";
    pending = [];
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    load().then(function (pf) {
      var options = { filters: {}, sort: {} };
      if (section.value) options.filters.section = section.value;
      if (sortValue() === "newest") options.sort.date = "desc";
      return pf.search(query, options);
    }).then(function (search) {
      if (!search) return;
      var total = search.results.length;
      status.textContent = total === 0
        ? "No stories match “" + query + "”."
        : total + (total === 1 ? " story matches" : " stories match") + " “" + query + "”.";
      pending = search.results.slice();
      shownQuery = query;
      return showMore();
    }).catch(function () {
      status.textContent = "Search is not available right now.";
    });
  }

  function showMore() {
    var next = pending.splice(0, PAGE);
    var query = shownQuery;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (results) {
      if (query !== shownQuery) return;
      show(results);
      more.hidden = pending.length === 0;
    });
  }

  function show(results) {
    results.forEach(function (data) {
      var item = document.createElement("li");
      item.className = "search-result";
      var kicker = document.createElement("p");
      kicker.className = "kicker";
      kicker.textContent = data.meta.section || "";
      var title = document.createElement("h2");
      title.className = "card-title";
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.meta.title || data.url;
      title.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "card-meta";
      if (data.meta.date) {
        var time = document.createElement("time");
        time.setAttribute("datetime", data.meta.date);
        time.textContent = data.meta.date_display || data.meta.date;
        meta.appendChild(time);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "card-dek";
      // Pagefind's excerpt is escaped text with <mark> around the matches.
      excerpt.innerHTML = data.excerpt;
      item.appendChild(kicker);
      item.appendChild(title);
      item.appendChild(meta);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  more.addEventListener("click", function () { showMore(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    toUrl();
    run();
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) return;
    toUrl();
    run();
  });
  fromUrl();
  run();
})();
