#!/usr/bin/env bash
# Benchmark (not a test) of `rdpdoctor scan` on the lab's fleet (lab/rdplab scenario `fleet`),
# from its client namespace, under /tmp/rdpdoctor-lab.lock. Root (the lab needs it). Prints:
#   1. xrdp's own accept rate: X.224 answers/s from the negotiate xrdp (64 parallel clients,
#      10 s, plain sockets, no rdpdoctor);
#   2. nmap -Pn -p 3389 --script rdp-enum-encryption,ssl-cert vs rdpdoctor scan on the same
#      64 hosts (198.19.128.0/26), one after the other: hosts/s of each and the ratio;
#   3. rdpdoctor scan by CIDR of 1k, 4k and 16k addresses (a /22, /20, /18 of the fleet's
#      /17): hosts/s and peak RSS (/usr/bin/time -v);
#   4. the same CIDRs on port 3390, where every address refuses (RST), through the ./rdpdoctor
#      launcher as a user runs it: the scanner's own pace and memory when the server is no limit.
#   bench/scan-bench.sh [SIZES...]    default sizes: 1024 4096 16384
#   REFUSED_ONLY=1 skips steps 1-3 (an hour at 16k: xrdp answers about 4.5 hosts/s).
# Env: RDPDOCTOR_JAVA (a java >= 21), RDPDOCTOR_JAR (default target/rdpdoctor-*-all.jar),
#      CONCURRENCY (default 32), SCAN_JAVA_OPTS (default -Xmx128m: the scan keeps a few
#      hundred bytes per host, so the cap is the JVM's heap, not the fleet's size).
#      Leaves the fleet up if it was up, else brings it down.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$(readlink -f "$0")")/.."

SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1024 4096 16384)
CONCURRENCY=${CONCURRENCY:-32}   # what six xrdp on two cores answer in time (FleetScanIT)
read -r -a JOPTS <<< "${SCAN_JAVA_OPTS--Xmx128m}"
LAB=lab/rdplab
JAVA=${RDPDOCTOR_JAVA:-$(ls -d /usr/lib/jvm/*/bin/java | sort -rV | head -1)}
JAR=${RDPDOCTOR_JAR:-$(ls target/rdpdoctor-*-all.jar | head -1)}
[[ -f $JAR ]] || { echo "scan-bench: no jar; run ./mvnw -B -o package -DskipTests" >&2; exit 2; }
for s in "${SIZES[@]}"; do
  [[ $s =~ ^(1024|2048|4096|8192|16384)$ ]] || { echo "scan-bench: sizes are 1024..16384, powers of 2" >&2; exit 2; }
done
OUT=$(mktemp -d /tmp/scan-bench.XXXXXX)
CNS=rdpd-fleet-c

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

if [[ -z ${RDPLAB_LOCK_HELD:-} ]]; then   # set when the caller already holds the lab lock
  exec 8> /tmp/rdpdoctor-lab.lock
  flock 8
fi
was_up=0
[[ -f /run/rdpdoctor-lab/fleet/info.json ]] && was_up=1
[[ $was_up == 1 ]] || $LAB up fleet > /dev/null
trap '[[ $was_up == 1 ]] || $LAB down fleet > /dev/null' EXIT

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/ {print $2}') GB;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) at start (shared with other jobs)"
echo "java: $("$JAVA" -version 2>&1 | head -1) ${JOPTS[*]}; xrdp $(xrdp -v 2>/dev/null | head -1 | awk '{print $2}')"

if [[ -z ${REFUSED_ONLY:-} ]]; then
# 1. what xrdp itself accepts: connect, X.224 request, read the answer, close
ip netns exec "$CNS" python3 - <<'PY'
import socket, struct, threading, time
cr = b"\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00" + struct.pack("<BBHI", 1, 0, 8, 3)
stop = time.monotonic() + 10
count = [0]; errors = [0]; lock = threading.Lock()
def worker(i):
    n = e = 0
    while time.monotonic() < stop:
        try:
            s = socket.create_connection((f"198.19.130.{i % 250 + 1}", 3389), timeout=5)
            s.sendall(cr)
            if len(s.recv(64)) >= 11:
                n += 1
            s.close()
        except OSError:
            e += 1
    with lock:
        count[0] += n; errors[0] += e
ts = [threading.Thread(target=worker, args=(i,)) for i in range(64)]
t0 = time.monotonic()
[t.start() for t in ts]; [t.join() for t in ts]
dt = time.monotonic() - t0
print(f"xrdp accept rate: {count[0] / dt:.0f} X.224 answers/s ({count[0]} in {dt:.1f} s, 64 clients, {errors[0]} errors)")
PY

# 2. nmap vs rdpdoctor on the same 64 hosts
t0=$(now)
ip netns exec "$CNS" nmap -Pn -n -p 3389 --script rdp-enum-encryption,ssl-cert -oX "$OUT/nmap.xml" 198.19.128.0/26 > /dev/null
t1=$(now)
nmap_s=$(secs "$t0" "$t1")
t0=$(now)
ip netns exec "$CNS" "$JAVA" -jar "$JAR" scan 198.19.128.0/26 --json -q --concurrency "$CONCURRENCY" > "$OUT/scan64.ndjson" || true
t1=$(now)
scan_s=$(secs "$t0" "$t1")
awk -v n="$nmap_s" -v s="$scan_s" 'BEGIN {
  printf "64 hosts: nmap %.1f s = %.1f hosts/s; rdpdoctor scan %.1f s = %.1f hosts/s (JVM start included); ratio %.1fx\n",
    n, 64 / n, s, 64 / s, (64 / s) / (64 / n) }'
echo "  (nmap answered $(grep -c '<host ' "$OUT/nmap.xml") hosts; rdpdoctor wrote $(wc -l < "$OUT/scan64.ndjson") reports)"

# 3. scaling by CIDR in the /17 beyond the first /24: every address is the negotiate xrdp
for n in "${SIZES[@]}"; do
  prefix=$((32 - $(awk -v n="$n" 'BEGIN { print int(log(n) / log(2) + 0.5) }')))
  net="198.19.192.0/$prefix"
  t0=$(now)
  ip netns exec "$CNS" /usr/bin/time -v -o "$OUT/time-$n.txt" "$JAVA" "${JOPTS[@]}" -jar "$JAR" scan "$net" \
    --json -q --concurrency "$CONCURRENCY" > "$OUT/scan-$n.ndjson" || true
  t1=$(now)
  s=$(secs "$t0" "$t1")
  rss=$(awk '/Maximum resident set size/ {print int($6 / 1024)}' "$OUT/time-$n.txt")
  lines=$(wc -l < "$OUT/scan-$n.ndjson")
  healthy=$(grep -c '"findings":\[{"cause":"healthy"' "$OUT/scan-$n.ndjson" || true)
  awk -v n="$n" -v s="$s" -v r="$rss" -v l="$lines" -v h="$healthy" -v net="$net" 'BEGIN {
    printf "%5d addresses (%s): %.1f s = %.1f hosts/s, peak RSS %d MB, %d reports (%d healthy)\n",
      n, net, s, n / s, r, l, h }'
done
fi

# 4. every address refuses: the scanner's pace and memory, not the server's
for n in "${SIZES[@]}"; do
  prefix=$((32 - $(awk -v n="$n" 'BEGIN { print int(log(n) / log(2) + 0.5) }')))
  net="198.19.192.0/$prefix"
  t0=$(now)
  ip netns exec "$CNS" /usr/bin/time -v -o "$OUT/time-refused-$n.txt" ./rdpdoctor scan "$net" --port 3390 \
    --json -q --concurrency "$CONCURRENCY" > "$OUT/refused-$n.ndjson" || true
  t1=$(now)
  s=$(secs "$t0" "$t1")
  rss=$(awk '/Maximum resident set size/ {print int($6 / 1024)}' "$OUT/time-refused-$n.txt")
  lines=$(wc -l < "$OUT/refused-$n.ndjson")
  closed=$(grep -c '"cause":"port-closed"' "$OUT/refused-$n.ndjson" || true)
  awk -v n="$n" -v s="$s" -v r="$rss" -v l="$lines" -v c="$closed" -v net="$net" 'BEGIN {
    printf "%5d refusing addresses (%s port 3390, launcher): %.1f s = %.0f hosts/s, peak RSS %d MB, %d reports (%d port-closed)\n",
      n, net, s, n / s, r, l, c }'
done
echo "raw outputs: $OUT"
