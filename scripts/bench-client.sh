#!/usr/bin/env bash
# Java client throughput: get and getMulti(100) calls/s with 1 and N concurrent callers against a local server.
#   scripts/bench-client.sh [seconds per run=10] [concurrency=16] [host:port]
# Without host:port the harness starts a server from app/target/cachegrid.jar on a free loopback port.
# Needs the build (mvn -B -q -DskipTests package) and compiles the client's test classes (the harness lives there).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -f "$ROOT/app/target/cachegrid.jar" ]] || { echo "missing app/target/cachegrid.jar: mvn -B -q -DskipTests package" >&2; exit 2; }
CP_FILE="$ROOT/client/target/test-classpath.txt"
mvn -B -q -f "$ROOT/client/pom.xml" test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >/dev/null 2>&1 || { echo "mvn test-compile failed" >&2; exit 2; }
cd "$ROOT/client"
"$JAVA_HOME/bin/java" -Dcachegrid.server.jar="$ROOT/app/target/cachegrid.jar" \
    -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" io.cachegrid.client.ClientBenchmark "$@"
