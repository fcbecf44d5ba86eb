#!/usr/bin/env bash
# Measures what a reader's first search downloads: serves a built site with
# Python's http.server (which logs every request), loads its search page with
# a query in headless Chromium, and adds up the sizes of the files fetched.
#
# Usage: benches/search-download.sh OUTPUT_DIR QUERY [BASE_PATH]
set -euo pipefail
out=$(cd "$1" && pwd); query=$2; base=${3:-/}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" 2>"$log" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
sleep 1
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --virtual-time-budget=60000 --dump-dom \
  "http://127.0.0.1:$port${base}search/?q=$query" 2>/dev/null > "$profile/dom.html"
results=$( (grep -o "class=\"search-result\"" "$profile/dom.html" || true) | wc -l)
rm -rf "$profile"
# Every file the page fetched for the search (the search page itself aside).
grep -o '"GET [^ ]*' "$log" | sed 's/"GET //' | grep "${base}pagefind/" | sort -u | while read -r path; do
  rel=${path#"$base"}; rel=${rel%%\?*}
  stat -c '%s %n' "$out/$rel"
done > "$log.files"
total=$(awk '{s+=$1} END {print s}' "$log.files")
# Pagefind's index files are gzip-compressed already; a host that gzips
# JavaScript (GitHub Pages does) sends its scripts smaller.
wire=0
while read -r size file; do
  case "$file" in
    *.js) wire=$((wire + $(gzip -9c "$file" | wc -c))) ;;
    *) wire=$((wire + size)) ;;
  esac
done < "$log.files"
echo "query '$query': $results results shown; $(wc -l < "$log.files") files fetched, $((total / 1024)) KiB as stored, $((wire / 1024)) KiB over the wire with gzipped JavaScript"
sort -rn "$log.files" | head -5 | awk '{printf "  %7d bytes  %s\n", $1, $2}'
rm -f "$log.files"
