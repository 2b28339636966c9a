#!/usr/bin/env bash
# Benchmark (not a test): wall time of `rdpdoctor diagnose srv.lab.test --json` against
# `nmap -Pn -p 3389 --script rdp-enum-encryption,ssl-cert srv.lab.test`, both from the
# client namespace of the lab's healthy-tls scenario. Root (the lab needs it).
#   bench/bench.sh [RUNS]        RUNS (default 5, at most 50) per tool; prints medians + ratio
# Env: RDPDOCTOR_JAVA (a java >= 21), RDPDOCTOR_JAR (default target/rdpdoctor-*-all.jar).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$(readlink -f "$0")")/.."

RUNS=${1:-5}
[[ $RUNS =~ ^[0-9]+$ ]] && (( RUNS >= 1 && RUNS <= 50 )) || { echo "bench: RUNS must be 1..50" >&2; exit 2; }
SCN=healthy-tls
LAB=lab/rdplab

java_ok() {  # prints the binary if it is a java >= 21
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  [[ -n $v && $v -ge 21 ]] && echo "$1"
}
pick_java() {
  local c
  for c in ${RDPDOCTOR_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
    [[ -x $c ]] && java_ok "$c" && return 0
  done
  return 1
}

JAVA=$(pick_java) || { echo "bench: no java >= 21 (set RDPDOCTOR_JAVA)" >&2; exit 2; }
export RDPDOCTOR_JAVA=$JAVA
JAR=${RDPDOCTOR_JAR:-$(ls target/rdpdoctor-*-all.jar 2>/dev/null | head -n 1 || true)}
if [[ -z $JAR ]]; then
  echo "bench: building the jar (./mvnw -q -B -DskipTests package)" >&2
  ./mvnw -q -B -DskipTests package >&2
  JAR=$(ls target/rdpdoctor-*-all.jar | head -n 1)
fi

info=$(bash "$LAB" up "$SCN")
NS=$(sed -n 's/.*"client_ns":"\([^"]*\)".*/\1/p' <<< "$info")

median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

OUT=$(mktemp -d /tmp/rdpdoctor-bench.XXXXXX)
trap 'bash "$LAB" down "$SCN" > /dev/null; rm -rf "$OUT"' EXIT

time_runs() {  # NAME CMD... : RUNS timed runs (each at most 120 s); one ms value per line
  local i t0 rc
  for ((i = 1; i <= RUNS; i++)); do
    t0=$(date +%s%N)
    rc=0
    timeout 120 ip netns exec "$NS" "${@:2}" > "$OUT/$1.out" 2> "$OUT/$1.err" || rc=$?
    echo $(( ($(date +%s%N) - t0) / 1000000 )) | tee -a "$OUT/$1.ms"
    echo "$rc" >> "$OUT/$1.rc"
  done
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "java:    $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"
echo "nmap:    $(nmap --version | head -n 1)"
echo "target:  srv.lab.test (scenario $SCN, client ns $NS), $RUNS runs each"

# What users run is the launcher, which keeps a class cache (AOT cache on JDK 25+); its first
# diagnose records the cache and builds it in the background, so warm it and wait for it.
RDPDOCTOR_JAVA=$JAVA ip netns exec "$NS" ./rdpdoctor diagnose srv.lab.test --json > /dev/null 2>&1 || true
for ((i = 0; i < 120; i++)); do
  pgrep -f -- "-XX:AOTMode=create" > /dev/null || break
  sleep 0.5
done
d_ms=$(RDPDOCTOR_JAVA=$JAVA time_runs rdpdoctor ./rdpdoctor diagnose srv.lab.test --json | median)
j_ms=$(time_runs rdpdoctor-plain "$JAVA" -jar "$JAR" diagnose srv.lab.test --json | median)
n_ms=$(time_runs nmap nmap -Pn -p 3389 --script rdp-enum-encryption,ssl-cert srv.lab.test | median)

echo "rdpdoctor diagnose --json: median ${d_ms} ms  (runs: $(paste -sd' ' "$OUT/rdpdoctor.ms") ms; exits: $(paste -sd' ' "$OUT/rdpdoctor.rc"))"
echo "java -jar (no class cache):   median ${j_ms} ms  (runs: $(paste -sd' ' "$OUT/rdpdoctor-plain.ms") ms)"
echo "rdpdoctor probe phase (duration_ms in the JSON): $(grep -o '"duration_ms" : [0-9]*' "$OUT/rdpdoctor.out" | grep -o '[0-9]*$') ms (last run)"
echo "nmap rdp-enum-encryption,ssl-cert: median ${n_ms} ms  (runs: $(paste -sd' ' "$OUT/nmap.ms") ms; exits: $(paste -sd' ' "$OUT/nmap.rc"))"
grep -q '"cause"' "$OUT/rdpdoctor.out" ||
  echo "WARNING: rdpdoctor printed no findings (stdout: $(head -c 200 "$OUT/rdpdoctor.out"); stderr: $(head -c 200 "$OUT/rdpdoctor.err")): its time is not a real diagnosis"
grep -q '^3389/tcp *open' "$OUT/nmap.out" || echo "WARNING: nmap did not report 3389/tcp open: $(head -c 300 "$OUT/nmap.out")"
awk -v d="$d_ms" -v n="$n_ms" 'BEGIN {printf "ratio rdpdoctor/nmap: %.2f\n", (n > 0 ? d / n : 0)}'
