#!/usr/bin/env bash
# How long a frozen member stays in the cluster's view, and how long the cluster takes to heal after it thaws:
# starts three nodes on loopback (java -jar, R=2), then per round freezes the third with SIGSTOP, times until the
# first node's view no longer has it (GET /cluster), thaws it with SIGCONT and times until the first and the third
# node both see all three again (one merged view). The expected value is about CACHEGRID_FAILURE_TIMEOUT (5 s) for
# both. Only the processes this script started are signalled or stopped.
#
# Settings (environment): BENCH_FAILOVER_PORTS="39181 39182 39183" (HTTP ports; cluster ports are derived),
# BENCH_ROUNDS=3, CACHEGRID_FAILURE_TIMEOUT (passed on), CACHEGRID_CLUSTER_SECRET (passed on: measures the
# encrypted, authenticated channel), BENCH_SKIP_BUILD=1 (use the built jar). Logs: target/bench-failover/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
read -r -a ports <<< "${BENCH_FAILOVER_PORTS:-39181 39182 39183}"
[ "${#ports[@]}" -eq 3 ] || { echo "bench-failover: BENCH_FAILOVER_PORTS must list 3 ports" >&2; exit 2; }
rounds=${BENCH_ROUNDS:-3}
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests package
fi
logs=target/bench-failover
mkdir -p "$logs"
peers=$(printf '127.0.0.1:%s,' "${ports[@]}"); peers=${peers%,}
pids=()
stop() { for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for i in 0 1 2; do
  CACHEGRID_NODE_ID="failover-$i" CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT="${ports[$i]}" CACHEGRID_PEERS="$peers" \
    CACHEGRID_MAX_MEMORY_MB=64 java -Xmx256m -jar app/target/cachegrid.jar > "$logs/node-$i.log" 2>&1 &
  pids+=($!)
done
up() { curl -s "http://127.0.0.1:$1/cluster" | grep -o '"status":"up"' | wc -l; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# waits (at most 60 s) until the command succeeds; prints the milliseconds it took since $1
until_ok() { local start=$1; shift; for _ in $(seq 1 1200); do if "$@"; then echo $(( $(now_ms) - start )); return; fi; sleep 0.05; done; echo "timeout"; }
all_three() { [ "$(up "${ports[0]}")" = 3 ] && [ "$(up "${ports[2]}")" = 3 ]; }
two() { [ "$(up "${ports[0]}")" = 2 ]; }
formed=$(until_ok "$(now_ms)" all_three)
echo "three nodes started and in one view after ${formed} ms (JVM start included): $(curl -s "http://127.0.0.1:${ports[0]}/cluster")"
for round in $(seq 1 "$rounds"); do
  start=$(now_ms); kill -STOP "${pids[2]}"
  out=$(until_ok "$start" two)
  start=$(now_ms); kill -CONT "${pids[2]}"
  back=$(until_ok "$start" all_three)
  echo "round $round: frozen member out of the view after ${out} ms; one view again ${back} ms after SIGCONT"
  sleep 2
done
