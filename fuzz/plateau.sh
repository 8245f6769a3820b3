#!/usr/bin/env bash
# Runs one fuzz target until it stops finding new coverage: libFuzzer is
# stopped once its edge coverage (`cov:`) has not grown for IDLE seconds, or
# after MAX seconds in all. Prints when coverage last grew. (New features,
# `ft:`, keep trickling in long after the edges stop growing.)
# Usage: fuzz/plateau.sh TARGET [IDLE=600] [MAX=3600]
# The libFuzzer log goes to fuzz/logs/TARGET.log (gitignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"; idle="${2:-600}"; max="${3:-3600}"
mkdir -p "$here/logs"
log="$here/logs/$target.log"
: > "$log"
"$here/run.sh" "$target" "$max" > "$log" 2>&1 &
pid=$!
start=$(date +%s); last=$start; seen=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  n=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | tr -dc 0-9)
  n=${n:-0}
  now=$(date +%s)
  if [ "$n" -gt "$seen" ]; then seen=$n; last=$now; fi
  if [ $((now - last)) -ge "$idle" ]; then
    kill -INT "$pid" 2>/dev/null || true
    pkill -INT -f "target/.*/release/$target " 2>/dev/null || true
    break
  fi
done
wait "$pid" 2>/dev/null || true
end=$(date +%s)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
echo "$target: ran $((end - start)) s; coverage last grew at $((last - start)) s (cov $seen); final $cov"
if ls "$here/artifacts/$target"/* >/dev/null 2>&1; then
  echo "$target: ARTIFACTS in fuzz/artifacts/$target:"; ls "$here/artifacts/$target"
fi
