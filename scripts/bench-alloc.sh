#!/usr/bin/env bash
# Heap bytes allocated per request by CacheGrid, next to the request rate, for GET hit (64-byte value) and PUT
# (64-byte value, keys at random over 10,000). Arithmetic on the GC log, no sampling:
#   the server runs with -Xlog:gc+heap=debug (heap used before and after every collection, in KB);
#   per test: wrk warm-up, then `jcmd PID GC.run` (a full collection opens the window), a bounded wrk run, and
#   `jcmd PID GC.run` again (closes it); allocated = sum over the collections after the first of
#   (used before this collection - used after the previous one); bytes/request = allocated / wrk's request count.
# An "idle" window of the same length (no requests) is printed first: the server's own background allocation
# (timers, meters), which is included in the per-request figures (divide it by a run's requests to see its share).
# Caveats: G1 counts a thread's whole TLAB as used when it is handed out (a few hundred KB per window at most), and
# the two jcmd calls allocate a little; with 10 s runs both are far below a byte per request.
#
# Settings (environment): BENCH_DURATION=10 (s per measured run), BENCH_WARMUP=3 (s), BENCH_CONNECTIONS=50,
# BENCH_WRK_THREADS=2, BENCH_SKIP_BUILD=1 (use the built jar), BENCH_SERVER_OPTS (extra JVM options),
# BENCH_ONLY=REGEX (tests by name: 'idle', 'GET hit', 'PUT 64 B'), BENCH_JAR (default app/target/cachegrid.jar),
# BENCH_JFR=DIR (also record each measured window with JFR's profile settings into DIR/<test>.jfr, started and
# stopped with jcmd, and print its allocation sites with bench/jfr-alloc.py; JFR's own allocation then counts too).
# Needs wrk (Debian package, installed with apt-get when missing) and the JDK's jcmd.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
. bench/lib.sh

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-50}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ONLY=${BENCH_ONLY:-}
JAR=${BENCH_JAR:-app/target/cachegrid.jar}
JFR_DIR=${BENCH_JFR:-}
if [ -n "$JFR_DIR" ]; then mkdir -p "$JFR_DIR"; JFR_DIR=$(cd "$JFR_DIR" && pwd); fi

need_debian wrk wrk
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl app -am package
fi

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
cmd=(java ${CACHEGRID_JVM_DEFAULTS} ${BENCH_SERVER_OPTS:-} "-Xlog:gc+heap=debug:file=$work/gc.log" -jar "$JAR")
echo "server: CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT=$port CACHEGRID_LOG_LEVEL=warning ${cmd[*]}" >&2
CACHEGRID_HOST=127.0.0.1 CACHEGRID_PORT=$port CACHEGRID_LOG_LEVEL=warning CACHEGRID_MAX_SIZE=1000000 \
  "${cmd[@]}" > "$work/cachegrid.log" 2>&1 &
server=$!
wait_port "$port" 60 || { cat "$work/cachegrid.log" >&2; exit 1; }

python3 - "$port" <<'PY'
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
conn.request("PUT", "/cache/key:000000000042", '"' + "v" * 62 + '"', {"Content-Type": "application/json"})
answer = conn.getresponse(); answer.read()
if answer.status not in (200, 201):
    sys.exit(f"preload failed: {answer.status}")
PY

last_gc() { # the id of the newest collection in the GC log whose "Heap After" line is written
  grep -o 'GC([0-9]*) Heap After' "$work/gc.log" | tail -1 | grep -o '[0-9]*' || echo -1
}

full_gc() { # a full collection; waits until it is in the log, prints its id
  local before
  before=$(last_gc)
  jcmd "$server" GC.run > /dev/null
  while [ "$(last_gc)" = "$before" ]; do sleep 0.05; done
  last_gc
}

allocated_kb() { # allocated_kb FIRST LAST: KB allocated between the end of collection FIRST and the start of LAST
  python3 - "$work/gc.log" "$1" "$2" <<'PY'
import re, sys
path, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
before, after, pending = {}, {}, {}
for line in open(path):
    m = re.search(r"GC\((\d+)\) Heap (Before|After) GC", line)
    if m:
        pending = (int(m.group(1)), m.group(2))
        continue
    m = re.search(r"GC\((\d+)\)\s+garbage-first heap.*used (\d+)K", line)
    if m and pending and int(m.group(1)) == pending[0]:
        (before if pending[1] == "Before" else after)[pending[0]] = int(m.group(2))
        pending = {}
ids = sorted(i for i in before if first < i <= last)
total, previous = 0, after[first]
for i in ids:
    total += before[i] - previous
    previous = after[i]
print(total, len(ids) - 1)   # KB, collections inside the window (the closing full one not counted)
PY
}

printf '%-10s %10s %10s %12s %10s %s\n' test requests 'req/s' 'MB alloc' 'B/request' 'young GCs' 
measure() { # measure NAME SCRIPT PATH
  local name=$1 script=$2 path=$3 first last line requests us kb gcs
  if [ -n "$ONLY" ] && ! [[ "$name" =~ $ONLY ]]; then return 0; fi
  if [ "$name" != idle ]; then
    wrk -t "$WRK_THREADS" -c "$CONNS" -d "${WARMUP}s" -s "$script" "http://127.0.0.1:$port$path" > /dev/null
  fi
  first=$(full_gc)
  if [ -n "$JFR_DIR" ]; then jcmd "$server" JFR.start name=alloc settings=profile > /dev/null; fi
  if [ "$name" = idle ]; then
    sleep "$DURATION"; requests=0; us=$((DURATION * 1000000))
  else
    echo "  wrk -t $WRK_THREADS -c $CONNS -d ${DURATION}s -s $script http://127.0.0.1:$port$path" >&2
    line=$(wrk -t "$WRK_THREADS" -c "$CONNS" -d "${DURATION}s" -s "$script" "http://127.0.0.1:$port$path" | grep '^RESULT ')
    requests=$(echo "${line#RESULT }" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
    us=$(echo "${line#RESULT }" | python3 -c 'import json,sys; print(json.load(sys.stdin)["duration_us"])')
  fi
  if [ -n "$JFR_DIR" ]; then
    jfr_file="$JFR_DIR/${name// /-}.jfr"
    jcmd "$server" JFR.stop name=alloc filename="$jfr_file" > /dev/null
    jfr_files+=("$jfr_file $requests")
  fi
  last=$(full_gc)
  read -r kb gcs < <(allocated_kb "$first" "$last")
  python3 - "$name" "$requests" "$us" "$kb" "$gcs" <<'PY'
import sys
name, requests, us, kb, gcs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rate = requests / (us / 1e6)
per = f"{kb * 1024 / requests:.0f}" if requests else "-"
print(f"{name:<10} {requests:>10} {rate:>10.0f} {kb / 1024:>12.1f} {per:>10} {gcs}")
PY
}

jfr_files=()
measure idle "" ""
measure "GET hit" bench/wrk/report.lua /cache/key:000000000042
measure "PUT 64 B" bench/wrk/put.lua ""

for entry in "${jfr_files[@]}"; do
  read -r file requests <<< "$entry"
  echo
  python3 bench/jfr-alloc.py "$file" "${BENCH_JFR_TOP:-15}" "$requests"
done
