#!/usr/bin/env bash
# Offline validation of CacheGrid's deployment files: Kubernetes manifests, Dockerfile, compose files, Heroku files.
#
#   scripts/test-deploy.sh [repo-root]        (default: the repository this script is in)
#
# Needs: Node 20+ and npm (the npm registry, once, for k8s/test/node_modules), python3 with PyYAML, a JDK 21+
# (found by scripts/jdk.sh). No Docker engine and no Kubernetes cluster: images are not built here.
# Prints one PASS/FAIL line per check and ends with "Deploy: N passed, M failed"; exits 1 if anything failed.
set -uo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${1:-$SCRIPT_DIR/..}" && pwd)"
. "$SCRIPT_DIR/jdk.sh" || { echo "Deploy: 0 passed, 1 failed"; exit 1; }
TOOLS="$ROOT/k8s/test"

passed=0
failed=0

# Runs one checker, echoes its output and counts its PASS/FAIL lines. A checker that exits non-zero without
# reporting a FAIL (a crash, a missing tool) counts as one failure of its own.
run() {
    local label="$1"; shift
    local out rc
    out="$("$@" 2>&1)"; rc=$?
    [ -n "$out" ] && printf '%s\n' "$out"
    local p f
    p=$(grep -c '^PASS ' <<<"$out")
    f=$(grep -c '^FAIL ' <<<"$out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $label: exited $rc without reporting a check"
        failed=$((failed + 1))
    fi
}

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# ------------------------------------------------------------------------------------------------ tools
node_ok=false
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    fail "Node.js and npm available" "node or npm not found"
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    fail "Node.js 20+" "found $(node --version)"
elif [ ! -d "$TOOLS/node_modules" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
    if npm_out="$(cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error 2>&1)"; then
        node_ok=true
    else
        fail "npm ci in k8s/test" "$(tail -5 <<<"$npm_out" | tr '\n' ' ')"
    fi
else
    node_ok=true
fi
$node_ok && pass "Node $(node --version) with k8s/test/node_modules (kubernetes-models, js-yaml, dockerfile-utils)"

# ------------------------------------------------------------------------------------------------ checks
if $node_ok; then
    run "k8s checks" node "$TOOLS/check-k8s.js" "$ROOT/k8s" "$ROOT/docker/Dockerfile"
    run "Dockerfile lint" env NODE_PATH="$TOOLS/node_modules" node "$ROOT/docker/test/lint-dockerfile.js" "$ROOT/docker/Dockerfile"
fi
run "Docker and compose checks" python3 "$ROOT/docker/test/check_docker.py" "$ROOT"
run "health probe checks" python3 "$ROOT/docker/test/check_healthcheck.py" "$ROOT"

# Heroku: the Maven buildpack builds the jar (mvn -DskipTests clean dependency:list install), the Procfile runs it,
# and the server reads Heroku's PORT itself, so the Procfile must not pin a port.
procfile="$ROOT/Procfile"
web_lines=$(grep -c '^web:' "$procfile" 2>/dev/null)
if [ "${web_lines:-0}" -ne 1 ]; then
    fail "Procfile: one web process" "found ${web_lines:-no Procfile} web lines"
elif ! grep -Eq '^web:[[:space:]]*java[[:space:]].*-jar[[:space:]]+app/target/cachegrid\.jar([[:space:]]|$)' "$procfile"; then
    fail "Procfile: web runs java -jar app/target/cachegrid.jar" "$(grep '^web:' "$procfile")"
elif grep -Eq 'CACHEGRID_PORT|server\.port|[^$]PORT=|[[:space:]]8080' "$procfile"; then
    fail "Procfile: the port is left to Heroku's PORT" "a port is fixed in: $(grep '^web:' "$procfile")"
else
    pass "Procfile: web runs java -jar app/target/cachegrid.jar and leaves the port to Heroku's PORT"
fi
if grep -Eqx 'java\.runtime\.version=25' "$ROOT/system.properties" 2>/dev/null; then
    pass "system.properties: java.runtime.version=25"
else
    fail "system.properties: java.runtime.version=25" "$(cat "$ROOT/system.properties" 2>&1 | head -3 | tr '\n' ' ')"
fi

echo "Deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
