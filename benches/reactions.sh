#!/usr/bin/env bash
# The reactions counter under load (issue 20): requests per second for
# reading counts (GET) and for votes (POST, each from a new reader), with
# wrk on 127.0.0.1, against `broadsheet reactions serve` (release build);
# then reading counts again while another address (127.0.0.2) holds 1,100
# idle connections, topped up every second (issue 29).
#
#   benches/reactions.sh
#
# Environment:
#   DURATION=10s       how long each wrk run lasts
#   CONNECTIONS=64     open connections
#   ARTICLES=100       articles in the site counted (votes are spread over them)
#   HELD=1100          idle connections the other address keeps asking for
#   NO_CARGO=1         use target/release/broadsheet as it is
#   BROADSHEET         the binary to load (when set, nothing is built)
#
# wrk (Debian's package; installed here when missing) is the load generator:
# one thread, so the counter keeps most of this 2-core machine. Both share
# it, so the figures are a floor for a machine with the load coming from
# elsewhere. The rate limit is raised for the run (all load comes from one
# address); everything else is as deployed: WAL, group commit, CORS, origin
# check, security headers, the connection caps (64 per address: wrk's 64
# connections are all one address may hold) and timeouts. After the POST
# run the database is exported and its counts summed, to show every
# answered vote was kept.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
ARTICLES=${ARTICLES:-100}
HELD=${HELD:-1100}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[ -n "${NO_CARGO:-}${BROADSHEET:-}" ] || cargo build --release --locked -q
bin=$(realpath "${BROADSHEET:-target/release/broadsheet}")

work=$(mktemp -d)
holder=
trap 'kill "$pid" $holder 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/site/content/news"
printf 'title = "Bench Times"\nbase_url = "https://news.example/"\n[reactions]\nendpoint = "https://counter.example/"\n' >"$work/site/site.toml"
for i in $(seq 0 $((ARTICLES - 1))); do
  printf '+++\ntitle = "Story %d"\ndate = 2026-01-01T10:00:00Z\n+++\n\nText %d.\n' "$i" "$i" >"$work/site/content/news/story-$i.md"
done
"$bin" build --root "$work/site" >/dev/null

"$bin" reactions serve --db "$work/reactions.sqlite" --site "$work/site/public" --port 0 \
  --rate-limit 1000000 --burst 1000000 >"$work/counter.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/counter.log" && break; sleep 0.1; done
url=$(sed -n 's/^reactions: listening on \(.*\)$/\1/p' "$work/counter.log")
url=${url%/}

cat >"$work/post.lua" <<'LUA'
local n = 0
local labels = {"Excited", "Happy", "In Love", "Not Sure", "Silly"}
local articles = tonumber(os.getenv("ARTICLES"))
request = function()
  n = n + 1
  local body = string.format(
    '{"id":"news/story-%d","reaction":"%s","previous":null,"reader":"bench-reader-%012d"}',
    n % articles, labels[n % 5 + 1], n)
  return wrk.format("POST", "/", {["Content-Type"] = "application/json", ["Origin"] = "https://news.example"}, body)
end
LUA

cat >"$work/hold.py" <<'PY'
# Keeps asking for HELD idle connections from 127.0.0.2: every second,
# those the counter closed are opened again. Stops after SECONDS.
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
want, until = int(sys.argv[2]), time.time() + float(sys.argv[3])
held, opened, seen_open = [], 0, 0
while time.time() < until:
    alive = []
    for s in held:
        s.setblocking(False)
        try:
            closed = s.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            closed = False
        except OSError:
            closed = True
        if closed:
            s.close()
        else:
            alive.append(s)
    held, seen_open = alive, len(alive)
    while len(held) < want:
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.connect((host, int(port)))
        held.append(s)
        opened += 1
    time.sleep(1)
print(f"{opened} connections opened from 127.0.0.2; {seen_open} of {want} still open at the last check")
PY

echo "reactions counter, $ARTICLES articles, wrk -t1 -c$CONNECTIONS -d$DURATION, $(nproc) cores"
grep "open-file limit" "$work/counter.log"
echo
echo "== GET ?id= (counts)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Origin: https://news.example" "$url/?id=news/story-1" | tee "$work/get.txt"
echo
echo "== POST (votes, each from a new reader)"
ARTICLES=$ARTICLES wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/post.lua" "$url/" | tee "$work/post.txt"
sleep 1
echo
echo "== GET ?id= while 127.0.0.2 holds $HELD idle connections"
secs=${DURATION%s}
python3 "$work/hold.py" "${url#http://}" "$HELD" $((secs + 4)) >"$work/hold.txt" &
holder=$!
sleep 2
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Origin: https://news.example" "$url/?id=news/story-1" | tee "$work/held.txt"
wait "$holder" || true
holder=
cat "$work/hold.txt"

peak=$(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
answered=$(awk '/requests in/ {print $1}' "$work/post.txt")
refused=$(awk '/Non-2xx/ {print $5}' "$work/post.txt")
counted=$("$bin" reactions export --db "$work/reactions.sqlite" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(n for a in d["counts"].values() for n in a.values()))')
echo
echo "| figure | value |"
echo "|---|---|"
echo "| GET requests/s | $(awk '/Requests\/sec/ {printf "%d", $2}' "$work/get.txt") |"
echo "| GET latency p50 / p99 | $(awk '$1=="50%" {p=$2} $1=="99%" {q=$2} END {print p " / " q}' "$work/get.txt") |"
echo "| POST requests/s | $(awk '/Requests\/sec/ {printf "%d", $2}' "$work/post.txt") |"
echo "| POST latency p50 / p99 | $(awk '$1=="50%" {p=$2} $1=="99%" {q=$2} END {print p " / " q}' "$work/post.txt") |"
echo "| POSTs answered / refused | $answered / ${refused:-0} |"
echo "| GET requests/s, $HELD connections held from 127.0.0.2 | $(awk '/Requests\/sec/ {printf "%d", $2}' "$work/held.txt") |"
echo "| GET latency p50 / p99, held | $(awk '$1=="50%" {p=$2} $1=="99%" {q=$2} END {print p " / " q}' "$work/held.txt") |"
echo "| votes in the database after | $counted |"
echo "| counter peak memory | $peak |"
echo "| database size | $(du -h "$work/reactions.sqlite" | cut -f1) |"
