#!/usr/bin/env bash
# Benchmark (not a test): EVTX decoding throughput with JMH (bench/jmh/java, Maven profile jmh).
#   [JMH_ARGS="-wi 1 -i 2"] bench/evtx-jmh.sh     (JMH_ARGS replaces the default -f 1 -wi 3 -w 5s -i 5 -r 5s)
# Runs EvtxBenchmark with threads=1 pinned to one core (taskset -c 0) and threads=2 on both
# cores, then prints MB/s (file size / ms per operation).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
./mvnw -q -B -Pjmh -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test >&2
java=${RDPDOCTOR_JAVA:-$(ls -d /usr/lib/jvm/*/bin/java | sort -rV | head -n 1)}
cp="target/test-classes:target/classes:$(cat target/jmh.classpath)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); java: $("$java" -version 2>&1 | head -n 1)"
run() {  # NAME THREADS PREFIX...
  local name=$1 threads=$2
  shift 2
  "$@" "$java" -cp "$cp" org.openjdk.jmh.Main 'EvtxBenchmark' -p threads="$threads" \
    ${JMH_ARGS:--f 1 -wi 3 -w 5s -i 5 -r 5s} -rf json -rff "target/jmh-$name.json" | tee "target/jmh-$name.txt" \
    | grep -E '^(image|EvtxBenchmark)' || true
}
run one-core 1 taskset -c 0
run both-cores 2 env
for f in target/jmh-one-core.json target/jmh-both-cores.json; do
  size=$(grep -m 1 '^image:' "${f%.json}.txt" | awk '{print $2}')
  python3 - "$f" "$size" <<'PY'
import json, sys
size = int(sys.argv[2])
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    m = {"score": float(m["score"]), "scoreError": float(m["scoreError"])}
    print(f'{r["benchmark"].rsplit(".", 1)[1]:15} threads={r["params"]["threads"]}: '
          f'{size / 1e6 / (m["score"] / 1e3):6.1f} MB/s  ({m["score"]:.1f} ± {m["scoreError"]:.1f} ms per {size / 1e6:.0f} MB)')
PY
done
