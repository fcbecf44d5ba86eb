#!/usr/bin/env bash
# Deploying to object storage (issue 32): the N-article synthetic corpus
# (search on, as a newsroom publishes it) built and deployed with
# `broadsheet deploy --to s3://...` to a local S3-compatible server (moto in
# server mode, `pip install 'moto[server]'`), then one story added and
# deployed again. Prints objects uploaded, bytes and wall time for both.
#
#   benches/deploy-s3.sh [N] [WORK]     (default 10000, /tmp/broadsheet-deploy)
#
# Uses target/release/broadsheet (built first unless NO_CARGO=1).
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
python3 -c "import signal; signal.alarm(3600); from moto.server import main; main(['-H', '127.0.0.1', '-p', '$port'])" \
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
deploy() {
  "$bin" build --root "$corpus" --output "$out" --force | tail -1
  local start end
  start=$(date +%s.%N)
  "$bin" deploy --root "$corpus" --output "$out" --to "$to" --allow-example-url --max-deletes 100000 | tail -1
  end=$(date +%s.%N)
  printf '%s: %.1f s wall for the deploy (build not counted)\n' "$1" "$(echo "$end - $start" | bc -l)"
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
"$bin" deploy --root "$corpus" --output "$out" --to "$to" --allow-example-url | tail -1
rm -f "$corpus/content/news/deploy-bench-new-story.md" "$corpus/content/news/deploy-bench-new-month.md"
