#!/usr/bin/env bash
# Runs every CacheGrid test: the Java suites (engine, API, client) with Maven, then the suites that drive the
# built server from outside (deployment manifests, Python client, browser tests of the console).
# Ends with one summary line per suite and a total.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh || exit 1

summary=()
failed_suites=0

echo "== Java tests (mvn verify) =="
# Reports of an earlier run (a test since renamed or deleted, a module built alone) would be counted below too.
rm -rf ./*/target/surefire-reports ./*/target/failsafe-reports
mvn -B verify -Dmaven.test.failure.ignore=true
mvn_status=$?
read -r java_run java_failed java_skipped < <(python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
run = failed = skipped = 0
for path in glob.glob('*/target/surefire-reports/TEST-*.xml'):
    suite = ET.parse(path).getroot()
    run += int(suite.get('tests', 0)); skipped += int(suite.get('skipped', 0))
    failed += int(suite.get('failures', 0)) + int(suite.get('errors', 0))
print(run, failed, skipped)
PY
)
java_passed=$((java_run - java_failed - java_skipped))
if [ "$mvn_status" -ne 0 ] && [ "$java_failed" -eq 0 ]; then java_failed=1; fi # the build itself broke
summary+=("Java: $java_passed passed, $java_failed failed, $java_skipped skipped")
[ "$java_failed" -eq 0 ] || failed_suites=$((failed_suites + 1))

total_passed=$java_passed
total_failed=$java_failed
# Suites that test the built server from outside; each ends with "<Name>: N passed, M failed".
EXTERNAL_SUITES="test-deploy.sh test-python.sh test-console.sh"
for suite in $EXTERNAL_SUITES; do
  echo
  echo "== $suite =="
  out=$(mktemp)
  bash "scripts/$suite" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^[A-Za-z]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
  rm -f "$out"
  if [ -z "$line" ]; then
    line="$suite: 0 passed, 1 failed (no summary; exit $status)"
  fi
  passed=$(echo "$line" | sed -E 's/^[A-Za-z]+: ([0-9]+) passed.*/\1/')
  failed=$(echo "$line" | sed -E 's/^[A-Za-z]+: [0-9]+ passed, ([0-9]+) failed.*/\1/')
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  summary+=("$line")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [ "$failed" -eq 0 ] || failed_suites=$((failed_suites + 1))
done

echo
echo "== Summary =="
printf '%s\n' "${summary[@]}"
echo "Total: $total_passed passed, $total_failed failed, $java_skipped skipped"
[ "$failed_suites" -eq 0 ]
