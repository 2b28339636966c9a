#!/usr/bin/env bash
# Benchmark (not a test): how many probes per second one `rdpdoctor serve` sustains against the
# lab's healthy-tls server, with p50/p99 latency and the server's memory. serve and the load
# run inside the scenario's client namespace. Root (the lab needs it).
#   bench/serve-bench.sh [SECONDS] [CONCURRENCY] [MODULE]   defaults: 20 8 quick
# SECONDS 5..120, CONCURRENCY 1..64; serve's cap is set to CONCURRENCY so nothing is refused.
# Env: RDPDOCTOR_JAVA (a java >= 21), RDPDOCTOR_JAR (default target/rdpdoctor-*-all.jar).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$(readlink -f "$0")")/.."

SECS=${1:-20}
CONC=${2:-8}
MODULE=${3:-quick}
[[ $SECS =~ ^[0-9]+$ ]] && (( SECS >= 5 && SECS <= 120 )) || { echo "bench: SECONDS 5..120" >&2; exit 2; }
[[ $CONC =~ ^[0-9]+$ ]] && (( CONC >= 1 && CONC <= 64 )) || { echo "bench: CONCURRENCY 1..64" >&2; exit 2; }
[[ $MODULE =~ ^[a-z0-9_-]+$ ]] || { echo "bench: MODULE is a module name" >&2; exit 2; }
SCN=healthy-tls
LAB=lab/rdplab
PORT=19499

# a glob that matches nothing makes ls fail: under pipefail that would end the script silently
JAVA=${RDPDOCTOR_JAVA:-$( (ls -d /usr/lib/jvm/temurin-2[5-9]*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null || true) | head -1)}
JAR=${RDPDOCTOR_JAR:-$( (ls target/rdpdoctor-*-all.jar 2>/dev/null || true) | head -1)}
[[ -x $JAVA && -f $JAR ]] || { echo "bench: need a java >= 21 and a built jar (./mvnw package)" >&2; exit 2; }

"$LAB" up "$SCN" > /dev/null
ns=rdpd-$SCN-c
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2> /dev/null || true
  "$LAB" down "$SCN" > /dev/null 2>&1 || true
}
trap cleanup EXIT

ip netns exec "$ns" timeout $((SECS + 120)) "$JAVA" -Xmx256m -jar "$JAR" serve \
  --listen "127.0.0.1:$PORT" --max-concurrent "$CONC" --rate 100000 > /tmp/serve-bench.log 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  ip netns exec "$ns" curl -s -m 1 "http://127.0.0.1:$PORT/metrics" > /dev/null && break
  sleep 0.5
done

# warm-up: JIT and class loading, not measured
ip netns exec "$ns" curl -s -m 30 "http://127.0.0.1:$PORT/probe?target=srv.lab.test&module=$MODULE" > /dev/null

ip netns exec "$ns" python3 - "$PORT" "$SECS" "$CONC" "$MODULE" <<'EOF'
import sys, threading, time, urllib.request
port, secs, conc, module = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
url = f"http://127.0.0.1:{port}/probe?target=srv.lab.test&module={module}"
lat, errors, lock = [], [0], threading.Lock()
end = time.monotonic() + secs
def worker():
    while time.monotonic() < end:
        t = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                body = r.read().decode()
            ok = r.status == 200 and "probe_success 1.0" in body
        except Exception:
            ok = False
        with lock:
            (lat.append(time.monotonic() - t) if ok else None)
            if not ok:
                errors[0] += 1
threads = [threading.Thread(target=worker) for _ in range(conc)]
t0 = time.monotonic()
[t.start() for t in threads]
[t.join() for t in threads]
wall = time.monotonic() - t0
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print(f"probes ok: {len(lat)}  failed: {errors[0]}  in {wall:.1f} s  concurrency {conc}  module {module}")
print(f"throughput: {len(lat) / wall:.1f} probes/s")
print(f"latency ms: p50 {q(0.50):.0f}  p90 {q(0.90):.0f}  p99 {q(0.99):.0f}  max {lat[-1]*1000:.0f}")
EOF
jpid=$(pgrep -P "$pid" -f "rdpdoctor" || true)
[[ -z $jpid ]] && jpid=$(ps -o pid= --ppid "$pid" | head -1 | tr -d ' ')
echo "serve RSS: $(ps -o rss= -p "${jpid:-$pid}" | awk '{printf "%.0f MiB", $1/1024}')"
ip netns exec "$ns" curl -s "http://127.0.0.1:$PORT/metrics" \
  | grep -E '^jvm_memory_used_bytes\{area="heap"\}|^rdpdoctor_exporter_probes_total'
echo "machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
