#!/usr/bin/env bash
# Statevector speed against memory bandwidth, side by side in one run:
#   bench/quantum/run.sh [qubits (26) [threads (all cpus) [rounds (9)]]]
# Builds ir and runtime (SKIP_BUILD=1 skips it), copies their classes aside (so that a concurrent
# build cannot swap them mid-run), then runs bench/quantum/StatevectorBench.java. 26 qubits need
# 3 GiB of heap (the 1 GiB state and two 1 GiB arrays for the memory kernels); BENCH_HEAP sets it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
tml_find_jdk
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then mvn -B -q -ntp -o -pl ir,runtime install -Dmaven.test.skip=true; fi
GUAVA="$(ls ~/.m2/repository/com/google/guava/guava/33.5.0-jre/guava-33.5.0-jre.jar)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$OUT/ir" "$OUT/runtime" "$OUT/bench"
cp -r ir/target/classes/. "$OUT/ir/"
cp -r runtime/target/classes/. "$OUT/runtime/"
CP="$OUT/ir:$OUT/runtime:$GUAVA"
javac -d "$OUT/bench" -cp "$CP" bench/quantum/StatevectorBench.java
java -Xms${BENCH_HEAP:-4g} -Xmx${BENCH_HEAP:-4g} -XX:+AlwaysPreTouch -cp "$OUT/bench:$CP" StatevectorBench "$@"
