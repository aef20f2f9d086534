#!/usr/bin/env bash
# Builds ir and runtime, then runs the statevector benchmark: bench/quantum/run.sh [minQubits maxQubits [threads]]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
tml_find_jdk
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then mvn -B -q -ntp -o -pl ir,runtime install -DskipTests; fi
GUAVA="$(ls ~/.m2/repository/com/google/guava/guava/33.5.0-jre/guava-33.5.0-jre.jar)"
CP="ir/target/classes:runtime/target/classes:$GUAVA"
OUT="$(mktemp -d)"
javac -d "$OUT" -cp "$CP" bench/quantum/StatevectorBench.java
exec java -Xms${BENCH_HEAP:-6g} -Xmx${BENCH_HEAP:-6g} -XX:+AlwaysPreTouch -cp "$OUT:$CP" StatevectorBench "$@"
