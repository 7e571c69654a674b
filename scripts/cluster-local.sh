#!/usr/bin/env bash
# Starts a three-node CacheGrid cluster on this machine (127.0.0.1:8081, :8082, :8083, replication factor 2)
# and stops it on Ctrl-C. Any node answers any request:
#   curl -X PUT localhost:8081/cache/k -H 'Content-Type: application/json' -d 1
#   curl localhost:8083/cache/k
# Each node's view: curl localhost:8081/cluster. Logs: target/cluster-local/.
# Environment: CLUSTER_LOCAL_PORTS="8081 8082 8083" (one node per port; every node is given all of them as
# CACHEGRID_PEERS), CACHEGRID_SKIP_BUILD=1 to reuse the built jar, CLUSTER_LOCAL_SECONDS=N to stop after N seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
read -r -a ports <<< "${CLUSTER_LOCAL_PORTS:-8081 8082 8083}"
for port in "${ports[@]}"; do
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
    || { echo "cluster-local: CLUSTER_LOCAL_PORTS must list ports 1..65535, got '$port'" >&2; exit 2; }
done
if [ "${CACHEGRID_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests package
fi
peers=$(printf '127.0.0.1:%s,' "${ports[@]}"); peers=${peers%,}
logs=target/cluster-local
mkdir -p "$logs"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for i in "${!ports[@]}"; do
  CACHEGRID_NODE_ID="node-$((i + 1))" CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT="${ports[$i]}" \
    CACHEGRID_PEERS="$peers" java $CACHEGRID_JVM_DEFAULTS ${JAVA_OPTS:-} -jar app/target/cachegrid.jar > "$logs/node-$((i + 1)).log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
done
for _ in $(seq 1 40); do  # until the first node has all the others in its JGroups view
  curl -s "http://127.0.0.1:${ports[0]}/cluster" | grep -q '"down"' || break; sleep 0.5
done
echo "CacheGrid cluster up: ${peers} (Ctrl-C stops it)"
curl -s "http://127.0.0.1:${ports[0]}/cluster"; echo
echo "Try: curl -X PUT localhost:${ports[0]}/cache/k -H 'Content-Type: application/json' -d 1; curl localhost:${ports[-1]}/cache/k"
if [ -n "${CLUSTER_LOCAL_SECONDS:-}" ]; then sleep "$CLUSTER_LOCAL_SECONDS"; else wait; fi
