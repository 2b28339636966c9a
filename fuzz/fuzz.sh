#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder target in DecoderFuzzTest, one target per JVM
# (Jazzer fuzzes one @FuzzTest per run).
#   fuzz/fuzz.sh            each target for DecoderFuzzTest.MAX_DURATION (60 s)
#   fuzz/fuzz.sh RUNS       each target for RUNS inputs at most (CI: a few seconds each)
#   fuzz/fuzz.sh RUNS NAME  one target
# A crash stops that target's run, fails this script, and Jazzer writes the input beside the
# target's seeds (src/test/resources/dev/rdpdoctor/fuzz/DecoderFuzzTestInputs/NAME/), where
# every normal build replays it from then on.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
runs=${1:-}
[[ -z $runs || $runs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: RUNS is a positive number" >&2; exit 2; }
src=src/test/java/dev/rdpdoctor/fuzz/DecoderFuzzTest.java
mapfile -t targets < <(grep -A1 '@FuzzTest' "$src" | grep -oP 'void \K\w+(?=\()')
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz.sh: no @FuzzTest in $src" >&2; exit 2; }
if [[ -n ${2:-} ]]; then
  [[ " ${targets[*]} " == *" $2 "* ]] || { echo "fuzz.sh: no target '$2' (${targets[*]})" >&2; exit 2; }
  targets=("$2")
fi
extra=()
# libFuzzer takes the first argument as its argv[0]; the run limit comes after it
[[ -n $runs ]] && extra=(-Djazzer.internal.arg.0=rdpdoctor-fuzz "-Djazzer.internal.arg.1=-runs=$runs")
failed=()
for t in "${targets[@]}"; do
  log=target/fuzz-$t.log
  mkdir -p target
  start=$(date +%s)
  if JAZZER_FUZZ=1 ./mvnw -B -o -q test -Dtest="DecoderFuzzTest#$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dspotless.check.skip=true "${extra[@]}" > "$log" 2>&1; then
    status=ok
  else
    status=FAILED; failed+=("$t")
  fi
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  echo "fuzz $t: $status in $(($(date +%s) - start)) s; ${done_line:-no DONE line (see $log)}"
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings or errors in: ${failed[*]} (logs: target/fuzz-NAME.log)" >&2
  exit 1
fi
