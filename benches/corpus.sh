# shellcheck shell=bash
# Sourced by the benchmark scripts: `ensure_corpus N WORK` makes sure
# WORK/corpus-N holds the synthetic corpus (generating it the first time)
# with search off, like for like with Hugo, which builds no search index,
# and sets $corpus to its path.
ensure_corpus() {
  corpus="$2/corpus-$1"
  if [ ! -f "$corpus/site.toml" ]; then
    echo "generating $1 articles in $corpus ..."
    python3 benches/gen_corpus.py "$corpus" "$1"
  fi
  grep -q '^\[search\]' "$corpus/site.toml" || printf '\n[search]\nenabled = false\n' >> "$corpus/site.toml"
}

# `ensure_search_site N WORK` (after ensure_corpus): WORK/corpus-N-search,
# the corpus with `[search] enabled = true`, as a site builds by default;
# its content/, static/ and templates/ are hard links to the corpus's
# (Broadsheet does not follow symbolic links in content/ or static/).
# Sets $site_on to its path.
ensure_search_site() {
  site_on="$2/corpus-$1-search"
  mkdir -p "$site_on"
  local d
  for d in content static templates; do
    rm -rf "${site_on:?}/$d"
    if [ -e "$corpus/$d" ]; then cp -al "$corpus/$d" "$site_on/$d"; fi
  done
  awk '/^\[/ { in_search = ($0 == "[search]") }
       in_search && /^enabled *=/ { print "enabled = true"; next }
       { print }' "$corpus/site.toml" > "$site_on/site.toml"
  grep -q '^enabled = true' "$site_on/site.toml"
}
