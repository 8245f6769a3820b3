#!/usr/bin/env bash
# Runs one fuzz target for a while, single process, seeded from fixtures.
# Usage: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
# No sanitizer (-s none): the code is safe Rust, and ASan made runs 3x slower.
# Needs cargo-fuzz and a nightly toolchain (`cargo +nightly fuzz`); with only
# stable, RUSTC_BOOTSTRAP=1 cargo fuzz ... does the same.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"; secs="${2:-600}"; shift || true; shift || true
case "$target" in
  org_file|org_files) dict=org.dict; max_len=32768 ;;
  config) dict=config.dict; max_len=8192 ;;
  pack) dict=pack.dict; max_len=16384 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
[ -d "$here/corpus/$target" ] || "$here/seed.sh"
cd "$here"
export RAYON_NUM_THREADS=1
exec cargo +nightly fuzz run -O -s none "$target" "corpus/$target" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len="$max_len" \
  -dict="dict/$dict" -print_final_stats=1 "$@"
