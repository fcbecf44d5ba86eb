#!/usr/bin/env bash
# A newsroom in two languages against the same articles in one (issue 34:
# "a 10,000-article site with two languages builds within 1.2× the time of
# the same articles in one language").
#
#     benches/languages.sh [BROADSHEET_BINARY] [N_ARTICLES]
#
# Takes the synthetic corpus (benches/corpus.sh, default 10,000 articles,
# search on as a site builds by default) and makes a copy in two languages
# from the same files: in each section every second article becomes the
# French translation of the one before it (`<previous>.fr.md`, hard links,
# nothing rewritten), and site.toml gets `[languages.fr]`. So both sites
# build N articles: N in English, or N/2 in English and N/2 in French under
# /fr/, each page linked to its translation. Runs both builds ROUNDS times
# (default 5), interleaved, and prints the medians and their ratio.
#
# BROADSHEET_BINARY defaults to target/release/broadsheet (build it with
# `cargo build --release` first; the script never runs cargo). WORK
# (default /tmp/broadsheet-bench) keeps the corpus between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/broadsheet}
n=${2:-10000}
rounds=${ROUNDS:-5}
work=${WORK:-/tmp/broadsheet-bench}
[ -x "$bin" ] || { echo "languages.sh: no binary at $bin (cargo build --release)" >&2; exit 2; }
mkdir -p "$work"
corpus=""; site_on=""
# shellcheck source=benches/corpus.sh
. benches/corpus.sh
ensure_corpus "$n" "$work" >&2
ensure_search_site "$n" "$work"
one=$site_on
two=$work/corpus-$n-two-languages
rm -rf "$two"
mkdir -p "$two/content"
cp "$one/site.toml" "$two/site.toml"
printf '\n[languages.fr]\ntitle = "Le Corpus"\n' >>"$two/site.toml"
for d in static templates; do
  if [ -e "$one/$d" ]; then cp -al "$one/$d" "$two/$d"; fi
done
# Every second article of a section becomes the translation of the one before.
(cd "$one/content" && find . -type d) | while read -r dir; do mkdir -p "$two/content/$dir"; done
(cd "$one/content" && find . -type f | sort) | awk -F/ '
  { dir = $0; sub(/\/[^\/]*$/, "", dir); file = $NF }
  /\.md$/ && file != "_index.md" {
    if (dir == last_dir && pending != "") { stem = pending; sub(/\.md$/, "", stem); print $0 "\t" dir "/" stem ".fr.md"; pending = ""; next }
    last_dir = dir; pending = file
  }
  { print $0 "\t" $0 }' | while IFS=$'\t' read -r from to; do
  ln "$one/content/$from" "$two/content/$to"
done
fr=$(find "$two/content" -name '*.fr.md' | wc -l)
total=$(find "$two/content" -name '*.md' ! -name '_index*' | wc -l)
echo "one language: $n articles; two languages: $((total - fr)) in English and $fr in French" >&2

timed() {
  local out=$1; shift
  rm -rf "$out"
  sync
  /usr/bin/time -o "$out.time" -f "%e %M" "$@" >/dev/null 2>"$out.log" || { cat "$out.log" >&2; return 1; }
  rm -rf "$out"
  cat "$out.time"
}
declare -a t_one t_two
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="one two"; else order="two one"; fi
  for which in $order; do
    if [ "$which" = one ]; then site=$one; else site=$two; fi
    read -r secs kib < <(timed "$work/out-languages-$which" "$bin" build --root "$site" --output "$work/out-languages-$which")
    echo "round $round: $which language(s): ${secs} s, peak $((kib / 1024)) MiB" >&2
    if [ "$which" = one ]; then t_one+=("$secs"); else t_two+=("$secs"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
m1=$(median "${t_one[@]}"); m2=$(median "${t_two[@]}")
echo
echo "| site ($n articles, search on, median of $rounds interleaved runs) | build |"
echo "|---|---|"
echo "| one language | ${m1} s |"
echo "| two languages ($((total - fr)) + $fr, every page linked to its translation) | ${m2} s |"
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "| two languages / one | %.2f× (target ≤ 1.2×) |\n", b / a }'
