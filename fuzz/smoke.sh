#!/bin/sh
# Short fuzz run for CI: each target for a few seconds (default 15) on its seed corpus and the
# committed regression inputs. Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly compiler,
# or RUSTC_BOOTSTRAP=1 on stable, which this script sets. Long runs: see docs/hardening.md.
set -eu
cd "$(dirname "$0")"
seconds="${1:-15}"
export RUSTC_BOOTSTRAP=1
for t in front_matter markdown slug pipeline; do
  mkdir -p "corpus/$t"
  # Seeds: the example site's articles (and their bodies and titles), plus every regression input.
  for f in ../content/articles/*.md ../content/articles/*/index.md ../content/pages/*.md; do
    [ -f "$f" ] && cp "$f" "corpus/$t/seed-$(echo "$f" | tr '/' '_')"
  done
  cp regressions/* "corpus/$t/" 2>/dev/null || true
  echo "fuzz smoke: $t for ${seconds}s"
  nice -n 19 cargo fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -dict=pamphlet.dict -print_final_stats=1 2>&1 |
    grep -E "stat::number_of_executed_units|Done|ERROR|SUMMARY" || true
  # cargo fuzz exits non-zero on a crash; grep's status hides it, so check for artifacts instead.
  if ls "artifacts/$t"/crash-* "artifacts/$t"/timeout-* "artifacts/$t"/oom-* >/dev/null 2>&1; then
    echo "fuzz smoke: $t found a problem, see fuzz/artifacts/$t" >&2
    exit 1
  fi
done
echo "fuzz smoke: no crashes"
