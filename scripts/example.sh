#!/usr/bin/env bash
# Runs a Java example from examples/java with the client on the class path:
#   scripts/example.sh BasicUsage|CacheAside [host:port]
# Without host:port it starts a server from app/target/cachegrid.jar on a free loopback port and stops it afterwards.
# Needs the build: mvn -B -q -DskipTests package (JAVA_HOME must be a JDK 21+; default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAMPLE="${1:?usage: scripts/example.sh BasicUsage|CacheAside [host:port]}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
CLIENT_JAR="$ROOT/client/target/cachegrid-client.jar"
DEPS="$ROOT/client/target/classpath.txt"

[[ -f "$CLIENT_JAR" ]] || { echo "missing $CLIENT_JAR: run mvn -B -q -DskipTests package" >&2; exit 2; }
if [[ ! -s "$DEPS" || "$DEPS" -ot "$ROOT/client/pom.xml" ]]; then
    mvn -B -q -f "$ROOT/client/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$DEPS" >/dev/null 2>&1 || { echo "mvn dependency:build-classpath failed" >&2; exit 2; }
fi

HOST="${2:-}"
SERVER_PID=""
if [[ -z "$HOST" ]]; then
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT="$PORT" "$JAVA" -jar "$ROOT/app/target/cachegrid.jar" \
        >"$ROOT/client/target/example-server.log" 2>&1 &
    SERVER_PID=$!
    trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
    HOST="127.0.0.1:$PORT"
    for _ in $(seq 1 100); do
        curl -sf "http://$HOST/health" >/dev/null && break
        sleep 0.2
    done
fi

"$JAVA" -cp "$CLIENT_JAR:$(cat "$DEPS")" "$ROOT/examples/java/$EXAMPLE.java" "$HOST"
