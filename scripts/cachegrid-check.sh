#!/usr/bin/env bash
# Checks a CacheGrid data directory (CACHEGRID_DATA_DIR) like redis-check-aof: lists each snapshot and log segment
# with its records and the offset of any damage, and what a start would load. With --repair it cuts a damaged log
# at its first bad record (the cut bytes are kept in <file>.damaged-<offset>) and sets damaged snapshots aside.
# Stop the node first for --repair (the check refuses a directory a running node holds).
#   ./scripts/cachegrid-check.sh data            # exit 0 intact, 1 damage found, 2 usage or I/O error
#   ./scripts/cachegrid-check.sh --repair data
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
if [ ! -f app/target/cachegrid.jar ] && [ "${CACHEGRID_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests package >&2
fi
exec "$JAVA_HOME/bin/java" -cp app/target/cachegrid.jar io.cachegrid.persist.DataCheck "$@"
