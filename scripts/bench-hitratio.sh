#!/usr/bin/env bash
# Hit ratio of every eviction policy and of Caffeine over deterministic synthetic traces (zipf, zipf with scans,
# loop, shifting working set) at three cache sizes, replayed by one cache-aside client and by interleaved clients
# (default modes 1,2rr,4rnd: one client, two in turn, four in random order; pass another list as the argument,
# e.g. `scripts/bench-hitratio.sh 1,2rr`). About a minute per mode.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -q -DskipTests -pl bench -am package
fi
exec java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar io.cachegrid.bench.HitRatioSimulator "$@"
