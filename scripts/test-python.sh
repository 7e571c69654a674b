#!/usr/bin/env bash
# Runs the Python client's unittest suite (client-python/tests) against real server processes.
# Builds nothing: expects app/target/cachegrid.jar (mvn -B -q -DskipTests package). The server runs on the JDK that
# scripts/jdk.sh picks. Prints unittest's own summary, then a last line
# "Python: N passed, M failed"; exits non-zero when a test failed or the suite could not run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

JAR="$ROOT/app/target/cachegrid.jar"
if [[ ! -f "$JAR" ]]; then
    echo "test-python: $JAR is missing; build it first: mvn -B -q -DskipTests package" >&2
    echo "Python: 0 passed, 0 failed"
    exit 2
fi
if ! . "$ROOT/scripts/jdk.sh"; then
    echo "Python: 0 passed, 0 failed"
    exit 2
fi
JAVA="$JAVA_HOME/bin/java"

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
