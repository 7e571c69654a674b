#!/usr/bin/env bash
# Write throughput with persistence, per fsync policy, next to Redis with the same appendfsync, in one run on
# loopback ports of this machine: CacheGrid PUT /cache/{key} (64-byte values, 10,000 keys) with wrk, Redis SET with
# redis-benchmark (appendonly yes), 50 connections each, for a bounded time. Policies: off (no persistence /
# appendonly no), no, everysec, always. Each server writes to its own fresh directory under a temporary directory
# (on the file system of $TMPDIR: the numbers are that disk's); everything is deleted at the end.
# Prints ops/s, p50 and p99 per server and policy, and CacheGrid/Redis.
#
# Settings (environment): BENCH_DURATION=8 (s per measured run), BENCH_WARMUP=2 (s), BENCH_CONNECTIONS=50,
# BENCH_POLICIES="off no everysec always", BENCH_SKIP_BUILD=1 (use the built jar). About 3 minutes.
# Needs the Debian packages wrk, redis-server and redis-tools (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
. bench/lib.sh

DURATION=${BENCH_DURATION:-8}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-50}
POLICIES=${BENCH_POLICIES:-off no everysec always}
KEYSPACE=10000

need_debian wrk wrk
need_debian redis-server redis-server
need_debian redis-benchmark redis-tools

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl app -am package
fi

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

results=$work/results
: > "$results"
for policy in $POLICIES; do
  # --- CacheGrid ---
  port=$(free_port)
  mode=log
  [ "$policy" = off ] && mode=off
  CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT=$port CACHEGRID_LOG_LEVEL=warning CACHEGRID_MAX_SIZE=1000000 \
  CACHEGRID_PERSISTENCE=$mode CACHEGRID_FSYNC=${policy/off/everysec} CACHEGRID_DATA_DIR="$work/cg-$policy" \
    java -jar app/target/cachegrid.jar > "$work/cachegrid-$policy.log" 2>&1 &
  pid=$!
  wait_port "$port" 120 || { cat "$work/cachegrid-$policy.log" >&2; exit 1; }
  wrk -t 2 -c "$CONNS" -d "${WARMUP}s" -s bench/wrk/put.lua "http://127.0.0.1:$port" > /dev/null
  line=$(wrk -t 2 -c "$CONNS" -d "${DURATION}s" --latency -s bench/wrk/put.lua "http://127.0.0.1:$port" \
         | grep '^RESULT ')
  echo "cachegrid $policy ${line#RESULT }" >> "$results"
  stop
  echo "  cachegrid fsync=$policy done" >&2

  # --- Redis with the same appendfsync ---
  port=$(free_port)
  mkdir -p "$work/redis-$policy"
  if [ "$policy" = off ]; then aof=(--appendonly no); else aof=(--appendonly yes --appendfsync "$policy"); fi
  redis-server --bind 127.0.0.1 --port "$port" --save '' "${aof[@]}" --dir "$work/redis-$policy" \
               --daemonize no --logfile "$work/redis-$policy/redis.log" > /dev/null 2>&1 &
  pid=$!
  wait_port "$port" 10
  requests=$((25000 * DURATION))
  [ "$policy" = always ] && requests=$((2000 * DURATION))
  timeout $((DURATION * 20 + 60)) redis-benchmark -p "$port" -c "$CONNS" -n "$requests" -r "$KEYSPACE" -d 64 \
    -t set --csv | tail -n +2 | sed "s/^/redis $policy /" >> "$results"
  stop
  echo "  redis appendfsync=$policy done" >&2
done

python3 - "$results" "$(nproc)" "$DURATION" "$CONNS" "$(df -PT "$work" | awk 'NR==2 {print $2}')" <<'PY'
import json, sys
path, cores, duration, conns, fstype = sys.argv[1:]
rows = {}
for line in open(path):
    server, policy, rest = line.strip().split(" ", 2)
    if server == "cachegrid":
        d = json.loads(rest)
        rows[(server, policy)] = (d["requests"] / (d["duration_us"] / 1e6), d["p50_us"] / 1000, d["p99_us"] / 1000,
                                  d["errors"])
    else:   # "SET","rps","avg_latency_ms","min","p50","p95","p99","max"
        cells = [c.strip('"') for c in rest.split(",")]
        rows[(server, policy)] = (float(cells[1]), float(cells[4]), float(cells[6]), 0)
print(f"Writes with persistence on loopback: {conns} connections, {duration} s per run, data directories on "
      f"{fstype}; load generator and servers share {cores} cores")
print(f"{'fsync':<9} {'server':<10} {'ops/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'/redis':>7}")
for policy in dict.fromkeys(p for _, p in rows):
    for server in ("cachegrid", "redis"):
        if (server, policy) not in rows:
            continue
        ops, p50, p99, errors = rows[(server, policy)]
        ratio = ""
        if server == "cachegrid" and ("redis", policy) in rows:
            ratio = f"{ops / rows[('redis', policy)][0]:.2f}"
        print(f"{policy:<9} {server:<10} {ops:>9.0f} {p50:>7.2f} {p99:>7.2f} {errors:>6} {ratio:>7}")
PY
