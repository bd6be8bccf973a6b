#!/usr/bin/env bash
# Real-browser checks of Pamphlet's default theme, on the example site at the repository root.
# Needs, once per machine:
#   apt-get update && apt-get install -y chromium default-jre-headless   (Debian's /usr/bin/chromium and java)
#   (cd tests/browser && npm ci --ignore-scripts)                        (playwright-core, axe-core, vnu-jar, lighthouse)
#   a Rust toolchain (the script builds target/release/pamphlet)
# Run: tests/browser/run.sh [--no-lighthouse] [--only <substring,substring>]
# It builds the release binary, builds the example site into a temporary folder, serves it on 127.0.0.1
# on a free port, runs every check, prints `N passed, M failed` and exits non-zero when a check failed.
# Screenshots and Lighthouse reports go to tests/browser/artifacts/ (gitignored).
# Environment: CHROME_PATH (default /usr/bin/chromium), JAVA (default java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

for tool in node java cargo; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is not installed (see the first lines of this script)" >&2; exit 2; }
done
[ -x "${CHROME_PATH:-/usr/bin/chromium}" ] || { echo "run.sh: no Chromium at ${CHROME_PATH:-/usr/bin/chromium}: apt-get install -y chromium" >&2; exit 2; }
[ -d "$here/node_modules/playwright-core" ] || { echo "run.sh: run (cd tests/browser && npm ci --ignore-scripts) first" >&2; exit 2; }

(cd "$root" && cargo build --release --quiet)

# node runs the server, the browsers and java as its own children and stops them before it exits;
# if this script is interrupted, stop node too.
node "$here/suite.mjs" --binary "$root/target/release/pamphlet" --root "$root" "$@" &
suite=$!
trap 'kill "$suite" 2>/dev/null || true' INT TERM
wait "$suite"
