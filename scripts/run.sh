#!/usr/bin/env bash
# Builds CacheGrid and starts one node with embedded defaults on http://localhost:8080 (console at /console/).
# Configure with CACHEGRID_* environment variables, e.g. CACHEGRID_PORT=9090 ./scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
if [ "${CACHEGRID_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests package
fi
exec java $CACHEGRID_JVM_DEFAULTS ${JAVA_OPTS:-} -jar app/target/cachegrid.jar
