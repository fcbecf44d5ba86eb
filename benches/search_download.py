#!/usr/bin/env python3
"""Measures what a reader's first search downloads, for benches/search.sh.

    benches/search_download.py SITE_DIR PAGE QUERY [--count PREFIX]... [--tsv FILE]

Serves SITE_DIR on 127.0.0.1 (a threaded http.server that records every
request), opens PAGE?q=QUERY (PAGE like /search/ or /pfbench.html) in a
fresh headless Chromium driven by chromedriver, waits until the results are
on screen and the network has been quiet for a second, and adds up the
files fetched after the page itself, each counted once with its query string
(`?v=...`) stripped.

Over the wire means as GitHub Pages serves it: text types (.js, .json, .html,
.css, .txt) at their `gzip -9` size, anything else (Pagefind's index files
are gzipped already; images, wasm) as stored.

"Search files" are those under a --count prefix (e.g. `_search/`,
`js/search.js`, `pagefind/`); the rest fetched after the page (stylesheet,
other scripts, images) are reported apart as "other". Without --count every
file but the page counts as search.

When the results are on screen: an element with `data-search-state` set to
`done` (or `error`) if the page has one (the Pagefind harness page sets it on
<body>; Broadsheet's search page should, see search.sh); else Broadsheet's
current markup: `.search-status` says something other than "Searching…" and
either `li.search-result` items are shown or the status says none match.

Without chromedriver, falls back to `chromium --dump-dom` with a virtual time
budget (results are then detected in the dumped DOM only).
"""
import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

TEXT_TYPES = (".js", ".mjs", ".json", ".html", ".htm", ".css", ".txt")
CHROME_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1280,900",
]

# Evaluated in the page until it returns a non-null value: the results state.
WAIT_JS = r"""
const marked = document.querySelector('[data-search-state]');
if (marked) {
  const state = marked.getAttribute('data-search-state');
  if (state !== 'done' && state !== 'error') return null;
  const shown = marked.getAttribute('data-shown');
  return {how: 'data-search-state', state: state,
          total: marked.getAttribute('data-total'),
          shown: shown !== null ? Number(shown) : document.querySelectorAll('li.search-result').length,
          error: marked.getAttribute('data-error') || ''};
}
const status = document.querySelector('.search-status');
const text = status ? status.textContent.trim() : '';
if (!text || text.startsWith('Searching')) return null;
const shown = document.querySelectorAll('li.search-result').length;
const none = /^No stories|not available/.test(text);
// search.js sets data-ms on the status line once the results are shown.
if (!status.hasAttribute('data-ms') && !shown && !none) return null;
let total = (text.match(/(\d+) stor/) || [null, none ? '0' : null])[1];
if (total !== null && /^At least/.test(text)) total = 'at least ' + total;
return {how: '.search-status', state: /not available/.test(text) ? 'error' : 'done',
        total: total, shown: shown, error: ''};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder(http.server.SimpleHTTPRequestHandler):
    requests = None  # set per server: list of (time, path, status)
    lock = threading.Lock()

    def log_request(self, code="-", size="-"):
        with self.lock:
            self.requests.append((time.monotonic(), self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, *args):
        pass

    def end_headers(self):
        # Every run is a first visit: nothing may come from a cache.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(site):
    handler = type("Handler", (Recorder,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()),
                                             functools.partial(handler, directory=site))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler.requests


def webdriver(port, method, path, body=None, timeout=120):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)["value"]


def wait_quiet(requests, quiet=1.0, limit=30.0):
    """Until no request has arrived for `quiet` seconds (or `limit`)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        last = requests[-1][0] if requests else start
        if time.monotonic() - last >= quiet:
            return
        time.sleep(0.1)


def with_chromedriver(driver, url, requests, timeout):
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="chromedriver-", suffix=".log", delete=False)
    proc = subprocess.Popen([driver, f"--port={port}"], stdout=log, stderr=subprocess.STDOUT)
    session = None
    try:
        for _ in range(100):
            try:
                webdriver(port, "GET", "/status", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        options = {"args": CHROME_ARGS}
        if os.environ.get("CHROME_BIN"):
            options["binary"] = os.environ["CHROME_BIN"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options,
                                                 "pageLoadStrategy": "normal"}}}
        session = webdriver(port, "POST", "/session", caps)["sessionId"]
        throttle = os.environ.get("THROTTLE")
        if throttle:
            # A mid-range phone: Chromium's CPU throttling, as Lighthouse's mobile profile.
            webdriver(port, "POST", f"/session/{session}/goog/cdp/execute",
                      {"cmd": "Emulation.setCPUThrottlingRate", "params": {"rate": float(throttle)}})
        webdriver(port, "POST", f"/session/{session}/url", {"url": url})
        deadline = time.monotonic() + timeout
        result = None
        while time.monotonic() < deadline:
            result = webdriver(port, "POST", f"/session/{session}/execute/sync", {"script": WAIT_JS, "args": []})
            if result:
                break
            time.sleep(0.1)
        if not result:
            result = {"how": "timeout", "state": "timeout", "total": None, "shown": 0, "error": f"no results after {timeout} s"}
        wait_quiet(requests)
        # search.js notes how long the search took, from the query to the
        # results shown (fetches included).
        ms = webdriver(port, "POST", f"/session/{session}/execute/sync", {
            "script": "const s = document.querySelector('.search-status'); "
                      "return s && [s.getAttribute('data-ms'), s.getAttribute('data-busy-ms')];",
            "args": []})
        if ms and ms[0] is not None:
            result["ms"] = int(ms[0])
            if ms[1] is not None:
                result["busy_ms"] = int(ms[1])
        return result
    finally:
        if session:
            try:
                webdriver(port, "DELETE", f"/session/{session}", timeout=30)
            except OSError:
                pass
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)


def with_dump_dom(chrome, url, requests, timeout):
    profile = tempfile.mkdtemp(prefix="search-bench-profile-")
    try:
        dom = subprocess.run([chrome, *CHROME_ARGS, f"--user-data-dir={profile}",
                              f"--virtual-time-budget={timeout * 1000}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=timeout + 60).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    wait_quiet(requests)

    def attr(name):
        m = re.search(name + r'="([^"]*)"', dom)
        return m.group(1) if m else None

    state = attr("data-search-state")
    shown = int(attr("data-shown") or dom.count('class="search-result"'))
    total = attr("data-total")
    if state is None:
        m = re.search(r'class="search-status"[^>]*>(?:At least )?(\d+) stor', dom)
        total = m.group(1) if m else ("0" if "No stories match" in dom else None)
        state = "done" if shown > 0 or total == "0" else "timeout"
    return {"how": "dump-dom", "state": state, "total": total, "shown": shown, "error": attr("data-error") or ""}


def wire_size(path):
    size = os.path.getsize(path)
    if path.lower().endswith(TEXT_TYPES):
        with open(path, "rb") as f:
            return size, len(gzip.compress(f.read(), 9, mtime=0))
    return size, size


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site")
    ap.add_argument("page", help="the page path, e.g. /search/ or /pfbench.html")
    ap.add_argument("query")
    ap.add_argument("--count", action="append", default=[], help="a path prefix of search files (repeatable)")
    ap.add_argument("--tsv", help="append one summary line to this file")
    ap.add_argument("--label", default="")
    ap.add_argument("--timeout", type=int, default=300)
    args = ap.parse_args()
    site = os.path.realpath(args.site)
    server, requests = serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}{args.page}?q={urllib.parse.quote(args.query)}"
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    chrome = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        if driver and not os.environ.get("NO_CHROMEDRIVER"):
            result = with_chromedriver(driver, url, requests, args.timeout)
        elif chrome:
            result = with_dump_dom(chrome, url, requests, args.timeout)
        else:
            sys.exit("search_download.py: neither chromedriver nor chromium found")
    finally:
        server.shutdown()

    page = urllib.parse.unquote(args.page.split("?")[0]).lstrip("/")
    seen, search, other, missing = set(), [], [], []
    for _, raw, status in requests:
        rel = urllib.parse.unquote(urllib.parse.urlsplit(raw).path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in seen or rel == page or rel == page + "index.html" or rel == "favicon.ico":
            continue
        seen.add(rel)
        path = os.path.join(site, rel)
        if status >= 400 or not os.path.isfile(path):
            missing.append(f"{rel} ({status})")
            continue
        stored, wire = wire_size(path)
        bucket = search if not args.count or any(rel.startswith(p) for p in args.count) else other
        bucket.append((wire, stored, rel))

    def total(files, i):
        return sum(f[i] for f in files)

    label = args.label or args.page
    took = f", {result['ms']} ms from query to results" if "ms" in result else ""
    if "busy_ms" in result:
        took += f" ({result['busy_ms']} ms of it working, the rest waiting for files)"
    throttled = f" (CPU throttled x{os.environ['THROTTLE']})" if os.environ.get("THROTTLE") else ""
    print(f"{label} q={args.query!r}: {result['state']} ({result['how']}), {result['total']} matches, "
          f"{result['shown']} shown{took}{throttled}{'; ' + result['error'] if result['error'] else ''}",
          file=sys.stderr)
    print(f"  search files: {len(search)}, {total(search, 1) / 1024:.1f} KiB stored, "
          f"{total(search, 0) / 1024:.1f} KiB over the wire; other files: {len(other)}, "
          f"{total(other, 0) / 1024:.1f} KiB over the wire", file=sys.stderr)
    for wire, stored, rel in sorted(search, reverse=True)[:5]:
        print(f"    {wire:9d} B wire {stored:9d} B stored  {rel}", file=sys.stderr)
    if missing:
        print(f"  not found: {', '.join(missing[:10])}", file=sys.stderr)
    if args.tsv:
        with open(args.tsv, "a") as f:
            f.write("\t".join(str(x) for x in [
                label, args.query, result["state"], result["total"], result["shown"],
                len(search), total(search, 1), total(search, 0), len(other), total(other, 0)]) + "\n")
    return 0 if result["state"] == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
