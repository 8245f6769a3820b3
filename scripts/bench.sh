#!/usr/bin/env bash
# The benchmark suite, in one command (issue 5):
#
#   scripts/bench.sh                 # 1.7k, 17k and 170k people (~1-3 min)
#   scripts/bench.sh 17k 170k        # chosen sizes
#   scripts/bench.sh 17k --runs 20   # best of 20 instead of the default
#
# Builds the release binary and examples, then runs examples/bench.rs: it
# generates each organisation (examples/genorg.rs's generator) in a temp dir
# and prints Markdown tables: the parse floor, `orglint check --format json`
# end to end, their ratio, each stage in-process, peak memory; then 10,000
# diagnostics rendered in human format and 10 CEL rules over 17k people.
# Progress goes to stderr, the tables to stdout. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bins --examples
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/examples/bench" --bin "$target/release/orglint" "$@"
