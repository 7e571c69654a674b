#!/usr/bin/env bash
# HTTP throughput and latency of CacheGrid next to Redis and an nginx static file (the HTTP ceiling), all on
# loopback ports of this machine. wrk (Lua scripts in bench/wrk/) and redis-benchmark drive 50 connections for a
# bounded time each, after a short warm-up; CacheGrid, nginx and Redis run in alternating rounds so drift hits all.
# Prints ops/s (keys/s for batches), p50, p90, p99, p99.9, errors and the ratios CacheGrid/Redis and CacheGrid/nginx,
# then GET hit's percentiles next to nginx's and issue 13's targets (GET hit p99 <= nginx's, >= 1.0x its throughput,
# batch GET of 100 keys >= 2.5M keys/s), each MET or MISSED with the numbers of this run.
# The load generator and the servers share this machine's cores: the numbers are for the pair, not the server.
#
# Settings (environment): BENCH_DURATION=10 (s per measured run), BENCH_WARMUP=3 (s), BENCH_ROUNDS=2,
# BENCH_CONNECTIONS=50, BENCH_WRK_THREADS=2, BENCH_SKIP_BUILD=1 (use the built jar),
# BENCH_JFR=FILE (record CacheGrid with JFR's profile settings into FILE and print its hot spots at the end),
# BENCH_ONLY=REGEX (only the runs whose name matches, e.g. 'static|GET hit \(1' or 'batch GET|GET -P 16'; nginx is
# named 'static 64 B', Redis 'redis -P 1' and 'redis -P 16', or one of its tests 'GET -P 16', 'SET -P 1'),
# BENCH_SERVER_OPTS='JVM options' (added to CacheGrid's java command, e.g. -Xlog:gc:file=/tmp/gc.log), BENCH_JAR=PATH (the CacheGrid jar to run, with its libs/
# beside it; default app/target/cachegrid.jar: e.g. a copy of the previous build for an A/B in one session),
# BENCH_ALLOC=1 (instead: heap bytes allocated per request for GET hit and PUT, scripts/bench-alloc.sh).
# About 5 minutes with the defaults. Needs the Debian packages wrk, redis-server, redis-tools and nginx (installed
# with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_ALLOC:-}" = "1" ]; then
  exec scripts/bench-alloc.sh
fi
. scripts/jdk.sh
. bench/lib.sh

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
ROUNDS=${BENCH_ROUNDS:-2}
CONNS=${BENCH_CONNECTIONS:-50}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
JFR=${BENCH_JFR:-}
ONLY=${BENCH_ONLY:-}
KEYSPACE=10000   # keys preloaded in CacheGrid and Redis (bench/wrk/report.lua has the same number)

need_debian wrk wrk
need_debian redis-server redis-server
need_debian redis-benchmark redis-tools
need_debian nginx nginx

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl app -am package
fi

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cg_port=$(free_port)
nginx_port=$(free_port)
redis_port=$(free_port)

# --- CacheGrid -----------------------------------------------------------------------------------------------
jfr_opts=()
if [ -n "$JFR" ]; then
  jfr_opts=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true")
fi
CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT=$cg_port CACHEGRID_LOG_LEVEL=warning CACHEGRID_MAX_SIZE=1000000 \
  java ${CACHEGRID_JVM_DEFAULTS} ${BENCH_SERVER_OPTS:-} "${jfr_opts[@]}" -jar "${BENCH_JAR:-app/target/cachegrid.jar}" > "$work/cachegrid.log" 2>&1 &
pids+=($!)

# --- nginx: a 64-byte file, no access log, as many workers as cores ---------------------------------------
mkdir -p "$work/www"
head -c 64 /dev/zero | tr '\0' 'v' > "$work/www/v.txt"
chmod -R a+rX "$work/www"
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $work/www; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)

# --- Redis: no persistence ---------------------------------------------------------------------------------
pids+=("$(start_redis "$redis_port" "$work")")

wait_port "$cg_port" 60 || { cat "$work/cachegrid.log" >&2; exit 1; }
wait_port "$nginx_port" 10
wait_port "$redis_port" 10

# --- preload the same KEYSPACE keys (16-byte keys, 64-byte values) -----------------------------------------
python3 - "$cg_port" "$KEYSPACE" <<'PY'
import http.client, json, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
value = "v" * 62   # as JSON text: 64 bytes with the quotes
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
for start in range(0, n, 1000):
    items = {f"key:{i:012d}": value for i in range(start, min(n, start + 1000))}
    conn.request("POST", "/cache/batch/set", json.dumps({"items": items}), {"Content-Type": "application/json"})
    answer = conn.getresponse(); body = answer.read()
    if answer.status != 200:
        sys.exit(f"preload failed: {answer.status} {body[:200]!r}")
conn.request("GET", "/cache/key:000000000042")
hit = json.loads(conn.getresponse().read())
if not hit.get("hit") or len(json.dumps(hit["value"])) != 64:
    sys.exit(f"preloaded key not served as expected: {hit}")
PY
# redis-benchmark -r draws key:000000000000 .. key:<KEYSPACE-1>, the same keys: set them all first
python3 - "$KEYSPACE" <<'PY' | redis-cli -p "$redis_port" --pipe > /dev/null
import sys
for i in range(int(sys.argv[1])):
    key = b"key:%012d" % i
    sys.stdout.buffer.write(b"*3\r\n$3\r\nSET\r\n$16\r\n" + key + b"\r\n$64\r\n" + b"x" * 64 + b"\r\n")
PY

results=$work/results
: > "$results"

run_wrk() { # run_wrk ROUND NAME SERVER KEYS_PER_REQUEST SCRIPT URL
  local round=$1 name=$2 server=$3 per=$4 script=$5 url=$6 line
  if [ -n "$ONLY" ] && ! [[ "$name" =~ $ONLY ]]; then return 0; fi
  wrk -t "$WRK_THREADS" -c "$CONNS" -d "${WARMUP}s" -s "$script" "$url" > /dev/null
  line=$(wrk -t "$WRK_THREADS" -c "$CONNS" -d "${DURATION}s" --latency -s "$script" "$url" | grep '^RESULT ')
  echo "wrk $round $name $server $per ${line#RESULT }" >> "$results"
  echo "  round $round  $name ($server) done" >&2
}

run_redis() { # run_redis ROUND PIPELINE REQUESTS: SET and GET, or those BENCH_ONLY names ('GET -P 16')
  local round=$1 pipeline=$2 requests=$3 tests=set,get
  if [ -n "$ONLY" ] && ! [[ "redis -P $pipeline" =~ $ONLY ]]; then
    tests=
    if [[ "SET -P $pipeline" =~ $ONLY ]]; then tests=set; fi
    if [[ "GET -P $pipeline" =~ $ONLY ]]; then tests=${tests:+$tests,}get; fi
    if [ -z "$tests" ]; then return 0; fi
  fi
  timeout 300 redis-benchmark -p "$redis_port" -c "$CONNS" -n "$requests" -r "$KEYSPACE" -d 64 -P "$pipeline" \
    -t "$tests" --csv | tail -n +2 | sed "s/^/redis $round P$pipeline /" >> "$results"
  echo "  round $round  redis -P $pipeline done" >&2
}

cg=http://127.0.0.1:$cg_port
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS (${WARMUP}s warm-up + ${DURATION}s per run, $CONNS connections, wrk -t $WRK_THREADS)" >&2
  run_wrk "$round" "static 64 B" nginx 1 bench/wrk/report.lua "http://127.0.0.1:$nginx_port/v.txt"
  run_wrk "$round" "GET hit (1 key)" cachegrid 1 bench/wrk/report.lua "$cg/cache/key:000000000042"
  run_wrk "$round" "GET hit (10k keys)" cachegrid 1 bench/wrk/get-random.lua "$cg"
  run_wrk "$round" "GET miss" cachegrid 1 bench/wrk/report.lua "$cg/cache/absent:00000042"
  run_wrk "$round" "PUT 64 B" cachegrid 1 bench/wrk/put.lua "$cg"
  run_wrk "$round" "mixed 90/10" cachegrid 1 bench/wrk/mixed.lua "$cg"
  run_wrk "$round" "batch GET 100" cachegrid 100 bench/wrk/batch-get.lua "$cg"
  run_wrk "$round" "batch SET 100" cachegrid 100 bench/wrk/batch-set.lua "$cg"
  run_redis "$round" 1 $((50000 * DURATION))
  run_redis "$round" 16 $((300000 * DURATION))
done

python3 - "$results" "$(nproc)" "$DURATION" "$WARMUP" "$ROUNDS" "$CONNS" "$WRK_THREADS" <<'PY'
import json, statistics, sys
path, cores, duration, warmup, rounds, conns, wrk_threads = sys.argv[1:]
runs = {}   # (name, server) -> list of (ops, keys, p50_ms, p90_ms, p99_ms, p999_ms, errors); None: not measured
order = []
for line in open(path):
    if line.startswith("wrk "):
        _, rnd, rest = line.split(" ", 2)
        head, data = rest[:rest.index(" {")], json.loads(rest[rest.index(" {") + 1:])
        name, server, per = head.rsplit(" ", 2)
        ops = data["requests"] / (data["duration_us"] / 1e6)
        row = (ops, ops * int(per), data["p50_us"] / 1000, data["p90_us"] / 1000, data["p99_us"] / 1000,
               data["p999_us"] / 1000, data["errors"])
    else:   # redis ROUND P<n> "TEST","rps","avg","min","p50","p95","p99","max" (no p90, no p99.9)
        _, rnd, pipe, csv = line.strip().split(" ", 3)
        cells = [c.strip('"') for c in csv.split(",")]
        name, server = f"{cells[0]} -P {pipe[1:]}", "redis"
        ops = float(cells[1])
        row = (ops, ops, float(cells[4]), None, float(cells[6]), None, 0)
    key = (name, server)
    if key not in runs:
        order.append(key)
    runs.setdefault(key, []).append(row)

def mean(key, i):
    values = [r[i] for r in runs[key]]
    return None if None in values else statistics.mean(values)

def ms(value):
    return "-" if value is None else f"{value:.2f}"

NGINX = ("static 64 B", "nginx")
HIT = ("GET hit (1 key)", "cachegrid")
nginx = mean(NGINX, 0) if NGINX in runs else None
peer = {"GET hit (1 key)": ("GET -P 1", "redis"), "GET hit (10k keys)": ("GET -P 1", "redis"),
        "GET miss": ("GET -P 1", "redis"), "PUT 64 B": ("SET -P 1", "redis"),
        "batch GET 100": ("GET -P 16", "redis"), "batch SET 100": ("SET -P 16", "redis")}
print(f"HTTP on loopback: {conns} connections, {rounds} rounds of {duration}s after {warmup}s warm-up, "
      f"wrk -t {wrk_threads}; load generator and servers share {cores} cores")
print(f"{'test':<20} {'server':<9} {'ops/s':>9} {'rounds':>17} {'keys/s':>10} {'p50 ms':>7} {'p90 ms':>7} "
      f"{'p99 ms':>7} {'p99.9 ms':>8} {'errors':>6} {'/redis':>7} {'/nginx':>7}")
for key in order:
    name, server = key
    ops, keys = mean(key, 0), mean(key, 1)
    spread = "/".join(f"{r[0] / 1000:.1f}k" for r in runs[key])
    vs_redis = vs_nginx = "-"
    if server == "cachegrid":
        vs_nginx = f"{ops / nginx:.2f}" if nginx else "-"
        if key[0] in peer and peer[key[0]] in runs:
            other = mean(peer[key[0]], 1)
            vs_redis = f"{keys / other:.2f}"
    print(f"{name:<20} {server:<9} {ops:>9.0f} {spread:>17} {keys:>10.0f} {ms(mean(key, 2)):>7} {ms(mean(key, 3)):>7} "
          f"{ms(mean(key, 4)):>7} {ms(mean(key, 5)):>8} {sum(r[6] for r in runs[key]):>6} {vs_redis:>7} {vs_nginx:>7}")
print()
print("ops/s and latencies are means over the rounds ('rounds' lists each); batch rows compare keys/s with Redis "
      "GET/SET at -P 16; percentiles from wrk --latency and redis-benchmark (which gives no p90 or p99.9)")
if HIT in runs and NGINX in runs:
    print()
    print(f"GET hit (1 key) next to nginx's static 64 B, same run ({len(runs[HIT])} rounds each, alternating):")
    for label, i in (("p50", 2), ("p90", 3), ("p99", 4), ("p99.9", 5)):
        per_round = "  ".join(f"{ours[i]:.2f}/{theirs[i]:.2f}" for ours, theirs in zip(runs[HIT], runs[NGINX]))
        print(f"  {label:<6} ours {mean(HIT, i):6.2f} ms  nginx {mean(NGINX, i):6.2f} ms   per round (ours/nginx): "
              f"{per_round}")
    per_round = "  ".join(f"{ours[0] / 1000:.1f}k/{theirs[0] / 1000:.1f}k" for ours, theirs in zip(runs[HIT], runs[NGINX]))
    print(f"  req/s  ours {mean(HIT, 0):8.0f}  nginx {nginx:8.0f}   per round (ours/nginx): {per_round}")
    ours_p99, nginx_p99 = mean(HIT, 4), mean(NGINX, 4)
    ratio = mean(HIT, 0) / nginx
    print(f"target: GET hit p99 <= nginx p99 in the same run: {'MET' if ours_p99 <= nginx_p99 else 'MISSED'} "
          f"({ours_p99:.2f} ms vs nginx {nginx_p99:.2f} ms)")
    print(f"target: GET hit throughput >= 1.0x nginx: {'MET' if ratio >= 1.0 else 'MISSED'} "
          f"({mean(HIT, 0):,.0f} vs nginx {nginx:,.0f} req/s = {ratio:.2f}x)")
if ("batch GET 100", "cachegrid") in runs:
    batch = mean(("batch GET 100", "cachegrid"), 1)
    redis16 = mean(("GET -P 16", "redis"), 1) if ("GET -P 16", "redis") in runs else None
    versus = f"; Redis GET -P 16 {redis16:,.0f} keys/s = {batch / redis16:.2f}x" if redis16 else ""
    print(f"target: batch GET of 100 keys >= 2,500,000 keys/s: {'MET' if batch >= 2.5e6 else 'MISSED'} "
          f"({batch:,.0f} keys/s{versus})")
PY

if [ -n "$JFR" ]; then
  kill "${pids[0]}" 2>/dev/null || true
  wait "${pids[0]}" 2>/dev/null || true
  echo
  python3 bench/jfr-hotspots.py "$JFR"
fi
