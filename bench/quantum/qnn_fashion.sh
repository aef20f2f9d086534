#!/usr/bin/env bash
# Trains the Fashion-MNIST QNN of bench/quantum/fashion_qnn.tml in every setting of bench/RESULTS.md,
# section "Quantum: Fashion-MNIST QNN": (a) noise-free, (b) under the depolarizing device noisy4 with
# and without QuantumNAT noise injection and normalization, (c) parameter shift with and without QOC
# gradient pruning. (b) and (c) run with seeds 0, 1 and 2 (initial parameters, batch order, noise
# draws, shots, pruning); (a) and the 4-draw injection with seed 0. Writes logs, weights and
# summary.txt to OUT (default $TMPDIR/tml-qnn-fashion) and the seed-0 training curves to
# bench/quantum/qnn_*.svg. Needs Debian's dataset-fashion-mnist.
# Usage: bench/quantum/qnn_fashion.sh [OUT]      (TMLC=path/to/tmlc to use another driver)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${1:-${TMPDIR:-/tmp}/tml-qnn-fashion}"
TMLC="${TMLC:-$ROOT/tmlc}"
mkdir -p "$OUT"
start=$(date +%s)
RUNS="a_plain:0 a_norm:0"
for s in 0 1 2; do RUNS="$RUNS b_plain:$s b_norm:$s b_inject:$s b_inject_norm:$s"; done
RUNS="$RUNS b_inject4_norm:0"
for s in 0 1 2; do RUNS="$RUNS c_shift:$s c_shift_pruned:$s c_shots:$s c_shots_pruned:$s"; done
for r in $RUNS; do
  t="${r%:*}" s="${r#*:}"
  curve=()
  [ "$s" = 0 ] && curve=(--curve "$HERE/qnn_$t.svg")
  echo "== tmlc train bench/quantum/fashion_qnn.tml --train $t --seed $s -o $OUT/${t}_s$s.safetensors ${curve[*]/#$HERE/bench/quantum}"
  "$TMLC" train "$HERE/fashion_qnn.tml" --train "$t" --seed "$s" -o "$OUT/${t}_s$s.safetensors" "${curve[@]}" | tee "$OUT/${t}_s$s.log"
done
{
  printf "%-16s %-5s %9s %10s %13s %8s\n" experiment seed "test acc" "noisy acc" "circuit runs" seconds
  for r in $RUNS; do
    t="${r%:*}" s="${r#*:}"
    awk -v t="$t" -v s="$s" '/^test accuracy/ {
        noisy = "-"; if ($0 ~ /under noise/) { noisy = $0; sub(/.*under noise /, "", noisy); sub(/;.*/, "", noisy) }
        runs = $0; sub(/ training circuit runs.*/, "", runs); sub(/.*; /, "", runs)
        secs = $0; sub(/ s$/, "", secs); sub(/.*; /, "", secs)
        printf "%-16s %-5s %9s %10s %13s %8s\n", t, s, $3, noisy, runs, secs }' "$OUT/${t}_s$s.log"
  done
  echo
  echo "means over the seeds run:"
  for t in a_plain a_norm b_plain b_norm b_inject b_inject_norm b_inject4_norm c_shift c_shift_pruned c_shots c_shots_pruned; do
    cat "$OUT/${t}"_s*.log | awk -v t="$t" '/^test accuracy/ {
        n++; acc += $3; if ($0 ~ /under noise/) { x = $0; sub(/.*under noise /, "", x); sub(/;.*/, "", x); noisy += x; hasn = 1 }
        r = $0; sub(/ training circuit runs.*/, "", r); sub(/.*; /, "", r); runs += r }
        END { printf "%-16s seeds %d  test acc %.4f  noisy acc %s  circuit runs %d\n", t, n, acc / n, hasn ? sprintf("%.4f", noisy / n) : "-", runs / n }'
  done
  echo "total wall time: $(( $(date +%s) - start )) s"
} | tee "$OUT/summary.txt"
