#!/usr/bin/env bash
# What clustering costs per request, next to a single node in the same run, all on loopback ports of this machine:
# a GET hit served by the node asked (single node) against one forwarded by a member that holds no copy to the
# key's primary, and PUTs (64-byte values, random keys over 10,000) on a single node against a 3-member cluster
# (R=2) with CACHEGRID_WRITE_ACKS=one and =quorum. wrk drives 50 connections for a bounded time per run after a
# warm-up; runs alternate over BENCH_ROUNDS rounds. The members and the load generator share this machine's cores:
# compare the ratios, not the absolute numbers.
#
# Settings (environment): BENCH_DURATION=10 (s per run), BENCH_WARMUP=3, BENCH_ROUNDS=2, BENCH_CONNECTIONS=50,
# BENCH_WRK_THREADS=2, BENCH_SKIP_BUILD=1 (use the built jar). Needs wrk (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
. bench/lib.sh

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
ROUNDS=${BENCH_ROUNDS:-2}
CONNS=${BENCH_CONNECTIONS:-50}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
KEYSPACE=10000

need_debian wrk wrk
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl app -am package
fi

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_node() { # start_node NAME PORT [VAR=VALUE...]
  local name=$1 port=$2
  shift 2
  env CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT="$port" CACHEGRID_LOG_LEVEL=warning CACHEGRID_NODE_ID="$name" "$@" \
    java -jar app/target/cachegrid.jar > "$work/$name.log" 2>&1 &
  pids+=($!)
}

single=$(free_port)
start_node single "$single"
declare -A cluster_ports
for acks in one quorum; do
  ports=("$(free_port)" "$(free_port)" "$(free_port)")
  cluster_ports[$acks]="${ports[*]}"
  peers="127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"
  for i in 0 1 2; do
    start_node "$acks-$i" "${ports[$i]}" CACHEGRID_PEERS="$peers" CACHEGRID_WRITE_ACKS="$acks"
  done
done
for port in $single ${cluster_ports[one]} ${cluster_ports[quorum]}; do
  wait_port "$port" 90 || { for f in "$work"/*.log; do echo "== $f"; tail -n 20 "$f"; done >&2; exit 1; }
done

# Preload the keys through each cluster (and the single node), then find, for the GET key, a member without a copy.
python3 - "$single" "${cluster_ports[one]}" "${cluster_ports[quorum]}" "$KEYSPACE" > "$work/forwarders" <<'PY'
import http.client, json, sys, time
single, one, quorum, n = int(sys.argv[1]), sys.argv[2].split(), sys.argv[3].split(), int(sys.argv[4])
def call(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    answer = conn.getresponse()
    return answer.status, answer.read()
def members_up(port):
    members = json.loads(call(port, "GET", "/cluster")[1]).get("members", [])
    return sum(m["status"] == "up" for m in members)
deadline = time.time() + 60
while any(members_up(p) < 3 for p in one + quorum):  # every member sees all three before loading
    if time.time() > deadline:
        sys.exit("the clusters did not form within 60 s")
    time.sleep(0.5)
value = '"' + "v" * 62 + '"'
for port in [single, one[0], quorum[0]]:
    for start in range(0, n, 500):
        items = ",".join(f'"key:{i:012d}":{value}' for i in range(start, min(n, start + 500)))
        status, body = call(port, "POST", "/cache/batch/set", '{"items":{' + items + '}}')
        if status != 200:
            sys.exit(f"preload failed on {port}: {status} {body[:200]!r}")
for ports in (one, quorum):
    holders = [p for p in ports
               if json.loads(call(p, "GET", "/admin/entry/key:000000000042?local=true")[1]).get("exists")]
    others = [p for p in ports if p not in holders]
    if len(holders) != 2 or len(others) != 1:
        sys.exit(f"expected 2 copies of key:000000000042, found them on {holders}")
    print(others[0])
PY
mapfile -t forwarders < "$work/forwarders"
fwd_quorum=${forwarders[1]}
read -r -a one_ports <<< "${cluster_ports[one]}"
read -r -a quorum_ports <<< "${cluster_ports[quorum]}"

results=$work/results
: > "$results"
run_wrk() { # run_wrk ROUND NAME SCRIPT URL
  local line
  wrk -t "$WRK_THREADS" -c "$CONNS" -d "${WARMUP}s" -s "$3" "$4" > /dev/null
  line=$(wrk -t "$WRK_THREADS" -c "$CONNS" -d "${DURATION}s" --latency -s "$3" "$4" | grep '^RESULT ')
  echo "$1|$2|${line#RESULT }" >> "$results"
  echo "  round $1  $2 done" >&2
}
for round in $(seq 1 "$ROUNDS"); do
  run_wrk "$round" "GET hit, single node" bench/wrk/report.lua "http://127.0.0.1:$single/cache/key:000000000042"
  run_wrk "$round" "GET hit, forwarded (acks=quorum cluster)" bench/wrk/report.lua \
    "http://127.0.0.1:$fwd_quorum/cache/key:000000000042"
  run_wrk "$round" "PUT, single node" bench/wrk/put.lua "http://127.0.0.1:$single"
  run_wrk "$round" "PUT, cluster acks=one" bench/wrk/put.lua "http://127.0.0.1:${one_ports[0]}"
  run_wrk "$round" "PUT, cluster acks=quorum" bench/wrk/put.lua "http://127.0.0.1:${quorum_ports[0]}"
done

python3 - "$results" "$(nproc)" "$CONNS" <<'PY'
import json, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    _, name, data = line.rstrip("\n").split("|", 2)
    r = json.loads(data)
    rows.setdefault(name, []).append((r["requests"] / (r["duration_us"] / 1e6), r["p50_us"], r["p99_us"], r["errors"]))
def med(name, i):
    return statistics.median(x[i] for x in rows[name])
print(f"\nCacheGrid cluster cost ({sys.argv[3]} connections; members, single node and wrk share {sys.argv[2]} cores)")
print(f"{'run':44} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs single':>10}")
for name in rows:
    base = "GET hit, single node" if name.startswith("GET") else "PUT, single node"
    print(f"{name:44} {med(name,0):10.0f} {med(name,1)/1000:8.2f} {med(name,2)/1000:8.2f} "
          f"{sum(x[3] for x in rows[name]):7d} {med(name,0)/med(base,0):9.2f}x")
PY
