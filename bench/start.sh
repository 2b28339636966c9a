#!/usr/bin/env bash
# Benchmark (not a test): start-up of the launcher, with hyperfine.
#   bench/start.sh [CHECKOUT] [RUNS]
# CHECKOUT (default: this one) is a clone whose ./rdpdoctor has run once (jar and class cache
# built). Prints hyperfine's numbers for warm `explain 0x904 0x7`, `diagnose --help` and
# `selftest` (a full diagnose of a loopback server: the run that starts the I/O poller), then
# the second command after a fresh clone: `git clone CHECKOUT`, one `./rdpdoctor explain`
# (which builds), then the timed second one.
set -euo pipefail
self=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
dir=$(cd "${1:-$self}" && pwd)
RUNS=${2:-20}
[[ $RUNS =~ ^[0-9]+$ ]] && (( RUNS >= 3 && RUNS <= 200 )) || { echo "bench: RUNS 3..200" >&2; exit 2; }
command -v hyperfine > /dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1),"\
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "checkout: $dir ($(git -C "$dir" log --oneline -1))"
cd "$dir"
./rdpdoctor explain 0x904 0x7 > /dev/null
while [ -d target/.cache-building ]; do sleep 1; done
hyperfine -N -w 3 -r "$RUNS" --export-markdown /dev/stdout \
  './rdpdoctor explain 0x904 0x7' './rdpdoctor diagnose --help' './rdpdoctor selftest'

scratch=$(mktemp -d /tmp/rdpdoctor-start.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
git clone -q "$dir" "$scratch/clone"
cd "$scratch/clone"
echo "fresh clone: first command (builds the jar, and the class cache where the launcher does)"
/usr/bin/time -f '  first command: %e s' ./rdpdoctor explain 0x904 0x7 > /dev/null
hyperfine -N -r 1 --export-markdown /dev/stdout './rdpdoctor explain 0x904 0x7' | tail -n 1
while [ -d target/.cache-building ]; do sleep 1; done

# The exit stall: time from the report's last write to stdout to exit_group, traced with
# strace, five selftest runs each with the JVM's default wait for threads in native code
# (UserThreadWaitAttemptsAtExit=30, i.e. 300 ms) and with the launcher's 0.
cd "$dir"
if command -v strace > /dev/null; then
  for attempts in 30 0; do
    gaps=""
    for i in 1 2 3 4 5; do
      RDPDOCTOR_OPTS="-XX:UserThreadWaitAttemptsAtExit=$attempts" strace -f -tt \
        -e trace=write,exit_group -o "$scratch/strace" ./rdpdoctor selftest > /dev/null
      gaps="$gaps $(awk '/write\(1,/ {w = $2} /exit_group/ {e = $2}
        function s(t,  a) {split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3]}
        END {printf "%d", (s(e) - s(w)) * 1000}' "$scratch/strace")"
    done
    echo "exit wait after the last write, UserThreadWaitAttemptsAtExit=$attempts:$gaps ms"
  done
fi
