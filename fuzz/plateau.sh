#!/usr/bin/env bash
# Runs one fuzz target until it stops finding new coverage: libFuzzer is
# stopped once its edge coverage (`cov:`) has not grown for IDLE seconds, or
# after MAX seconds in all. Prints when coverage last grew. (New features,
# `ft:`, keep trickling in long after the edges stop growing.)
# Usage: fuzz/plateau.sh TARGET [IDLE=600] [MAX=3600] [libFuzzer flags...]
# The libFuzzer log goes to fuzz/logs/TARGET.log (gitignored), and the memory
# map of the fuzz process to fuzz/logs/TARGET.maps: with -print_pcs=1, the
# log's NEW_PC addresses need its load base (see fuzz/newpcs.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"; idle="${2:-600}"; max="${3:-3600}"
shift; shift || true; shift || true
mkdir -p "$here/logs"
log="$here/logs/$target.log"
: > "$log"
maps="$here/logs/$target.maps"
rm -f "$maps"
# Wall clock: "SECONDS RUN" every poll, so that newpcs.sh can date runs.
clock="$here/logs/$target.clock"
: > "$clock"
"$here/run.sh" "$target" "$max" "$@" > "$log" 2>&1 &
pid=$!
saved=0
# Copies /proc/PID/maps of the fuzz binary started by this run (a descendant
# of $pid: another run of the same target may be going) once it exists.
save_maps() {
  local p q
  for p in $(pgrep -f -- "release/$target " || true); do
    q=$p
    while [ -n "$q" ] && [ "$q" -gt 1 ] && [ "$q" != "$pid" ]; do
      q=$(awk '/^PPid:/ {print $2}' "/proc/$q/status" 2>/dev/null || true)
    done
    if [ "$q" = "$pid" ] && cat "/proc/$p/maps" > "$maps.tmp" 2>/dev/null \
        && [ -s "$maps.tmp" ]; then
      mv "$maps.tmp" "$maps"; saved=1; return 0
    fi
  done
  rm -f "$maps.tmp"
}
start=$(date +%s); last=$start; seen=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  [ "$saved" = 1 ] || save_maps
  n=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | tr -dc 0-9)
  n=${n:-0}
  now=$(date +%s)
  run=$( (grep -o '^#[0-9]*' "$log" || true) | tail -1 | tr -dc 0-9)
  [ -z "$run" ] || echo "$((now - start)) $run" >> "$clock"
  if [ "$n" -gt "$seen" ]; then seen=$n; last=$now; fi
  if [ $((now - last)) -ge "$idle" ]; then
    kill -INT "$pid" 2>/dev/null || true
    pkill -INT -f "target/.*/release/$target " 2>/dev/null || true
    break
  fi
done
wait "$pid" 2>/dev/null || true
end=$(date +%s)
if [ "$saved" != 1 ] && grep -q 'NEW_PC:' "$log"; then
  echo "$target: could not save the process maps; newpcs.sh needs them" >&2
fi
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
echo "$target: ran $((end - start)) s; coverage last grew at $((last - start)) s (cov $seen); final $cov"
if ls "$here/artifacts/$target"/* >/dev/null 2>&1; then
  echo "$target: ARTIFACTS in fuzz/artifacts/$target:"; ls "$here/artifacts/$target"
fi
