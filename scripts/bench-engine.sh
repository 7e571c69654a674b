#!/usr/bin/env bash
# Engine throughput vs Caffeine (JMH): get, put and a 90/10 mix on a Zipf(0.99) key trace, 1 and 2 threads, for
# every eviction policy, and get/put with a new key String per call as a server has (getNewKey, putNewKey). Prints
# ops/s per policy and the ratio to Caffeine. About 17 minutes with the defaults (120 short JMH runs); pick
# operations with BENCH_OPS (default "get put mixed getNewKey putNewKey").
# Override the JMH settings with BENCH_JMH_OPTS (default: -f 1 -wi 1 -i 2 -w 2s -r 1s) and the repetitions with
# BENCH_REPS (default 2), e.g. a quick look:
#   BENCH_REPS=1 BENCH_JMH_OPTS="-f 1 -wi 0 -i 1 -w 1s -r 1s" scripts/bench-engine.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

JMH_OPTS=${BENCH_JMH_OPTS:-"-f 1 -wi 1 -i 2 -w 2s -r 1s"}
REPS=${BENCH_REPS:-2}
read -r -a OPS <<< "${BENCH_OPS:-get put mixed getNewKey putNewKey}"
IMPLS=(lru lfu ttl size tinylfu caffeine)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl bench -am package
fi
# One JMH run per (op, threads, implementation), the implementations interleaved and repeated REPS times with a
# rotating start, so that load from other processes on this shared machine falls on Caffeine and the engine alike.
n=0
for threads in 1 2; do
  for op in "${OPS[@]}"; do
    for rep in $(seq 1 "$REPS"); do
      for i in "${!IMPLS[@]}"; do
        impl=${IMPLS[$(( (i + rep - 1) % ${#IMPLS[@]} ))]}
        n=$((n + 1))
        echo "== $op, $threads thread(s), $impl, rep $rep: $JMH_OPTS" >&2
        # shellcheck disable=SC2086
        java -jar bench/target/benchmarks.jar "EngineBenchmark.$op\$" $JMH_OPTS -t "$threads" -p impl="$impl" \
             -jvmArgs "-Xms1g -Xmx1g" -rf json -rff "$out/run$n.json" > "$out/run$n.log" \
          || { tail -40 "$out/run$n.log" >&2; exit 1; }
      done
    done
  done
done

python3 - "$out" "$JMH_OPTS" "$REPS" <<'PY'
import json, sys, glob, os, statistics
out, opts, reps = sys.argv[1], sys.argv[2], sys.argv[3]
samples = {}
for path in glob.glob(os.path.join(out, "run*.json")):
    for r in json.load(open(path)):
        op = r["benchmark"].rsplit(".", 1)[1]
        samples.setdefault((op, r["threads"]), {}).setdefault(r["params"]["impl"], []).append(
            r["primaryMetric"]["score"])
# the median over the repetitions (the mean of two when there are two)
rows = {k: {i: (statistics.median(v), min(v), max(v)) for i, v in impls_.items()} for k, impls_ in samples.items()}
impls = ["lru", "lfu", "ttl", "size", "tinylfu", "caffeine"]
print(f"engine throughput, Mops/s, median of {reps} interleaved runs (JMH {opts}; Zipf(0.99) over 131,072 keys, "
      f"maximumSize 65,536; min..max per cell below the table)")
print(f"{'op':<9} {'thr':>3} " + " ".join(f"{i:>9}" for i in impls) + "  | ratio to caffeine: " +
      " ".join(f"{i:>7}" for i in impls[:-1]))
ops = ["get", "put", "mixed", "getNewKey", "putNewKey"]
for op in ops:
    for t in [1, 2]:
        scores = rows.get((op, t), {})
        if not scores:
            continue
        caf = scores.get("caffeine", (float("nan"), 0))[0]
        cells = " ".join(f"{scores[i][0] / 1e6:9.2f}" if i in scores else f"{'-':>9}" for i in impls)
        ratios = " ".join(f"{scores[i][0] / caf:7.2f}" if i in scores else f"{'-':>7}" for i in impls[:-1])
        print(f"{op:<9} {t:>3} {cells}  |                    {ratios}")
print()
print("spread (min..max Mops/s over the repetitions):")
for op in ops:
    for t in [1, 2]:
        scores = rows.get((op, t), {})
        if not scores:
            continue
        print(f"  {op:<9} {t}: " + ", ".join(f"{i} {scores[i][1] / 1e6:.2f}..{scores[i][2] / 1e6:.2f}"
                                             for i in impls if i in scores))
# issue 13's targets: with 2 threads, lru and tinylfu get >= 0.8x and put >= 0.6x Caffeine
for op, goal in [("get", 0.8), ("put", 0.6), ("getNewKey", 0.8), ("putNewKey", 0.6)]:
    scores = rows.get((op, 2), {})
    if "caffeine" not in scores or not any(i in scores for i in ("lru", "tinylfu")):
        continue
    ratios = {i: scores[i][0] / scores["caffeine"][0] for i in ("lru", "tinylfu") if i in scores}
    verdict = "MET" if min(ratios.values()) >= goal else "MISSED"
    print(f"target: {op} >= {goal}x caffeine with 2 threads (lru, tinylfu): {verdict} ("
          + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()) + ")")
PY
