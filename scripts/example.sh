#!/usr/bin/env bash
# Runs an example with the client: a Java one from examples/java with the client on the class path, or a Python one
# from examples/python with client-python on PYTHONPATH:
#   scripts/example.sh NAME [host:port]   (NAME: examples/java/NAME.java or examples/python/NAME.py; none lists them)
# Without host:port it starts a throw-away server from app/target/cachegrid.jar on a loopback port the OS chooses
# (CACHEGRID_PORT=0, read back from CACHEGRID_PORT_FILE) and stops it afterwards.
# Needs the build: mvn -B -q -DskipTests package. The JDK comes from scripts/jdk.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

EXAMPLES="$(cd "$ROOT/examples" && ls java/*.java python/*.py | sed 's|^[a-z]*/||; s|\.[a-z]*$||' | tr '\n' ' ')"
EXAMPLE="${1:-}"
if [[ -z "$EXAMPLE" || ! ( -f "$ROOT/examples/java/$EXAMPLE.java" || -f "$ROOT/examples/python/$EXAMPLE.py" ) ]]; then
    [[ -z "$EXAMPLE" ]] || echo "example.sh: no example named '$EXAMPLE'." >&2
    echo "usage: scripts/example.sh NAME [host:port]; examples: ${EXAMPLES% }" >&2
    exit 2
fi

. "$ROOT/scripts/jdk.sh"
JAVA="$JAVA_HOME/bin/java"
CLIENT_JAR="$ROOT/client/target/cachegrid-client.jar"
DEPS="$ROOT/client/target/classpath.txt"

PYTHON_EXAMPLE="$ROOT/examples/python/$EXAMPLE.py"
if [[ ! -f "$PYTHON_EXAMPLE" ]]; then
    [[ -f "$CLIENT_JAR" ]] || { echo "missing $CLIENT_JAR: run mvn -B -q -DskipTests package" >&2; exit 2; }
    if [[ ! -s "$DEPS" || "$DEPS" -ot "$ROOT/client/pom.xml" ]]; then
        mvn -B -q -f "$ROOT/client/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
            -Dmdep.outputFile="$DEPS" >/dev/null 2>&1 || { echo "mvn dependency:build-classpath failed" >&2; exit 2; }
    fi
fi

HOST="${2:-}"
SERVER_PID=""
if [[ -z "$HOST" ]]; then
    mkdir -p "$ROOT/client/target"
    LOG="$ROOT/client/target/example-server.log"
    PORT_FILE="$(mktemp -u "$ROOT/client/target/example-server.XXXXXX.port")"
    CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT=0 CACHEGRID_PORT_FILE="$PORT_FILE" \
        "$JAVA" -jar "$ROOT/app/target/cachegrid.jar" >"$LOG" 2>&1 &
    SERVER_PID=$!
    trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -f "$PORT_FILE"' EXIT
    for _ in $(seq 1 200); do
        [[ -s "$PORT_FILE" ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start, see $LOG" >&2; exit 1; }
        sleep 0.1
    done
    [[ -s "$PORT_FILE" ]] || { echo "the server did not listen within 20 s, see $LOG" >&2; exit 1; }
    HOST="127.0.0.1:$(cat "$PORT_FILE")"
fi

if [[ -f "$PYTHON_EXAMPLE" ]]; then
    PYTHONPATH="$ROOT/client-python${PYTHONPATH:+:$PYTHONPATH}" python3 "$PYTHON_EXAMPLE" "$HOST"
else
    "$JAVA" -cp "$CLIENT_JAR:$(cat "$DEPS")" "$ROOT/examples/java/$EXAMPLE.java" "$HOST"
fi
