#!/usr/bin/env bash
# The performance budget (issue 37): measures every figure in
# benches/budgets.toml for the working tree and for a baseline commit, in
# the same run, and prints a Markdown table: figure, now, baseline, budget,
# within budget.
#
#   benches/budget.sh [--baseline REF] [--quick]
#
#   --baseline REF  the commit to compare with. Default: the last commit that
#                   changed crates/, src/ or Cargo.{toml,lock} when the working
#                   tree changes them, else the one before it (HEAD~1 if none).
#   --quick         3 runs at 10,000 articles (not 5), no 100,000-article
#                   builds, 2 serve runs (not 5), 4 photo articles (not 8), a
#                   5,000-post import (not 20,000), 5 s load runs (not 10 s).
#
# What it runs, each for both binaries, alternating which goes first:
#   - 10,000 articles (benches/corpus.sh): the default build (search on) and
#     search off, empty output and cache each time, and the floor
#     (examples/floor.rs), interleaved, median of 5;
#   - 100,000 articles: the same, once each;
#   - benches/serve-rebuild.sh at 10,000 articles, once per run;
#   - benches/photos.sh on a small set (no Hugo), its first build's cost per
#     photo;
#   - `import wordpress` of benches/import-wxr.py's export;
#   - benches/reactions.sh (wrk against the counter).
#
# The working tree is built with `cargo build --release` (target/); the
# baseline from a git worktree in /tmp into its own target folder
# ($BUDGET_TARGET_DIR, default /tmp/broadsheet-budget-target), and its
# binaries (broadsheet and the floor, which is timed once for both) are kept
# by commit in /tmp/broadsheet-budget/bin/, so a second run builds nothing
# again. Every cargo command waits for /tmp/cargo.lock (one build at a time on
# this machine).
#
# A benchmark, not a test: it exits 0 when figures are over budget, and 1 only
# when something could not be measured (a build or a script failed; its log is
# named). Work folders: /tmp/broadsheet-budget (binaries, logs, the import),
# $WORK (corpora and outputs, default /tmp/broadsheet-bench, shared with the
# other scripts), /tmp/photo-bench. Environment: RUNS (builds at 10,000),
# SERVE_RUNS, BIG_ARTICLES (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."

baseline_ref=""; quick=""
while [ $# -gt 0 ]; do
  case $1 in
    --baseline) baseline_ref=${2:?--baseline needs a git ref}; shift 2 ;;
    --baseline=*) baseline_ref=${1#--baseline=}; shift ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "budget.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

tmp=/tmp/broadsheet-budget
work=${WORK:-/tmp/broadsheet-bench}
target=${BUDGET_TARGET_DIR:-/tmp/broadsheet-budget-target}
big=${BIG_ARTICLES:-100000}
if [ -n "$quick" ]; then
  runs=${RUNS:-3}; serve_runs=${SERVE_RUNS:-2}; photo_articles=4; posts=5000; load=5s
else
  runs=${RUNS:-5}; serve_runs=${SERVE_RUNS:-5}; photo_articles=8; posts=20000; load=10s
fi
mkdir -p "$tmp/logs" "$tmp/bin" "$work"
# One budget run at a time: two would share the machine and these folders.
exec 9>"$tmp/run.lock"
flock -n 9 || { echo "budget.sh: waiting for another budget run to end ..." >&2; flock 9; }
# ensure_corpus and ensure_search_site, which set $corpus and $site_on.
corpus=""; site_on=""
# shellcheck source=benches/corpus.sh
. benches/corpus.sh
logs=$tmp/logs
results=$tmp/results.tsv   # key, who (now/base), value
: >"$results"
rm -f "$logs"/*

say() { echo "budget: $*" >&2; }
cargo_locked() { flock /tmp/cargo.lock cargo "$@"; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$results"; }
median() { sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'; }
# not_measured WHAT LOG: notes a failure (the run goes on without the figure).
not_measured() { say "could not measure $1; see $2"; tail -n 5 "$2" 2>/dev/null | sed 's/^/    /' >&2 || true; }

# --- The two binaries ------------------------------------------------------
code=(crates src Cargo.toml Cargo.lock)
if [ -z "$baseline_ref" ]; then
  last=$(git log -1 --format=%H -- "${code[@]}")
  if [ -n "$(git status --porcelain -- "${code[@]}")" ]; then
    baseline_ref=$last          # the code as committed, against its changes
  else
    baseline_ref=$(git log -1 --format=%H "$last~1" -- "${code[@]}" 2>/dev/null || true)
  fi
  baseline_ref=${baseline_ref:-HEAD~1}
fi
base=$(git rev-parse --verify --quiet "$baseline_ref^{commit}") ||
  { echo "budget.sh: $baseline_ref is not a commit" >&2; exit 2; }
base_label="$(git log -1 --format=%h "$base") ($(git log -1 --format=%s "$base" | awk '{print (length($0) > 60 ? substr($0, 1, 59) "…" : $0)}'))"
now_label="working tree at $(git rev-parse --short HEAD)"
[ -z "$(git status --porcelain -- "${code[@]}")" ] || now_label+=" with uncommitted changes"

say "building the working tree (cargo build --release) ..."
cargo_locked build --release --quiet >"$logs/build-now.log" 2>&1 ||
  { not_measured "anything: the working tree does not build" "$logs/build-now.log"; exit 1; }
# A copy: someone else's build may replace target/release/broadsheet mid-run.
mkdir -p "$tmp/bin/now"
cp target/release/broadsheet "$tmp/bin/now/broadsheet"

cached=$tmp/bin/$base
if [ -x "$cached/broadsheet" ] && [ -x "$cached/floor" ]; then
  say "baseline $base_label: built before, in $cached"
else
  say "building the baseline $base_label in $target (first time for this commit) ..."
  worktree=$tmp/worktree-$base
  [ -d "$worktree" ] || git worktree add --detach "$worktree" "$base" >/dev/null
  (cd "$worktree" && CARGO_TARGET_DIR=$target cargo_locked build --release --locked --quiet \
     --bin broadsheet --example floor) >"$logs/build-base.log" 2>&1 ||
    { not_measured "anything: the baseline does not build" "$logs/build-base.log"; exit 1; }
  mkdir -p "$cached"
  cp "$target/release/broadsheet" "$cached/broadsheet.new"
  cp "$target/release/examples/floor" "$cached/floor"
  mv "$cached/broadsheet.new" "$cached/broadsheet"
  git worktree remove --force "$worktree"
fi
declare -A bin=([now]=$tmp/bin/now/broadsheet [base]=$cached/broadsheet)
floor=$cached/floor
# order ROUND: which binary goes first in a round (alternating).
order() { if [ $(($1 % 2)) -eq 1 ]; then echo now base; else echo base now; fi; }

# timed LOG OUTPUT CMD...: runs CMD once into an emptied OUTPUT (removed
# afterwards too: disk is short), prints "seconds peak_kib"; fails when CMD does.
timed() {
  local log=$1 out=$2; shift 2
  rm -rf "$out"
  sync
  /usr/bin/time -o "$log.time" -f "%e %M" "$@" >"$log" 2>&1 || return 1
  rm -rf "$out"
  tail -n 1 "$log.time"
}

# builds N KEY_PREFIX ROUNDS: the default build, search off and the floor on
# the N-article corpus, ROUNDS interleaved rounds; records the medians (and
# the default build's highest peak memory, in MB).
builds() {
  local n=$1 prefix=$2 rounds=$3 r who line
  ensure_corpus "$n" "$work" >&2
  ensure_search_site "$n" "$work"
  local off=$corpus on=$site_on out=$work/budget-out-$n avail
  # One output at a time (each is removed after its run): ~80 KB an article.
  avail=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
  if [ "$avail" -lt $((n * 80)) ]; then
    say "could not measure $prefix: $((avail / 1024)) MiB free in $work, want $((n * 80 / 1024))"
    return
  fi
  : >"$tmp/$prefix.runs"
  for r in $(seq "$rounds"); do
    if line=$(timed "$logs/$prefix-floor-$r.log" "$out" "$floor" "$off/content" "$out"); then
      printf 'floor\tfloor\t%s\n' "$line" >>"$tmp/$prefix.runs"
    else not_measured "the floor" "$logs/$prefix-floor-$r.log"; fi
    for who in $(order "$r"); do
      rm -rf "$off/.broadsheet-cache" "$on/.broadsheet-cache"
      if line=$(timed "$logs/$prefix-off-$who-$r.log" "$out" "${bin[$who]}" build --root "$off" --output "$out"); then
        printf 'search_off\t%s\t%s\n' "$who" "$line" >>"$tmp/$prefix.runs"
      else not_measured "$prefix search off ($who)" "$logs/$prefix-off-$who-$r.log"; fi
      if line=$(timed "$logs/$prefix-on-$who-$r.log" "$out" "${bin[$who]}" build --root "$on" --output "$out"); then
        printf 'default\t%s\t%s\n' "$who" "$line" >>"$tmp/$prefix.runs"
      else not_measured "$prefix default build ($who)" "$logs/$prefix-on-$who-$r.log"; fi
    done
    say "$prefix round $r of $rounds: $(awk '{a[$1 " " $2] = $3} END {for (k in a) printf "%s %s s; ", k, a[k]}' "$tmp/$prefix.runs")"
  done
  rm -rf "$on/.broadsheet-cache" "$off/.broadsheet-cache"
  local kind m
  for who in now base; do
    for kind in default search_off; do
      m=$(awk -v k="$kind" -v w="$who" '$1 == k && $2 == w {print $3}' "$tmp/$prefix.runs" | median)
      [ -z "$m" ] || record "$prefix.$kind" "$who" "$m"
    done
    m=$(awk '$1 == "floor" {print $3}' "$tmp/$prefix.runs" | median)
    [ -z "$m" ] || record "$prefix.floor" "$who" "$m"
    m=$(awk -v w="$who" '$1 == "default" && $2 == w {print $4}' "$tmp/$prefix.runs" | sort -n | tail -n 1)
    [ -z "$m" ] || record "$prefix.default_peak" "$who" "$((m * 1024 / 1000000))"
  done
}

# ms LINE: the time in serve's "... in X ms" (or "in X s") line, in ms.
ms() { sed -n 's/.* in \([0-9.]*\) \(m\{0,1\}s\).*/\1 \2/p' <<<"$1" | awk '{print ($2 == "s") ? $1 * 1000 : $1}'; }

serve() {
  local r who log
  : >"$tmp/serve.runs"
  for r in $(seq "$serve_runs"); do
    for who in $(order "$r"); do
      log=$logs/serve-$who-$r.log
      if BROADSHEET=${bin[$who]} benches/serve-rebuild.sh 10000 1 "$work" >"$log" 2>&1; then
        printf 'headline\t%s\t%s\n' "$who" "$(ms "$(grep -m1 '^headline, newest story:' "$log")")" >>"$tmp/serve.runs"
        while IFS= read -r line; do
          printf 'body\t%s\t%s\n' "$who" "$(ms "$line")" >>"$tmp/serve.runs"
        done < <(grep '^body, ' "$log")
      else not_measured "serve ($who)" "$log"; fi
    done
    say "serve run $r of $serve_runs: $(awk '$1 == "headline" {a[$2] = $3} END {for (k in a) printf "%s headline %s ms; ", k, a[k]}' "$tmp/serve.runs")"
  done
  local m
  for who in now base; do
    m=$(awk -v w="$who" '$1 == "headline" && $2 == w && $3 != "" {print $3}' "$tmp/serve.runs" | sort -n | tail -n 1)
    [ -z "$m" ] || record serve.headline_first "$who" "$m"
    m=$(awk -v w="$who" '$1 == "body" && $2 == w && $3 != "" {print $3}' "$tmp/serve.runs" | sort -n | tail -n 1)
    [ -z "$m" ] || record serve.body "$who" "$m"
  done
}

photos() {
  local who log per
  for who in $(order 1); do
    log=$logs/photos-$who.log
    if BROADSHEET=${bin[$who]} NO_HUGO=1 RUNS=1 benches/photos.sh "$photo_articles" /tmp/photo-bench >"$log" 2>&1; then
      per=$(sed -n 's/^Encode cost: .* = \([0-9.]*\) ms per photo .*/\1/p' "$log")
      if [ -n "$per" ]; then record photos.per_photo "$who" "$(awk -v m="$per" 'BEGIN {print m / 1000}')"
      else not_measured "photos ($who): no 'Encode cost' line" "$log"; fi
    else not_measured "photos ($who)" "$log"; fi
  done
}

import_posts() {
  local export=$tmp/wxr-$posts.xml who line
  if [ ! -f "$export" ]; then
    say "writing a $posts-post WordPress export ..."
    python3 benches/import-wxr.py "$posts" >"$export.new" && mv "$export.new" "$export"
  fi
  for who in $(order 1); do
    if line=$(timed "$logs/import-$who.log" "$tmp/import-site" "${bin[$who]}" import wordpress "$export" --into "$tmp/import-site"); then
      record import.per_1000 "$who" "$(awk -v s="${line% *}" -v n="$posts" 'BEGIN {print s * 1000 / n}')"
      record import.peak "$who" "$(( ${line#* } * 1024 / 1000000 ))"
    else not_measured "import ($who)" "$logs/import-$who.log"; fi
  done
}

counter() {
  local who log v
  for who in $(order 2); do
    log=$logs/counter-$who.log
    if BROADSHEET=${bin[$who]} DURATION=$load benches/reactions.sh >"$log" 2>&1; then
      v=$(awk -F'|' '$2 == " GET requests/s " {print $3 + 0}' "$log"); [ -z "$v" ] || record counter.get "$who" "$v"
      v=$(awk -F'|' '$2 == " POST requests/s " {print $3 + 0}' "$log"); [ -z "$v" ] || record counter.post "$who" "$v"
    else not_measured "the counter ($who)" "$log"; fi
  done
}

started=$(date +%s)
say "now: $now_label; baseline: $base_label; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "10,000 articles, $runs interleaved rounds ..."; builds 10000 build10k "$runs"
if [ -z "$quick" ]; then say "$big articles, one round ..."; builds "$big" build100k 1; fi
say "serve, $serve_runs runs each ..."; serve
say "photos, $photo_articles articles ..."; photos
say "import, $posts posts ..."; import_posts
say "the counter, $load load runs ..."; counter
rm -rf "$tmp/import-site"

# --- The table ---------------------------------------------------------------
status=0
python3 - benches/budgets.toml "$results" "$quick" "$big" <<'EOF' | tee "$tmp/table.md" || status=$?
import sys, tomllib
budgets, results, quick, big = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
with open(budgets, "rb") as f:
    figures = tomllib.load(f)["figure"]
got = {}
for line in open(results):
    key, who, value = line.rstrip("\n").split("\t")
    got[key, who] = float(value)
ops = {"<": float.__lt__, "<=": float.__le__, ">=": float.__ge__}

def value(fig, who):
    if fig["compare"] == "ratio":
        a, b = got.get((fig["of"], who)), got.get((fig["to"], who))
        return a / b if a is not None and b else None
    return got.get((fig["key"], who))

def show(v, unit):
    if v is None:
        return "-"
    if unit in ("ms", "MB", "requests/s"):
        return f"{v:,.0f} {unit}"
    return f"{v:.2f}{'×' if unit == 'x' else ' ' + unit}"

missing = 0
print("| figure | now | baseline | change | budget | within budget |")
print("|---|---|---|---|---|---|")
for fig in figures:
    now, base = value(fig, "now"), value(fig, "base")
    if quick and fig["key"].startswith("build100k"):
        continue
    if now is None:
        missing += 1
    change = f"{(now / base - 1) * 100:+.0f}%" if now is not None and base else ""
    if "budget" in fig:
        budget = f"{fig['op'].replace('<=', '≤').replace('>=', '≥')} {show(float(fig['budget']), fig['unit'])}"
        within = "not measured" if now is None else \
            "yes" if ops[fig["op"]](now, float(fig["budget"])) else "**no**"
    else:
        budget, within = "", ""
    label = fig["label"]
    if fig["key"].startswith("build100k") and big != "100000":
        label = label.replace("100k", f"{int(big):,} articles")
    print(f"| {label} | {show(now, fig['unit'])} | {show(base, fig['unit'])} | {change} | {budget} | {within} |")
if quick:
    print("\n(--quick: no 100,000-article builds.)")
sys.exit(1 if missing else 0)
EOF
echo
echo "now: $now_label; baseline: $base_label; $(nproc) cores; $(date -u '+%F %H:%M UTC');" \
  "$([ -n "$quick" ] && echo "--quick; ")$(( ($(date +%s) - started) / 60 )) min of measuring." \
  "Logs: $logs; figures: $results; budgets: benches/budgets.toml."
exit "$status"
