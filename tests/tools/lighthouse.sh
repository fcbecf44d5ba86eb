#!/usr/bin/env bash
# Lighthouse audit of the demo site (site.toml + content/ at the repo root).
#
# Usage: tests/tools/lighthouse.sh [BROADSHEET_BINARY]
#
# Builds the demo into a temporary folder with --base-url pointing at the
# address it is served on, serves it on 127.0.0.1 with a small static server
# that behaves like GitHub Pages (gzip, 404.html, no directory listings,
# 301 to the trailing slash, Cache-Control: max-age=600), and runs
# Lighthouse on the front page, the first article linked from it and a
# standalone page (/about/, or else the first standalone page found), as
# mobile and as desktop. Prints a Markdown table of the scores and, for each
# category under its bar, the audits that fail. Exits 1 when Accessibility,
# Best Practices or SEO is under 100 or Performance under 98, 2 on a setup
# error.
#
# BROADSHEET_BINARY defaults to target/release/broadsheet, then
# target/debug/broadsheet; the script never runs cargo.
#
# Environment:
#   CHROME_PATH        Chromium to drive (default /usr/bin/chromium)
#   LIGHTHOUSE_DIR     where Lighthouse is installed with npm and reports are
#                      kept (default target/lighthouse, ignored by git)
#   LIGHTHOUSE_VERSION default 12.8.2 (13 needs Node 22)
#   KEEP_SITE=1        keep the built site and server log (path is printed)
#   SITE_DIR           the site to build instead of the demo (a folder with
#                      site.toml), e.g. tests/fixtures/multilingual
#   EXTRA_PAGES        more pages to audit: "name /path/" pairs separated by
#                      commas, e.g. "live /news/storm-live-marrow-county/"
set -euo pipefail

readonly PERF_BAR=98
readonly OTHER_BAR=100
readonly CATEGORIES="performance,accessibility,best-practices,seo"
readonly CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

started=$SECONDS
caller_dir=$PWD
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/../.." && pwd)

die() {
    echo "lighthouse.sh: $*" >&2
    exit 2
}

# --- the binary -------------------------------------------------------------
if [[ $# -gt 1 ]]; then
    die "usage: tests/tools/lighthouse.sh [BROADSHEET_BINARY]"
fi
if [[ $# -eq 1 ]]; then
    bin=$1
    if [[ $bin != /* ]]; then
        if [[ -x "$caller_dir/$bin" ]]; then
            bin="$caller_dir/$bin"
        else
            bin="$root/$bin"
        fi
    fi
elif [[ -x "$root/target/release/broadsheet" ]]; then
    bin="$root/target/release/broadsheet"
else
    bin="$root/target/debug/broadsheet"
fi
[[ -x $bin ]] || die "no broadsheet binary at $bin (build it first; this script does not run cargo)"

# --- tools ------------------------------------------------------------------
chrome=${CHROME_PATH:-/usr/bin/chromium}
[[ -x $chrome ]] || die "no Chromium at $chrome (apt-get install -y chromium, or set CHROME_PATH)"
command -v python3 >/dev/null || die "python3 is needed"
command -v npm >/dev/null || die "npm is needed"

lh_version=${LIGHTHOUSE_VERSION:-12.8.2}
lh_dir=${LIGHTHOUSE_DIR:-$root/target/lighthouse}
lh="$lh_dir/node_modules/.bin/lighthouse"
if [[ ! -x $lh ]] || [[ "$("$lh" --version 2>/dev/null || true)" != "$lh_version" ]]; then
    echo "Installing Lighthouse $lh_version into $lh_dir ..." >&2
    mkdir -p "$lh_dir"
    npm install --prefix "$lh_dir" --no-audit --no-fund --loglevel=error \
        "lighthouse@$lh_version" >&2 || die "npm install lighthouse@$lh_version failed"
fi

# --- temporary folder, server -----------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-lighthouse.XXXXXX")
site="$work/site"
server_pid=""
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ ${KEEP_SITE:-0} == 1 ]]; then
        echo "Kept the built site and server log in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# A static server like GitHub Pages. It binds port 0 first and writes the
# port it got, so the site can be built for exactly that address.
server_py=$(
    cat <<'PY'
import gzip, http.server, io, os, sys, urllib.parse

root, port_file = sys.argv[1], sys.argv[2]
COMPRESSIBLE = ("text/", "application/javascript", "application/json",
                "application/xml", "application/atom+xml", "application/rss+xml",
                "application/feed+json", "application/manifest+json", "image/svg+xml")

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript", ".mjs": "application/javascript",
        ".json": "application/json", ".xml": "application/xml",
        ".webmanifest": "application/manifest+json", ".wasm": "application/wasm",
        ".svg": "image/svg+xml", ".webp": "image/webp", ".avif": "image/avif",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=root, **kwargs)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def send_404(self):
        page = os.path.join(root, "404.html")
        body = open(page, "rb").read() if os.path.isfile(page) else b"Not Found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_head(self):
        parts = urllib.parse.urlsplit(self.path)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not parts.path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urllib.parse.urlunsplit(
                    ("", "", parts.path + "/", parts.query, "")))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return self.send_404()
        ctype = self.guess_type(path)
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "application/xml"):
            ctype += "; charset=utf-8"
        with open(path, "rb") as f:
            body = f.read()
        gz = (ctype.startswith(COMPRESSIBLE)
              and "gzip" in self.headers.get("Accept-Encoding", ""))
        if gz:
            body = gzip.compress(body, 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
)

python3 -c "$server_py" "$site" "$work/port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
    [[ -s "$work/port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || die "the static server did not start: $(cat "$work/server.log")"
    sleep 0.1
done
[[ -s "$work/port" ]] || die "the static server did not report its port"
port=$(<"$work/port")
base="http://127.0.0.1:$port"

# --- build --------------------------------------------------------------------
echo "Building the demo site with $bin for $base/ ..." >&2
site_dir=${SITE_DIR:-.}
(cd "$root" && "$bin" build --root "$site_dir" --output "$site" --base-url "$base/") >&2 \
    || die "broadsheet build failed"
[[ -f "$site/index.html" ]] || die "the build wrote no index.html"

# --- pages --------------------------------------------------------------------
# The first link on the front page whose target is an article.
article=""
while IFS= read -r href; do
    if [[ -f "$site${href}index.html" ]] && grep -q '<body class="kind-article"' "$site${href}index.html"; then
        article=$href
        break
    fi
done < <(grep -o 'href="/[^"]*/"' "$site/index.html" | sed -e 's/^href="//' -e 's/"$//')
[[ -n $article ]] || die "no article is linked from the front page"

standalone=""
if [[ -f "$site/about/index.html" ]]; then
    standalone=/about/
else
    found=$(grep -rl --include=index.html '<body class="kind-page"' "$site" | sort | head -n 1 || true)
    if [[ -n $found ]]; then
        standalone=${found#"$site"}
        standalone=${standalone%index.html}
        echo "NOTE: the built site has no /about/; auditing the standalone page $standalone instead."
    else
        echo "NOTE: the built site has no /about/ and no other standalone page; the standalone page is skipped."
    fi
fi

pages=("front /" "article $article")
[[ -n $standalone ]] && pages+=("page $standalone")
# More pages, as "name /path/" pairs separated by commas.
if [[ -n ${EXTRA_PAGES:-} ]]; then
    IFS=',' read -ra extra <<<"$EXTRA_PAGES"
    for entry in "${extra[@]}"; do
        entry=$(echo "$entry" | xargs)
        [[ -n $entry ]] && pages+=("$entry")
    done
fi

# --- Lighthouse -----------------------------------------------------------------
reports="$lh_dir/reports/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$reports"
runs=()
for entry in "${pages[@]}"; do
    name=${entry%% *}
    path=${entry#* }
    for form in mobile desktop; do
        preset=()
        [[ $form == desktop ]] && preset=(--preset=desktop)
        out="$reports/$name-$form"
        echo "Lighthouse: $form $base$path ..." >&2
        if ! CHROME_PATH="$chrome" "$lh" "$base$path" \
            --quiet \
            --output=json --output=html --output-path="$out" \
            --only-categories="$CATEGORIES" \
            --chrome-flags="$CHROME_FLAGS" \
            "${preset[@]}" >"$out.log" 2>&1; then
            echo "Lighthouse failed on $form $path; see $out.log" >&2
        fi
        runs+=("$name $path|$form|$out.report.json")
    done
done

# --- report -----------------------------------------------------------------------
summary_py=$(
    cat <<'PY'
import json, os, sys

perf_bar, other_bar = int(sys.argv[1]), int(sys.argv[2])
runs = [r.split("|", 2) for r in sys.argv[3:]]
cats = [("performance", "Performance"), ("accessibility", "Accessibility"),
        ("best-practices", "Best Practices"), ("seo", "SEO")]
SKIP_MODES = {"notApplicable", "manual", "informative", "error"}

def bar(cid):
    return perf_bar if cid == "performance" else other_bar

def short(v, n=160):
    s = " ".join(str(v).split())
    return s if len(s) <= n else s[: n - 1] + "…"

def describe(item):
    """One line for a details item: its node, its URL, or its fields."""
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if item.get("type") == "node":
        node = item
    bits = []
    if node:
        if node.get("selector"):
            bits.append("`%s`" % node["selector"])
        if node.get("snippet"):
            bits.append(short(node["snippet"], 200))
        if node.get("explanation"):
            bits.append("— " + short(node["explanation"], 300))
    for k, v in item.items():
        if k in ("node", "type", "subItems", "selector", "snippet", "lhId", "path",
                 "boundingRect", "nodeLabel", "explanation"):
            continue
        if isinstance(v, dict):
            if v.get("type") == "node":
                bits.append("%s=`%s`" % (k, v.get("selector", "")))
            elif "url" in v:
                bits.append("%s=%s" % (k, v["url"]))
            elif "value" in v:
                bits.append("%s=%s" % (k, short(v["value"], 120)))
            continue
        if isinstance(v, float):
            v = round(v, 1)
        if isinstance(v, (str, int, float, bool)) and v != "":
            bits.append("%s=%s" % (k, short(v, 160)))
    subs = item.get("subItems", {}).get("items", []) if isinstance(item.get("subItems"), dict) else []
    for s in subs[:3]:
        bits.append("[" + "; ".join(describe(s).split("\n")) + "]")
    return " ".join(bits) if bits else short(json.dumps(item), 200)

rows, details, failed = [], [], False
for label, form, path in runs:
    if not os.path.isfile(path):
        rows.append("| %s | %s | error | error | error | error |" % (label, form))
        details.append("### %s, %s\n\nNo report: Lighthouse failed (see %s).\n"
                       % (label, form, path.replace(".report.json", ".log")))
        failed = True
        continue
    lhr = json.load(open(path))
    if lhr.get("runtimeError"):
        details.append("### %s, %s\n\nRuntime error: %s\n"
                       % (label, form, lhr["runtimeError"].get("message")))
        failed = True
    scores = []
    for cid, cname in cats:
        cat = lhr["categories"].get(cid)
        score = cat and cat.get("score")
        if score is None:
            scores.append("n/a")
            failed = True
            continue
        s = round(score * 100)
        scores.append(str(s) if s >= bar(cid) else "**%d**" % s)
        if s >= bar(cid):
            continue
        failed = True
        lines = ["### %s, %s — %s %d (bar %d)\n" % (label, form, cname, s, bar(cid))]
        for ref in cat["auditRefs"]:
            if ref.get("group") == "hidden":
                continue
            a = lhr["audits"][ref["id"]]
            if a.get("scoreDisplayMode") in SKIP_MODES or a.get("score") is None:
                continue
            if a["score"] >= 1:
                continue
            # Performance diagnostics that pass (>= 0.9) only clutter the list.
            if cid == "performance" and a["score"] >= 0.9 and not ref.get("weight"):
                continue
            dv = (" — " + a["displayValue"]) if a.get("displayValue") else ""
            w = (" weight %s" % ref["weight"]) if ref.get("weight") else ""
            lines.append("- `%s` %s (score %s%s)%s"
                         % (a["id"], a["title"], round(a["score"], 2), w, dv))
            # Items grouped by element selector (else by their text), with counts.
            groups = {}
            for it in (a.get("details") or {}).get("items") or []:
                if not isinstance(it, dict):
                    continue
                node = it.get("node") if isinstance(it.get("node"), dict) else {}
                key = node.get("selector") or describe(it)
                groups.setdefault(key, [it, 0])[1] += 1
            for key, (it, n) in list(groups.items())[:6]:
                lines.append("  - " + ("%d× " % n if n > 1 else "") + describe(it))
            if len(groups) > 6:
                lines.append("  - … and %d more kinds of item" % (len(groups) - 6))
        warnings = lhr.get("runWarnings") or []
        for w in warnings:
            lines.append("- run warning: " + short(w, 300))
        details.append("\n".join(lines) + "\n")
    bench = lhr.get("environment", {}).get("benchmarkIndex")
    rows.append("| %s | %s | %s | %s |" % (label, form, " | ".join(scores),
                                            "" if bench is None else int(bench)))

print("| page | form factor | Performance | Accessibility | Best Practices | SEO | CPU benchmark |")
print("|---|---|---|---|---|---|---|")
print("\n".join(rows))
print()
if details:
    print("## Failing audits\n")
    print("\n".join(details))
else:
    print("Every category is at its bar (Performance >= %d, the others %d)." % (perf_bar, other_bar))
sys.exit(1 if failed else 0)
PY
)

status=0
python3 -c "$summary_py" "$PERF_BAR" "$OTHER_BAR" "${runs[@]}" || status=$?

echo
echo "Reports (JSON and HTML): $reports"
echo "Site built for $base/ by $bin; Lighthouse $lh_version; $chrome"
echo "Took $((SECONDS - started)) s."
exit "$status"
