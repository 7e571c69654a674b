#!/usr/bin/env bash
# Retained memory per entry: 1,000,000 entries of 16-byte keys and 64-byte values in the CacheGrid engine (lru,
# lfu, tinylfu), in Caffeine and in a plain HashMap (the floor for String keys and byte[] values on the JVM), each
# in its own JVM (-XX:+UseSerialGC, fixed 6 GiB heap), with and without -XX:+UseCompactObjectHeaders; and in Redis
# (INFO used_memory before and after a pipelined load of the same keys). Overhead = bytes per entry - 80.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
. bench/lib.sh

ENTRIES=${BENCH_MEMORY_ENTRIES:-1000000}
need_debian redis-server redis-server
need_debian redis-cli redis-tools

work=$(mktemp -d)
redis_pid=
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl bench -am package
fi

results=$work/results
: > "$results"
for headers in default compact; do
  flags="-Xms6g -Xmx6g -XX:+UseSerialGC"
  [ "$headers" = compact ] && flags="$flags -XX:+UseCompactObjectHeaders"
  for store in lru lfu tinylfu caffeine hashmap; do
    # shellcheck disable=SC2086
    line=$(java $flags -cp bench/target/benchmarks.jar io.cachegrid.bench.MemoryProbe "$store" "$ENTRIES" 2>/dev/null \
           | grep '^RESULT') || { echo "MemoryProbe $store failed" >&2; exit 1; }
    echo "$headers $line" >> "$results"
  done
done

port=$(free_port)
redis_pid=$(start_redis "$port" "$work")
wait_port "$port" 10
redis-cli -p "$port" flushall >/dev/null
used() { redis-cli -p "$port" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
before=$(used)
python3 - "$ENTRIES" <<'PY' | redis-cli -p "$port" --pipe > "$work/pipe.log"
import sys
out = sys.stdout.buffer
value = b"v" * 64
for i in range(int(sys.argv[1])):
    key = b"key:%012d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$16\r\n" + key + b"\r\n$64\r\n" + value + b"\r\n")
PY
after=$(used)
keys=$(redis-cli -p "$port" dbsize | tr -d '\r')
redis_version=$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')
echo "redis redis-$redis_version $keys $before $after" >> "$results"

python3 - "$results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
print("retained memory per entry (16-byte key, 64-byte value; overhead = bytes/entry - 80)")
print(f"{'store':<16} {'headers':<8} {'entries':>9} {'bytes/entry':>12} {'overhead':>9} {'accounted/measured':>19}")
engine_default = None
for r in rows:
    if r[0] == "redis":
        _, name, keys, before, after = r
        per = (int(after) - int(before)) / int(keys)
        redis = per - 80
        print(f"{name:<16} {'-':<8} {int(keys):>9} {per:>12.1f} {redis:>9.1f} {'-':>19}")
        continue
    headers, _, store, entries, per, over, accounted, measured = r
    name = store if store in ("caffeine", "hashmap") else "cg-" + store
    ratio = f"{int(accounted) / int(measured):.3f}" if int(accounted) > 0 else "-"
    print(f"{name:<16} {headers:<8} {int(entries):>9} {float(per):>12.1f} {float(over):>9.1f} {ratio:>19}")
    if store == "lru":
        if headers == "default":
            engine_default = float(over)
        else:
            engine_compact = float(over)
print()
print("accounted/measured: the engine's memoryBytes() (key + value + ENTRY_OVERHEAD_BYTES per entry) over the "
      "measured heap growth; the design asks for within 10% (0.90..1.10)")
def verdict(overhead, target):
    return "MET" if overhead <= target else "MISSED"
for target in (60, 48):
    print(f"target: per-entry overhead <= {target} bytes (Redis measured {redis:.1f}): "
          f"default headers {verdict(engine_default, target)} ({engine_default:.1f}), "
          f"-XX:+UseCompactObjectHeaders {verdict(engine_compact, target)} ({engine_compact:.1f}) (cachegrid-lru)")
PY
