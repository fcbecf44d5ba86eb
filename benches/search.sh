#!/usr/bin/env bash
# Site search at scale (issue 19): Broadsheet's own search index against the
# Pagefind CLI, side by side on one synthetic corpus, in one run.
#
#   benches/search.sh [ARTICLES=10000] [WORK=/tmp/broadsheet-bench]
#
# Prints, for the corpus of ARTICLES articles (benches/corpus.sh):
#  1. `broadsheet build` time and peak memory with search off and with
#     search on (a sibling site folder, WORK/corpus-N-search, whose site.toml
#     says `[search] enabled = true` and whose content/ and static/ are hard
#     links to the corpus's), from a cold cache, and search on again with the
#     cache the first left (the search index keeps each article's analysis
#     there; the output is removed either way);
#  2. the Pagefind CLI (npm package, pinned) indexing the search-off output:
#     time and peak memory;
#  3. what a reader's first search downloads over the wire (gzip as GitHub
#     Pages serves text types; see benches/search_download.py) for a common
#     word, a rare word and a quoted two-word phrase: on Broadsheet's search
#     page, and on a harness page (pfbench.html) written beside the Pagefind
#     index that runs pagefind.search() and loads the first 10 results;
#  4. the size of each search index folder, and a markdown table of it all.
#
# Environment:
#   RUNS=1               timed builds each (median time, highest peak memory)
#   NO_CARGO=1           use target/release/broadsheet as it is
#   BROADSHEET           the binary to time (when set, nothing is built)
#   NO_PAGEFIND=1        skip the Pagefind CLI (and its download figures)
#   NO_DOWNLOAD=1        skip the browser measurements
#   PAGEFIND_VERSION     npm version of the Pagefind CLI (default 1.6.0, the
#                        version of the pagefind crate Broadsheet used)
#   PAGEFIND_DIR         where it is npm-installed (default /tmp/search-bench)
#   MIN_FREE_GIB=15      disk to keep free in WORK beside the outputs
#   MEM_CAP_GIB=12       memory (address-space) cap for every timed run, so
#                        that a run needing more stops ("did not finish under
#                        12 GiB") instead of taking the machine, which has no
#                        swap, down (PAGEFIND_CAP_GIB is read too)
#   PAGEFIND_GLOB, PAGEFIND_EXCLUDE   which pages and elements Pagefind indexes
#                        (default: article pages only, without the masthead,
#                        the related/more-in cards and reactions, so it
#                        indexes what Broadsheet's index does: headline, dek,
#                        body; it skips <nav> and <footer> on its own)
#   Q_COMMON, Q_RARE, Q_PHRASE   the three queries
#
# Needs: python3, /usr/bin/time, prlimit (util-linux), node and npm (for
# Pagefind), chromium and chromedriver (chromium alone falls back to
# --dump-dom with a virtual time budget).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; work=${2:-/tmp/broadsheet-bench}
runs=${RUNS:-1}
pf_version=${PAGEFIND_VERSION:-1.6.0}
pf_dir=${PAGEFIND_DIR:-/tmp/search-bench}/pagefind-$pf_version
cap_gib=${MEM_CAP_GIB:-${PAGEFIND_CAP_GIB:-12}}
cap_bytes=$((cap_gib * 1024 * 1024 * 1024))
pf_glob=${PAGEFIND_GLOB:-*/story-*/index.html}
pf_exclude=${PAGEFIND_EXCLUDE:-.masthead, .related, .more-in, .reactions, .story-nav}
# The queries, picked from benches/gen_corpus.py's vocabulary (the same for
# every corpus size, seed 2026): "police" is in ~78% of articles; "zioshor",
# one of the rarest body words, in ~0.8%; both words of "city council" are in
# ~70% of articles but the phrase is in ~0.13%.
q_common=${Q_COMMON:-police}
q_rare=${Q_RARE:-zioshor}
q_phrase=${Q_PHRASE:-\"city council\"}
work=$(mkdir -p "$work" && cd "$work" && pwd)
bs=$(realpath -m "${BROADSHEET:-target/release/broadsheet}")

for tool in python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "search.sh: $tool is missing" >&2; exit 1; }
done
if [ -z "${NO_PAGEFIND:-}" ]; then
  for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "search.sh: $tool is missing (or NO_PAGEFIND=1)" >&2; exit 1; }
  done
fi
if [ -z "${NO_DOWNLOAD:-}" ] && ! command -v chromium >/dev/null && ! command -v chromedriver >/dev/null; then
  echo "search.sh: chromium is missing (or NO_DOWNLOAD=1)" >&2; exit 1
fi

# shellcheck source=benches/corpus.sh
. benches/corpus.sh
ensure_corpus "$n" "$work" >&2
[ -n "${NO_CARGO:-}${BROADSHEET:-}" ] || cargo build --release --quiet --bin broadsheet
[ -x "$bs" ] || { echo "search.sh: no $bs" >&2; exit 1; }

# Room for two outputs (~55 KB an article each) and the indexes, keeping
# 15 GB free.
need_kib=$((n * 150 + ${MIN_FREE_GIB:-15} * 1024 * 1024))
avail_kib=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
if [ "$avail_kib" -lt "$need_kib" ]; then
  echo "search.sh: $((avail_kib / 1048576)) GiB free in $work, want $((need_kib / 1048576)) GiB" >&2
  exit 1
fi

# The search-on site: the corpus with `[search] enabled = true`.
ensure_search_site "$n" "$work"

out_off=$work/search-off-$n
out_on=$work/search-on-$n
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# timed NAME CMD...: RUNS runs of CMD (the caller empties its output);
# writes "NAME status median_seconds peak_kib" to $results/builds and prints
# a line. status is "ok", or "exit N" / "signal N".
timed() {
  local name=$1; shift
  local times=() mems=() status=ok
  for _ in $(seq "$runs"); do
    [ -z "${pre_run:-}" ] || eval "$pre_run"
    sync
    local tf rc=0
    tf=$(mktemp)
    "$@" >"$results/$name.log" 2>&1 || rc=$?
    local line
    line=$(grep -E '^[0-9.]+ [0-9]+$' "$tf" | tail -n 1 || true)
    [ -n "$line" ] || line="0 0"
    if grep -qi 'memory allocation of .* failed\|out of memory\|cannot allocate memory' "$results/$name.log"; then
      status="did not finish under $cap_gib GiB"
    elif grep -q 'terminated by signal' "$tf"; then
      status="signal $(grep -o 'terminated by signal [0-9]*' "$tf" | grep -o '[0-9]*$')"
    elif [ "$rc" -ne 0 ]; then
      status="exit $rc"
    fi
    rm -f "$tf"
    times+=("${line% *}"); mems+=("${line#* }")
  done
  local median peak
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  peak=$(printf '%s\n' "${mems[@]}" | sort -n | tail -n 1)
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$median" "$peak" >> "$results/builds"
  printf '%-22s %-9s median %8.2f s   runs: %s   peak %6d MiB\n' "$name" "$status" "$median" "${times[*]}" $((peak / 1024)) >&2
  if [ "$status" != ok ]; then tail -n 5 "$results/$name.log" | sed 's/^/    /' >&2; fi
}
# The command line timed, under the memory cap: /usr/bin/time writes
# "seconds peak_kib" to $tf. No cgroups for an unprivileged user here
# (systemd-run --user needs a session bus), so the cap is on address space:
# past it allocation fails and the program stops. Broadsheet and the
# Pagefind binary (a static musl build) reserve little beyond what they use.
time_cmd() {
  if command -v prlimit >/dev/null; then
    prlimit --as="$cap_bytes" -- /usr/bin/time -o "$tf" -f "%e %M" "$@"
  else
    (ulimit -v $((cap_gib * 1024 * 1024)) && exec /usr/bin/time -o "$tf" -f "%e %M" "$@")
  fi
}

# index_size DIR: "KiB_on_disk files KiB_of_data" of a search index folder
# (on disk counts each file's last block whole), or "- 0 -".
index_size() {
  if [ -d "$1" ]; then
    printf '%s %s %s\n' "$(du -sk "$1" | cut -f1)" "$(find "$1" -type f | wc -l)" \
      "$(du -sk --apparent-size "$1" | cut -f1)"
  else
    echo "- 0 -"
  fi
}

echo "== corpus: $n articles ($corpus), $runs run(s) each, $(nproc) cores, $(date -u '+%F %H:%M UTC')" >&2

# --- 1. Broadsheet, search off and on --------------------------------------
# The site's cache folder (site.toml's images.cache, not set by the corpus).
cache=.broadsheet-cache
pre_run="rm -rf '$out_off' '$corpus/$cache'"
timed "broadsheet search off" time_cmd "$bs" build --root "$corpus" --output "$out_off"
pre_run="rm -rf '$out_on' '$site_on/$cache'"
timed "broadsheet search on" time_cmd "$bs" build --root "$site_on" --output "$out_on"
pre_run="rm -rf '$out_on'"
timed "broadsheet search on, warm" time_cmd "$bs" build --root "$site_on" --output "$out_on"
pre_run=""
# Which index the search-on build wrote: Broadsheet's own (_search/), or
# Pagefind's from the pagefind crate (pagefind/, until issue 19 lands).
if [ -d "$out_on/_search" ]; then
  bs_index=$out_on/_search; bs_kind="Broadsheet (_search/)"
elif [ -d "$out_on/pagefind" ]; then
  bs_index=$out_on/pagefind; bs_kind="Pagefind crate, in-process (pagefind/)"
else
  bs_index=""; bs_kind="none written"
fi
echo "search-on build wrote: $bs_kind" >&2
read -r bs_kib bs_files bs_data < <(index_size "${bs_index:-/nonexistent}")
html_pages=$(find "$out_off" -name '*.html' | wc -l)

# --- 2. The Pagefind CLI over the search-off output -------------------------
pf_status="skipped"; pf_kib="-"; pf_files=0; pf_data="-"
if [ -z "${NO_PAGEFIND:-}" ] && [ -d "$out_off" ]; then
  if [ ! -x "$pf_dir/node_modules/.bin/pagefind" ]; then
    echo "installing pagefind@$pf_version into $pf_dir ..." >&2
    mkdir -p "$pf_dir"
    [ -f "$pf_dir/package.json" ] || echo '{"private": true}' > "$pf_dir/package.json"
    (cd "$pf_dir" && npm install --no-audit --no-fund --save-exact "pagefind@$pf_version" >&2)
  fi
  # The file `npx pagefind` runs: a node wrapper that starts the native binary.
  pf=$pf_dir/node_modules/.bin/pagefind
  pf_got=$("$pf" --version)
  avail_mem=$(awk '/MemAvailable/ {print int($2 / 1048576)}' /proc/meminfo)
  if [ "$avail_mem" -lt "$cap_gib" ]; then
    echo "warning: $avail_mem GiB of memory available, below the ${cap_gib} GiB cap" >&2
  fi
  pre_run="rm -rf '$out_off/pagefind' '$out_off/pfbench.html'"
  timed "pagefind CLI" time_cmd "$pf" --site "$out_off" \
    --glob "$pf_glob" --exclude-selectors "$pf_exclude" --force-language en
  pre_run=""
  pf_status=$(awk -F'\t' '$1 == "pagefind CLI" {print $2}' "$results/builds")
  if [ "$pf_status" = ok ] && [ ! -f "$out_off/pagefind/pagefind-entry.json" ]; then
    pf_status="no index written"
  fi
  if [ "$pf_status" != ok ]; then
    case $pf_status in did*) ;; *) pf_status="failed ($pf_status)" ;; esac
    echo "pagefind CLI: $pf_status" >&2
  else
    pf_status=ok
    grep -E 'Indexed [0-9]+ (pages|words)' "$results/pagefind CLI.log" | sed 's/^ */    pagefind: /' >&2 || true
    read -r pf_kib pf_files pf_data < <(index_size "$out_off/pagefind")
    # The harness page: a search and its first 10 results, nothing else.
    cat > "$out_off/pfbench.html" <<'EOF'
<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Pagefind benchmark</title>
<body data-search-state="searching">
<script type="module">
const body = document.body;
try {
  const q = new URLSearchParams(location.search).get("q") || "";
  const pf = await import("/pagefind/pagefind.js");
  const s = await pf.search(q);
  const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
  body.dataset.total = s.results.length;
  body.dataset.shown = data.length;
  body.dataset.searchState = "done";
} catch (e) {
  body.dataset.error = String(e);
  body.dataset.searchState = "error";
}
</script>
EOF
  fi
fi

# --- 3. The first search's download ----------------------------------------
# How many articles hold each query (words as [a-z0-9]+, case folded; a
# phrase as consecutive words).
echo "queries: common '$q_common', rare '$q_rare', phrase '$q_phrase'; articles holding each:" >&2
python3 - "$corpus/content" "$q_common" "$q_rare" "$q_phrase" > "$results/counts" <<'EOF'
import os, re, sys
root, queries = sys.argv[1], sys.argv[2:]
word = re.compile(r"[a-z0-9]+")
wanted = [tuple(word.findall(q.lower())) for q in queries]
counts = [0] * len(wanted)
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".md") or f.startswith("_"):
            continue
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            text = " " + " ".join(word.findall(fh.read().lower())) + " "
        for i, w in enumerate(wanted):
            if " " + " ".join(w) + " " in text:
                counts[i] += 1
for q, c in zip(queries, counts):
    print(f"{c}\t{q}")
EOF
sed 's/^/    /' "$results/counts" >&2

touch "$results/downloads"
if [ -z "${NO_DOWNLOAD:-}" ]; then
  for q in "$q_common" "$q_rare" "$q_phrase"; do
    if [ -f "$out_on/search/index.html" ]; then
      python3 benches/search_download.py "$out_on" /search/ "$q" --label broadsheet \
        --count _search/ --count js/search.js --count pagefind/ --tsv "$results/downloads" || true
    fi
    if [ -f "$out_off/pfbench.html" ]; then
      python3 benches/search_download.py "$out_off" /pfbench.html "$q" --label pagefind \
        --count pagefind/ --tsv "$results/downloads" || true
    fi
  done
  # The same searches on a mid-range phone: CPU throttled four times, as
  # Lighthouse's mobile profile; search.js notes the time from the query to
  # the results shown (fetches over the loopback included).
  if [ -f "$out_on/search/index.html" ]; then
    for q in "$q_common" "$q_rare" "$q_phrase"; do
      THROTTLE=4 python3 benches/search_download.py "$out_on" /search/ "$q" --label "broadsheet, CPU x4" \
        --count _search/ --count js/search.js 2>&1 | head -n 1 | tee -a "$results/throttled" >&2 || true
    done
  fi
fi

# --- 4. The table ------------------------------------------------------------
build_field() { awk -F'\t' -v n="$1" -v f="$2" '$1 == n {print $f}' "$results/builds"; }
secs() { local s; s=$(build_field "$1" 3); if [ -n "$s" ]; then printf '%.1f s' "$s"; else printf -- '-'; fi; }
mib() { local k; k=$(build_field "$1" 4); if [ -n "$k" ]; then printf '%d MiB' $((k / 1024)); else printf -- '-'; fi; }
note() { local s; s=$(build_field "$1" 2); [ -z "$s" ] || [ "$s" = ok ] || printf ' (%s)' "$s"; }
# download LABEL QUERY: "KiB over the wire (files, matches)".
download() {
  awk -F'\t' -v l="$1" -v q="$2" '$1 == l && $2 == q {
      m = ($4 == "None" || $4 == "") ? "?" : $4
      if ($3 != "done") { printf "%s", $3; found = 1; exit }
      printf "%.1f KiB (%d files; %s matches)", $8 / 1024, $6, m; found = 1; exit }
    END { if (!found) printf "-" }' "$results/downloads"
}
# size KIB_ON_DISK FILES KIB_OF_DATA
size() {
  if [ "$1" = - ]; then printf -- '-'; return; fi
  awk -v k="$1" -v f="$2" -v d="$3" 'BEGIN {printf "%.1f MiB (%.1f MiB of data, %d files)", k / 1024, d / 1024, f}'
}
count_of() { awk -F'\t' -v q="$1" '$2 == q {print $1}' "$results/counts"; }
pf_col() { if [ "$pf_status" = ok ]; then "$@"; else printf '%s' "$pf_status"; fi; }

off_t=$(build_field "broadsheet search off" 3)
pf_t=$(build_field "pagefind CLI" 3)
{
  echo
  echo "## Site search, $n articles ($html_pages HTML pages)"
  echo
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F);" \
    "$("$bs" --version), search-on index: $bs_kind; Pagefind CLI ${pf_got:-not run}" \
    "(--glob '$pf_glob' --exclude-selectors '$pf_exclude'), memory cap $cap_gib GiB;" \
    "$runs run(s) each; downloads over the wire with text types gzip -9."
  echo
  echo "| | Broadsheet, search off | Broadsheet, search on | Pagefind CLI on the search-off output |"
  echo "|---|---|---|---|"
  echo "| build / indexing time | $(secs "broadsheet search off") | $(secs "broadsheet search on")$(note "broadsheet search on") | $(pf_col secs "pagefind CLI") |"
  echo "| build with the search cache warm | | $(secs "broadsheet search on, warm")$(note "broadsheet search on, warm"), $(mib "broadsheet search on, warm") | |"
  echo "| peak memory | $(mib "broadsheet search off") | $(mib "broadsheet search on") | $(mib "pagefind CLI")$([ "$pf_status" = ok ] || [ -z "$(build_field "pagefind CLI" 4)" ] || printf ' when stopped') |"
  if [ "$pf_status" = ok ] && [ -n "$off_t" ] && [ -n "$pf_t" ]; then
    echo "| site and index, total time | | $(secs "broadsheet search on") | $(awk -v a="$off_t" -v b="$pf_t" 'BEGIN {printf "%.1f s", a + b}') (build + CLI) |"
  fi
  echo "| search index folder on disk | - | $(size "$bs_kib" "$bs_files" "$bs_data") | $(pf_col size "$pf_kib" "$pf_files" "$pf_data") |"
  for q in "$q_common" "$q_rare" "$q_phrase"; do
    echo "| first search \`$q\` ($(count_of "$q") articles) | - | $(download broadsheet "$q") | $(pf_col download pagefind "$q") |"
  done
  echo
  if [ -s "$results/throttled" ]; then
    echo "Query to results on a mid-range phone profile (CPU x4):"
    sed 's/^/    /' "$results/throttled"
    echo
  fi
} | tee "$work/search-$n.md"
echo "(table saved to $work/search-$n.md)" >&2
