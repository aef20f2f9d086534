#!/usr/bin/env bash
# QuantumNAS search benchmark: trains the SuperCircuit of examples/quantumnas.tml (6 layers x 4 qubits,
# 18 configurations), searches SubCircuit and qubit mapping on lima's noise model, prunes, and prints
# the found configuration next to the largest and smallest ones (noisy accuracy, gate counts,
# two-qubit gates after routing). Usage: bench/quantum/quantumnas.sh [extra tmlc search options]
# TMLC=path overrides the driver (default: ./tmlc, which builds the compiler when sources changed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TMLC="${TMLC:-$ROOT/tmlc}"
cd "$ROOT"
echo "command: tmlc search examples/quantumnas.tml $*"
echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1 || true)"
start=$(date +%s)
"$TMLC" search examples/quantumnas.tml "$@"
echo "wall time: $(( $(date +%s) - start )) s"
