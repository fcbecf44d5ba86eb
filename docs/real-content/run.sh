#!/bin/bash
# Usage: run.sh MODE(error|extra|dated)   -- builds every real site into /tmp/wt15-real/<site>-<mode>
# error: site.toml as is; extra: [content] unknown_fields = "extra";
# dated: extra, and [permalinks] article = "/:section/:year/:month/:day/:slug/".
set -u
MODE=$1
BIN=${BIN:-$(cd "$(dirname "$0")/../.." && pwd)/target/release/broadsheet}
declare -A SRC=(
  [jekyll-docs]="jekyll-docs/docs/_posts news"
  [brew-sh]="brew-sh/_posts news"
  [karpathy]="karpathy/_posts posts"
  [made-mistakes]="made-mistakes/src/_posts posts"
  [letsencrypt]="letsencrypt/content/en/post post"
  [opentelemetry]="opentelemetry/content/en/blog blog"
  [coredns]="coredns/content/blog blog"
  [rust-blog]="rust-blog/content blog"
  [rust-embedded]="rust-embedded/content blog"
)
for site in jekyll-docs brew-sh karpathy made-mistakes letsencrypt opentelemetry coredns rust-blog rust-embedded; do
  set -- ${SRC[$site]}
  T=/tmp/wt15-real/$site-$MODE
  rm -rf "$T"; mkdir -p "$T/content/$2"
  cp -r /tmp/real/$1/. "$T/content/$2/"
  printf 'title = "%s"\nbase_url = "https://example.com/"\n' "$site" > "$T/site.toml"
  [ "$MODE" != error ] && printf '[content]\nunknown_fields = "extra"\n' >> "$T/site.toml"
  [ "$MODE" = dated ] && printf '[permalinks]\narticle = "/:section/:year/:month/:day/:slug/"\n' >> "$T/site.toml"
  "$BIN" build --root "$T" --output "$T/public" > "$T/stdout" 2> "$T/stderr"
  echo "$site exit=$?"
done
