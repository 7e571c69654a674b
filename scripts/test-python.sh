#!/usr/bin/env bash
# Runs the Python client's unittest suite (client-python/tests) against real server processes.
# Builds nothing: expects app/target/cachegrid.jar (mvn -B -q -DskipTests package). Finds a JDK 21+ for the server
# ($JAVA_HOME when it is 21+, else the newest under /usr/lib/jvm). Prints unittest's own summary, then a last line
# "Python: N passed, M failed"; exits non-zero when a test failed or the suite could not run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

java_major() { # prints the feature version of the java binary $1 (0 when it does not run)
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1 || true
}

find_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]]; then
        echo "$JAVA_HOME/bin/java"; return
    fi
    local best="" best_major=0 candidate major
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x "$candidate" ]] || continue
        major="$(java_major "$candidate")"
        if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
            best="$candidate"; best_major="$major"
        fi
    done
    echo "$best"
}

JAR="$ROOT/app/target/cachegrid.jar"
if [[ ! -f "$JAR" ]]; then
    echo "test-python: $JAR is missing; build it first: mvn -B -q -DskipTests package" >&2
    echo "Python: 0 passed, 0 failed"
    exit 2
fi
JAVA="$(find_java)"
if [[ -z "$JAVA" ]]; then
    echo "test-python: no JDK 21+ found (set JAVA_HOME to one)" >&2
    echo "Python: 0 passed, 0 failed"
    exit 2
fi

cd "$ROOT/client-python"
CACHEGRID_JAVA="$JAVA" CACHEGRID_SERVER_JAR="$JAR" PYTHONPATH="$ROOT/client-python${PYTHONPATH:+:$PYTHONPATH}" \
python3 - <<'PY'
import sys
import unittest

suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
result = unittest.TextTestRunner(verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
passed = result.testsRun - failed - len(result.skipped)
sys.stderr.flush()
print(f"Python: {passed} passed, {failed} failed", flush=True)
sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
PY
