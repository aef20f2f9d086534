#!/usr/bin/env bash
# Host latency, side by side in one run on one core: TML's compiled host code, ONNX Runtime (Java,
# from Maven Central) and PyTorch (Debian's python3-torch), on the models of bench/host/models.tsv.
#
#   bench/host/run.sh [--cpu N] [--only ID,...] [--rounds R] [--runs K] [--warmup W] [--no-torch] [--no-update]
#
# Steps: builds the compiler (as ./tmlc does), exports the models once into bench/host/.cache
# (export_models.py: ONNX, safetensors, input, PyTorch float64 reference), resolves ONNX Runtime with
# Maven (bench/host/pom.xml, outside the project's reactor), compiles HostBench.java, then runs it
# under `taskset -c N` (default: the last CPU); HostBench starts torch_bench.py as a child, which
# inherits the core. Writes bench/host/results-<date>.md and, unless --no-update, replaces the host
# section of bench/RESULTS.md with it. Exit status: HostBench's (1 when an output does not match).
set -euo pipefail
HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HOST_DIR/../.." && pwd)"
cd "$REPO"
CMDLINE="bench/host/run.sh${*:+ $*}"
CPU="$(( $(nproc --all) - 1 ))"
ONLY="" ROUNDS=20 RUNS=10 WARMUP=10 TORCH=1 UPDATE=1
PY="${PYTHON:-/usr/bin/python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) CPU="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --no-torch) TORCH=0; shift ;;
    --no-update) UPDATE=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "run.sh: $*" >&2; }

# --- prerequisites -----------------------------------------------------------------------------
. "$REPO/scripts/jdk.sh"
tml_find_jdk
command -v taskset >/dev/null || { say "error: taskset is missing (apt-get install util-linux)"; exit 3; }
if ! "$PY" -c 'import torch, torchvision, numpy' 2>/dev/null; then
  say "error: $PY cannot import torch, torchvision and numpy (apt-get install python3-torch python3-torchvision python3-numpy)"
  exit 3
fi
if ! "$PY" -c 'import onnx' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "python3-onnx is missing: apt-get install -y python3-onnx"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-onnx >&2 || true
  fi
  "$PY" -c 'import onnx' 2>/dev/null || { say "error: the onnx module is missing: sudo apt-get install python3-onnx"; exit 3; }
fi

# --- build -------------------------------------------------------------------------------------
say "building the compiler (./tmlc version)"
"$REPO/tmlc" version >/dev/null
TML_CP="$REPO/cli/target/classes:$(cat "$REPO/cli/target/tmlc.classpath")"
mkdir -p "$HOST_DIR/target"
ORT_CP_FILE="$HOST_DIR/target/ort.classpath"
if ! mvn -B -ntp -q -o -f "$HOST_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$ORT_CP_FILE" >/dev/null 2>&1; then
  say "resolving ONNX Runtime from Maven Central"
  mvn -B -ntp -q -f "$HOST_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$ORT_CP_FILE" >&2
fi
CP="$TML_CP:$(cat "$ORT_CP_FILE")"
rm -rf "$HOST_DIR/target/classes"
javac --release 25 -nowarn -d "$HOST_DIR/target/classes" -cp "$CP" \
  $(find "$HOST_DIR/src/main/java" -name '*.java')

# --- models ------------------------------------------------------------------------------------
"$PY" "$HOST_DIR/export_models.py" --cache "$HOST_DIR/.cache" ${ONLY:+--only "$ONLY"}

# --- measure -----------------------------------------------------------------------------------
STAMP="$(date -u +%Y-%m-%d)"
# a run that updates RESULTS.md keeps its file next to this script; others go to target/
if [ "$UPDATE" = 1 ]; then OUTFILE="$HOST_DIR/results-$STAMP.md"; else OUTFILE="$HOST_DIR/target/results-$STAMP.md"; fi
TABLES="$HOST_DIR/target/tables.md"
rm -f "$TABLES"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
T0=$(date +%s)
say "measuring on CPU $CPU (load average $LOAD_BEFORE)"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
args=(--repo "$REPO" --models "$HOST_DIR/models.tsv" --cache "$HOST_DIR/.cache" --rounds "$ROUNDS" --runs "$RUNS"
      --warmup "$WARMUP" --python "$PY" --torch-script "$HOST_DIR/torch_bench.py" --out "$TABLES")
[ -n "$ONLY" ] && args+=(--only "$ONLY")
[ "$TORCH" = 0 ] && args+=(--no-torch)
set +e
taskset -c "$CPU" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m -Xmx8g -XX:+UseSerialGC \
  -cp "$HOST_DIR/target/classes:$CP" tml.bench.HostBench "${args[@]}" >/dev/null
STATUS=$?
set -e
[ -s "$TABLES" ] || { say "error: HostBench wrote no results (status $STATUS)"; exit "${STATUS/#0/1}"; }
WALL=$(( $(date +%s) - T0 ))
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ------------------------------------------------------------------------------------
CPU_MODEL="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
NCPU="$(nproc --all)"
HYPER="$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)"
JAVA_V="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
TORCH_V="$("$PY" -c 'import torch, torchvision; print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")')"
ORT_V="$(basename "$(tr ':' '\n' < "$ORT_CP_FILE" | grep onnxruntime | head -1)" .jar)"
LLVM_V="$(tr ':' '\n' < "$REPO/cli/target/tmlc.classpath" | grep -o 'llvm/[^/]*' | head -1 | sed 's#/# #')"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- . ':!bench/RESULTS.md' ':!bench/host/results-*.md' 2>/dev/null || echo ' (with uncommitted changes)')"
{
  echo "## Host: TML vs ONNX Runtime vs PyTorch (single core)"
  echo
  echo "Command: \`$CMDLINE\` (commit $COMMIT, $(date -u '+%Y-%m-%d %H:%M UTC'); $WALL s of measuring)."
  echo "Machine: $CPU_MODEL, $NCPU cores${HYPER:+ ($HYPER virtual machine)}, pinned to core $CPU with \`taskset\`;"
  echo "load average $LOAD_BEFORE before and $LOAD_AFTER after (the machine is shared with other builds, so"
  echo "absolute times are noisy: compare medians, and engines measured in the same round)."
  echo "Versions: $JAVA_V; TML with LLVM from JavaCPP (${LLVM_V:-?}); ${ORT_V/onnxruntime-/ONNX Runtime (Java) } with one intra-op and one"
  echo "inter-op thread, sequential execution, all graph optimizations; $TORCH_V (eager, float32,"
  echo "\`torch.set_num_threads(1)\`, \`inference_mode\`). Models: torchvision architectures with seeded weights"
  echo "(\`bench/host/export_models.py\`), exported to ONNX opset 17 by the TorchScript exporter; TML compiles the"
  echo "stdlib network of the same architecture with the same weights (safetensors) at -O3."
  echo
  cat "$TABLES"
} > "$OUTFILE"
cat "$OUTFILE"
say "wrote $OUTFILE"
if [ "$UPDATE" = 1 ]; then
  "$PY" "$REPO/bench/update_results.py" "$REPO/bench/RESULTS.md" bench/host/run.sh "$OUTFILE"
  say "updated the host section of bench/RESULTS.md"
fi
exit "$STATUS"
