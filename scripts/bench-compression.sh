#!/usr/bin/env bash
# Value codecs for CACHEGRID_COMPRESSION_THRESHOLD_BYTES, measured (issue 12): JDK Deflater (levels 1 and 6), LZ4
# (lz4-java, its JNI build of the C library and its pure-Java port) and Zstd (zstd-jni, levels 1 and 3) on
# seeded JSON documents of about 512 B, 4 KB, 64 KB and 1 MB. Prints per codec and size: compress and decompress
# speed in MB/s of original bytes (JMH average time per operation, one thread) and the ratio original/compressed.
# About 8 minutes with the defaults; override the JMH settings with BENCH_JMH_OPTS
# (default: -f 1 -wi 2 -i 5 -w 1s -r 1s).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

JMH_OPTS=${BENCH_JMH_OPTS:-"-f 1 -wi 2 -i 5 -w 1s -r 1s"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl bench -am package
fi
java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.cachegrid.bench.CompressionRatios \
  > "$out/ratios.tsv"
# shellcheck disable=SC2086
java -jar bench/target/benchmarks.jar 'CompressionBenchmark' $JMH_OPTS \
     -jvmArgs "-Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED" -rf json -rff "$out/jmh.json" > "$out/jmh.log" \
  || { tail -40 "$out/jmh.log" >&2; exit 1; }

python3 - "$out" "$JMH_OPTS" <<'PY'
import json, os, sys
out, opts = sys.argv[1], sys.argv[2]
ratios = {}
for line in open(os.path.join(out, "ratios.tsv")):
    codec, size, original, compressed = line.split("\t")
    ratios[(codec, int(size))] = (int(original), int(compressed))
times = {}
for r in json.load(open(os.path.join(out, "jmh.json"))):
    op = r["benchmark"].rsplit(".", 1)[1]
    times[(r["params"]["codec"], int(r["params"]["size"]), op)] = (r["primaryMetric"]["score"],
                                                                  r["primaryMetric"]["scoreError"])
codecs = ["deflate-1", "deflate-6", "lz4-jni", "lz4-java", "zstd-1", "zstd-3"]
sizes = [512, 4096, 65536, 1048576]
print(f"value codecs on seeded JSON documents, one thread (JMH {opts}; MB/s = original bytes / average time)")
print(f"{'codec':<10} {'doc bytes':>9} {'stored':>8} {'ratio':>6} {'compress MB/s':>14} {'decompress MB/s':>16}"
      f" {'compress us':>12} {'decompress us':>14} {'err %':>6}")
nan = (float("nan"), float("nan"))
for size in sizes:
    for codec in codecs:
        original, compressed = ratios[(codec, size)]
        c = times.get((codec, size, "compress"), nan)
        d = times.get((codec, size, "decompress"), nan)
        # JMH's 99.9% confidence half-width, as a share of the mean: the larger of the two operations'
        err = max(100 * c[1] / c[0], 100 * d[1] / d[0])
        print(f"{codec:<10} {original:>9} {compressed:>8} {original / compressed:>6.2f} {original / c[0]:>14.0f}"
              f" {original / d[0]:>16.0f} {c[0]:>12.2f} {d[0]:>14.2f} {err:>6.0f}")
    print()
best = {}
for size in sizes:
    fastest = min(codecs, key=lambda codec: times.get((codec, size, "decompress"), nan)[0])
    best[size] = fastest
print("fastest decompression per size: " + ", ".join(f"{size} B: {codec}" for size, codec in best.items()))
PY
