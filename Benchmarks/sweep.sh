#!/usr/bin/env bash
# Sweep wall time with --jobs 1 and --jobs 2 (all runs fresh), and a cached re-run, as a Markdown table.
# Usage: Benchmarks/sweep.sh [SCENARIO...]   (default: optimizers). Needs a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/release/simulate
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
printf '| scenario | runs | --jobs 1 (s) | --jobs 2 (s) | speed-up | cached re-run (s) |\n|---|---:|---:|---:|---:|---:|\n'
for scenario in "${@:-optimizers}"; do
    runs=$(( $("$binary" plan "$scenario" | wc -l) - 1 ))
    one=$(seconds "$binary" "$scenario" --out "$out/$scenario" --fresh --quiet --jobs 1)
    two=$(seconds "$binary" "$scenario" --out "$out/$scenario" --fresh --quiet --jobs 2)
    cached=$(seconds "$binary" "$scenario" --out "$out/$scenario" --quiet)
    printf '| %s | %s | %.1f | %.1f | %.2f× | %.2f |\n' "$scenario" "$runs" "$one" "$two" "$(echo "$one / $two" | bc -l)" "$cached"
done
