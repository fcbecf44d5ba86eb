#!/usr/bin/env bash
# Output size (issue 32): how big `public/` is for N text-only stories of
# the synthetic corpus, search on (as a newsroom publishes it), by top
# folder, against GitHub Pages' 1 GB limit.
#
#   benches/size.sh [N] [WORK]     (default 10000, /tmp/broadsheet-size)
#
# Uses target/release/broadsheet (built first unless NO_CARGO=1; BIN=path
# for another binary, e.g. an older release to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
work="${2:-/tmp/broadsheet-size}"
mkdir -p "$work"
[ "${NO_CARGO:-}" = 1 ] || cargo build --release --quiet
bin="${BIN:-$PWD/target/release/broadsheet}"
corpus="$work/corpus-$n"
if [ ! -f "$corpus/site.toml" ]; then
  echo "generating $n articles in $corpus ..." >&2
  python3 benches/gen_corpus.py "$corpus" "$n"
fi
out="$work/public-$n"
"$bin" build --root "$corpus" --output "$out" --force | tail -2
total=$(du -sb "$out" | cut -f1)
files=$(find "$out" -type f | wc -l)
# What a host counts (GitHub Pages' artifact, a bucket): the files' bytes,
# without the folders' own blocks that du adds.
bytes=$(find "$out" -type f -printf '%s\n' | paste -sd+ | bc)
printf '%d stories: %.1f MB of files (%.1f MiB)\n' "$n" "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)"
printf '\n%d stories: %.1f MiB in %d files (GitHub Pages limit 1,000 MB: %s)\n' "$n" \
  "$(echo "$total / 1048576" | bc -l)" "$files" "$([ "$total" -le 1000000000 ] && echo fits || echo OVER)"
printf '| folder | MiB | files |\n|---|---|---|\n'
for d in "$out"/*/; do
  name=$(basename "$d")
  printf '| %s/ | %.1f | %d |\n' "$name" "$(echo "$(du -sb "$d" | cut -f1) / 1048576" | bc -l)" "$(find "$d" -type f | wc -l)"
done | sort -t'|' -k3 -rn | head -8
