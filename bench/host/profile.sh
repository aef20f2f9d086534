#!/usr/bin/env bash
# Per-layer times of TML beside ONNX Runtime's for one model of models.tsv, on one core:
#   bench/host/profile.sh ID [--runs N] [--cpu N]
# TML: `tmlc bench --profile --json` (cycle counters around each kernel, inside whole runs);
# ORT: its own profiler (OrtProfile.java), medians per node. Then compare_profiles.py sets them side
# by side, the largest TML deficit first. Needs the models exported: run bench/host/run.sh first
# (it also resolves ONNX Runtime). Files go to bench/host/target/profile-ID-{tml,ort}.json.
set -euo pipefail
HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HOST_DIR/../.." && pwd)"
ID="${1:-}"
[ -n "$ID" ] && [ "${ID#-}" = "$ID" ] || { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
RUNS=300 CPU="$(( $(nproc --all) - 1 ))"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --cpu) CPU="$2"; shift 2 ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
LINE="$(grep -v '^#' "$HOST_DIR/models.tsv" | awk -v id="$ID" '$1 == id')"
[ -n "$LINE" ] || { echo "profile.sh: no model '$ID' in models.tsv" >&2; exit 2; }
read -r _ _ _ _ _ FILE NETWORK PARAMS <<<"$LINE"
CACHE="$HOST_DIR/.cache/$ID"
CP_FILE="$HOST_DIR/target/ort.classpath"
[ -f "$CACHE/model.onnx" ] && [ -f "$CP_FILE" ] || { echo "profile.sh: run bench/host/run.sh --only $ID first (exports the model, resolves ONNX Runtime)" >&2; exit 3; }
. "$REPO/scripts/jdk.sh"
tml_find_jdk
"$REPO/tmlc" version >/dev/null
CP="$REPO/cli/target/classes:$(cat "$REPO/cli/target/tmlc.classpath"):$(cat "$CP_FILE")"
mkdir -p "$HOST_DIR/target/classes"
javac --release 25 -nowarn -d "$HOST_DIR/target/classes" -cp "$CP" $(find "$HOST_DIR/src/main/java" -name '*.java')
PARAM_ARGS=()
if [ "$PARAMS" != "-" ]; then IFS=',' read -ra KV <<<"$PARAMS"; for kv in "${KV[@]}"; do PARAM_ARGS+=(--param "$kv"); done; fi
OUT="$HOST_DIR/target/profile-$ID"
cd "$REPO"
taskset -c "$CPU" ./tmlc bench "$FILE" --network "$NETWORK" "${PARAM_ARGS[@]}" --input "$CACHE/input.npy" \
  --weights "$CACHE/weights.safetensors" --runs "$RUNS" --profile --json > "$OUT-tml.json"
taskset -c "$CPU" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$HOST_DIR/target/classes:$CP" tml.bench.OrtProfile \
  "$CACHE/model.onnx" "$CACHE/input.npy" "$RUNS" "$OUT-ort.json"
/usr/bin/python3 "$HOST_DIR/compare_profiles.py" "$OUT-tml.json" "$OUT-ort.json"
