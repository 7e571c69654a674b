#!/usr/bin/env bash
# Browser tests of the operator console (console/test) against the built server jar, in headless Debian Chromium.
# Needs: app/target/cachegrid.jar (mvn -B -DskipTests package), Node.js 20+, /usr/bin/chromium (installed here with
# apt-get when missing and running as root). Ends with one line "Console: N passed, M failed"; non-zero on failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tests="$root/console/test"
jar="${CACHEGRID_JAR:-$root/app/target/cachegrid.jar}"

fail() { echo "test-console: $*" >&2; echo "Console: 0 passed, 1 failed"; exit 1; }

[ -f "$jar" ] || fail "$jar is missing: build it first (mvn -B -DskipTests package)"
command -v node >/dev/null || fail "node (20+) is not installed"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test-console: installing Debian chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q chromium >/dev/null
  else
    fail "/usr/bin/chromium is missing: run 'sudo apt-get install -y chromium'"
  fi
fi

# npm ci when node_modules is absent or older than the lock file (never downloads a browser: playwright-core only).
if [ ! -d "$tests/node_modules/playwright-core" ] || [ "$tests/package-lock.json" -nt "$tests/node_modules/.package-lock.json" ]; then
  (cd "$tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

. "$root/scripts/jdk.sh" || fail "no JDK 21+ found"

mkdir -p "$root/console/target"
tap="$root/console/target/console-tests.tap"
rc=0
(cd "$tests" && CACHEGRID_JAR="$jar" timeout 300 node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    series.test.mjs console.test.mjs auth.test.mjs cluster.test.mjs) || rc=$?

passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # the runner itself died (timeout, crash)
echo "Screenshots: console/target/screenshots/"
echo "Console: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
