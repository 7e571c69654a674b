#!/usr/bin/env bash
# Engine throughput vs Caffeine (JMH): get, put and a 90/10 mix on a Zipf(0.99) key trace, 1 and 2 threads, for
# every eviction policy. Prints ops/s per policy and the ratio to Caffeine. About 7 minutes with the defaults.
# Override the JMH settings with BENCH_JMH_OPTS (default: -f 1 -wi 2 -i 3 -w 2s -r 2s), e.g. a quick look:
#   BENCH_JMH_OPTS="-f 1 -wi 1 -i 1 -w 1s -r 1s" scripts/bench-engine.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

JMH_OPTS=${BENCH_JMH_OPTS:-"-f 1 -wi 2 -i 3 -w 2s -r 2s"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl bench -am package
fi
for threads in 1 2; do
  echo "== JMH, $threads thread(s): $JMH_OPTS" >&2
  # shellcheck disable=SC2086
  java -jar bench/target/benchmarks.jar EngineBenchmark $JMH_OPTS -t "$threads" \
       -jvmArgs "-Xms1g -Xmx1g" -rf json -rff "$out/t$threads.json" > "$out/t$threads.log" \
    || { tail -40 "$out/t$threads.log" >&2; exit 1; }
done

python3 - "$out" "$JMH_OPTS" <<'PY'
import json, sys, glob, os
out, opts = sys.argv[1], sys.argv[2]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "t*.json"))):
    for r in json.load(open(path)):
        op = r["benchmark"].rsplit(".", 1)[1]
        rows.setdefault((op, r["threads"]), {})[r["params"]["impl"]] = (r["primaryMetric"]["score"],
                                                                       r["primaryMetric"]["scoreError"])
impls = ["lru", "lfu", "ttl", "size", "tinylfu", "caffeine"]
print(f"engine throughput, Mops/s (JMH {opts}; Zipf(0.99) over 131,072 keys, maximumSize 65,536)")
print(f"{'op':<6} {'thr':>3} " + " ".join(f"{i:>9}" for i in impls) + "   ratio to caffeine: " +
      " ".join(f"{i:>7}" for i in impls[:-1]))
lru_get2 = None
for op in ["get", "put", "mixed"]:
    for t in [1, 2]:
        scores = rows.get((op, t), {})
        if not scores:
            continue
        caf = scores.get("caffeine", (float("nan"), 0))[0]
        cells = " ".join(f"{scores[i][0] / 1e6:9.2f}" if i in scores else f"{'-':>9}" for i in impls)
        ratios = " ".join(f"{scores[i][0] / caf:7.2f}" if i in scores else f"{'-':>7}" for i in impls[:-1])
        print(f"{op:<6} {t:>3} {cells}                      {ratios}")
        if op == "get" and t == 2:
            lru_get2 = {i: scores[i][0] / caf for i in impls[:-1] if i in scores}
print()
print("score error (99.9% CI) in Mops/s is in the JMH output; rerun for a second sample when numbers look odd")
if lru_get2:
    worst = min(lru_get2.values())
    verdict = "MET" if worst >= 0.8 else "MISSED"
    print(f"target: engine reads >= 0.8x caffeine with 2 threads: {verdict} "
          f"(lowest ratio {worst:.2f}, " + ", ".join(f"{k} {v:.2f}" for k, v in lru_get2.items()) + ")")
PY
