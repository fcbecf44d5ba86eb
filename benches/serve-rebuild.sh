#!/usr/bin/env bash
# Times `serve` rebuilds on a synthetic corpus: starts `broadsheet serve` on
# a copy of it, saves articles the way a writer does, and prints the line
# serve itself prints after each rebuild ("rebuilt 1 article (N pages) in
# X ms": from the debounced change to the new pages being served).
#
#   benches/serve-rebuild.sh [ARTICLES=10000] [RUNS=1] [WORK=/tmp/broadsheet-bench]
#
# Each run starts a fresh serve and saves, in order: a headline edit to the
# newest story (its card is on the front page, its section's pages and
# every story in its section's "More in"; it is in every feed it belongs
# to); body edits to the newest story, to a story from the middle of the
# archive and to the oldest; the headline again; a dek edit; then a
# template edit (a full re-render, no Markdown parsed again) and a date
# change (a full build). With several runs, a last line sums up the
# newest story's headline saves, the worst case.
#
# Environment: BROADSHEET (the binary to time; when set, nothing is built;
# default target/release/broadsheet, built first), BROADSHEET_TIMINGS.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; runs=${2:-1}; work=${3:-/tmp/broadsheet-bench}
. benches/corpus.sh
ensure_corpus "$n" "$work"
bin=${BROADSHEET:-target/release/broadsheet}
[ -n "${BROADSHEET:-}" ] || cargo build --release --quiet --bin broadsheet

site="$work/serve-site"
log=$(mktemp)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -f "$log"' EXIT

# wait_for TEXT BEFORE: waits until the log has more than BEFORE lines
# containing TEXT, then prints the last one.
seen() { grep -c "$1" "$log" || true; }
wait_for() {
  local before=$2
  for _ in $(seq 600); do
    if [ "$(seen "$1")" -gt "$before" ]; then
      grep "$1" "$log" | tail -n 1
      return
    fi
    sleep 0.1
  done
  echo "timed out waiting for '$1'"; cat "$log"; exit 1
}

# save LABEL FILE PYTHON-EXPR: rewrites FILE with text = EXPR(text), then
# prints serve's report of the rebuild.
save() {
  local label=$1 file=$2 expr=$3 before
  sleep 0.5
  before=$(seen rebuilt)
  python3 -c "import os, re, sys; p = sys.argv[1]; text = open(p).read() if os.path.exists(p) else ''; open(p, 'w').write($expr)" "$file"
  printf '%-34s %s\n' "$label" "$(wait_for rebuilt "$before")"
}

first=(); again=()
for run in $(seq "$runs"); do
  rm -rf "$site"
  mkdir -p "$site"
  cp -r "$corpus/content" "$corpus/site.toml" "$site/"
  sync  # the copy's writeback would compete with the timings
  : >"$log"
  BROADSHEET_TIMINGS=${BROADSHEET_TIMINGS:-} "$bin" serve --root "$site" --port 0 >"$log" 2>&1 &
  server=$!
  wait_for "Serving at" 0 >/dev/null
  echo "run $run: $(grep '^built' "$log")   ($n articles, $(nproc) cores, $(date -u +%F))"

  # The newest, a middle and the oldest article by date.
  mapfile -t picks < <(python3 - "$site/content" <<'EOF'
import pathlib, re, sys
dated = []
for p in pathlib.Path(sys.argv[1]).rglob("*.md"):
    m = re.search(r'^date = (\S+)', p.read_text(), re.M)
    if m:
        dated.append((m.group(1), str(p)))
dated.sort()
print(dated[-1][1]); print(dated[len(dated) // 2][1]); print(dated[0][1])
EOF
  )
  line=$(save "headline, newest story:" "${picks[0]}" 'text.replace("title = \"", "title = \"Updated: ", 1)')
  echo "$line"; first+=("$(awk '{print $(NF-1)}' <<<"$line")")
  save "body, newest story:" "${picks[0]}" 'text + "\nA sentence added by the benchmark.\n"'
  save "body, story from the middle:" "${picks[1]}" 'text + "\nA sentence added by the benchmark.\n"'
  save "body, oldest story:" "${picks[2]}" 'text + "\nA sentence added by the benchmark.\n"'
  line=$(save "headline again, newest story:" "${picks[0]}" 'text.replace("title = \"Updated: ", "title = \"", 1)')
  echo "$line"; again+=("$(awk '{print $(NF-1)}' <<<"$line")")
  save "dek, story from the middle:" "${picks[1]}" 'text.replace("summary = \"", "summary = \"Now: ", 1)'
  mkdir -p "$site/templates"
  save "template (full re-render):" "$site/templates/article.html" \
    'open("templates/article.html").read().replace("{% block content %}", "{% block content %}<!-- edited -->", 1)'
  save "date moved (full build):" "${picks[1]}" 're.sub(r"^date = (\d{4})", lambda m: "date = " + str(int(m.group(1)) - 1), text, count=1, flags=re.M)'
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done

if [ "$runs" -gt 1 ]; then
  summary() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
      under = 0; for (i = 1; i <= NR; i++) if (a[i] < 100) under++
      printf "min %d, median %d, max %d ms; %d of %d under 100 ms", a[1], a[int((NR+1)/2)], a[NR], under, NR }'
  }
  echo "newest story's headline, first save after start: $(summary "${first[@]}")"
  echo "newest story's headline, saved again:             $(summary "${again[@]}")"
fi
