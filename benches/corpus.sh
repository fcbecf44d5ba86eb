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
