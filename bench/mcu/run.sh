#!/usr/bin/env bash
# Microcontroller figures of the models of bench/mcu/models.tsv on Cortex-M4 and Cortex-M7:
# peak SRAM (activations + scratch), Flash (code + weights) from `tmlc report --target T --json`,
# and instructions of one inference in QEMU from `tmlc run --target T` (a line "N instructions").
#
#   bench/mcu/run.sh [--targets cortex-m4,cortex-m7] [--only ID,...] [--timeout S] [--no-run] [--no-update]
#
# --timeout: seconds per QEMU run (default 600; a model that takes longer is reported as such),
# --no-run: sizes only. Writes bench/mcu/results-<date>.md and, unless --no-update, replaces the
# microcontroller section of bench/RESULTS.md with it.
# Needs the Cortex-M target of tmlc (`report --target`, `run --target cortex-m4`); fails with exit
# status 3 and a message when this tmlc does not have it.
set -euo pipefail
MCU_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$MCU_DIR/../.." && pwd)"
cd "$REPO"
CMDLINE="bench/mcu/run.sh${*:+ $*}"
TARGETS="cortex-m4,cortex-m7" ONLY="" TIMEOUT=600 RUN=1 UPDATE=1
PY="${PYTHON:-/usr/bin/python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --no-run) RUN=0; shift ;;
    --no-update) UPDATE=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "mcu/run.sh: $*" >&2; }
TMLC="${TMLC:-$REPO/tmlc}"   # TMLC=... runs another driver (a stub, to test this script)
WORK="$MCU_DIR/target"
mkdir -p "$WORK"

# --- does this tmlc have the Cortex-M target? ---------------------------------------------------
"$TMLC" version >/dev/null   # builds the compiler when needed
FIRST_TARGET="${TARGETS%%,*}"
if ! "$TMLC" report stdlib/models/tiny_cnn.tml --target "$FIRST_TARGET" --json >"$WORK/probe.json" 2>"$WORK/probe.err"; then
  say "error: this tmlc cannot report for --target $FIRST_TARGET: $(head -1 "$WORK/probe.err")"
  say "bench/mcu/run.sh needs the Cortex-M target (tmlc report --target cortex-m4 --json, tmlc run --target cortex-m4)"
  exit 3
fi
if ! "$PY" "$MCU_DIR/report_fields.py" <"$WORK/probe.json" >/dev/null; then
  say "error: could not read SRAM/Flash figures from 'tmlc report --target $FIRST_TARGET --json' (see above); adjust bench/mcu/report_fields.py"
  exit 3
fi

# --- measure -----------------------------------------------------------------------------------
STAMP="$(date -u +%Y-%m-%d)"
# a run that updates RESULTS.md keeps its file next to this script; others go to target/
if [ "$UPDATE" = 1 ]; then OUTFILE="$MCU_DIR/results-$STAMP.md"; else OUTFILE="$MCU_DIR/target/results-$STAMP.md"; fi
ROWS="$WORK/rows.md"
: >"$ROWS"
T0=$(date +%s)
STATUS=0
group() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }   # 1234567 -> 1,234,567
fmt() { [ "$1" = "?" ] && echo "?" || echo "$(group "$1") B"; }
while read -r id label file network params; do
  case "$id" in ''|'#'*) continue ;; esac
  if [ -n "$ONLY" ] && [[ ",$ONLY," != *",$id,"* ]]; then continue; fi
  popts=()
  if [ "$params" != "-" ]; then IFS=',' read -ra kvs <<<"$params"; for kv in "${kvs[@]}"; do popts+=(--param "$kv"); done; fi
  for target in ${TARGETS//,/ }; do
    say "$label on $target"
    sram="?" code="?" weights="?" flash="?" instr="–" note=""
    if "$TMLC" report "$file" --network "$network" "${popts[@]}" --target "$target" --json >"$WORK/$id.$target.json" 2>"$WORK/$id.$target.err"; then
      if fields="$("$PY" "$MCU_DIR/report_fields.py" <"$WORK/$id.$target.json")"; then
        IFS=$'\t' read -r sram code weights flash <<<"$fields"
      else
        note="report: no SRAM/Flash fields"; STATUS=1
      fi
    else
      note="report: $(head -1 "$WORK/$id.$target.err")"   # e.g. does not fit: a result, not a failure of this script
    fi
    if [ "$RUN" = 1 ] && [ -z "$note" ]; then
      # a seeded input of the network's input shape (from the report)
      "$PY" - "$WORK/$id.$target.json" "$WORK/$id.input.npy" <<'PYEOF'
import json, re, sys
import numpy as np
rep = json.load(open(sys.argv[1]))
shape = [int(d) for d in re.findall(r"\d+", rep["inputs"][0]["type"].split("[", 1)[1])]
np.save(sys.argv[2], np.random.default_rng(0).standard_normal(shape).astype("<f4"))
PYEOF
      set +e
      timeout "$TIMEOUT" "$TMLC" run "$file" --network "$network" "${popts[@]}" --target "$target" \
        --input "$WORK/$id.input.npy" >"$WORK/$id.$target.run" 2>&1
      rc=$?
      set -e
      line="$(grep -m1 -oE '[0-9][0-9,]* instructions' "$WORK/$id.$target.run" || true)"
      if [ -n "$line" ]; then
        instr="$(group "$(echo "${line%% *}" | tr -d ,)")"
      elif [ "$rc" = 124 ]; then
        note="QEMU run longer than ${TIMEOUT} s"
      else
        note="run: $(grep -m1 -i 'error' "$WORK/$id.$target.run" || tail -1 "$WORK/$id.$target.run")"
      fi
    fi
    note="${note//|/\\|}"
    echo "| $label | $target | $(fmt "$sram") | $(fmt "$code") | $(fmt "$weights") | $(fmt "$flash") | $instr | ${note:-ok} |" >>"$ROWS"
  done
done <"$MCU_DIR/models.tsv"
WALL=$(( $(date +%s) - T0 ))

# --- report ------------------------------------------------------------------------------------
{
  echo "## Microcontrollers: SRAM, Flash and instructions (Cortex-M4/M7 in QEMU)"
  echo
  echo "Command: \`$CMDLINE\` (commit $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'); $WALL s)."
  echo "$(qemu-system-arm --version 2>/dev/null | head -1 || echo 'qemu-system-arm: not found')."
  echo "SRAM: peak of activations and scratch (the memory plan's arena); Flash: code + weights (float32);"
  echo "instructions: one inference counted by QEMU (\`tmlc run --target T\`). Seeded weights; the sizes and counts"
  echo "do not depend on their values."
  echo
  echo "| model | target | SRAM | code | weights | Flash | instructions | note |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
  cat "$ROWS"
} >"$OUTFILE"
cat "$OUTFILE"
say "wrote $OUTFILE"
if [ "$UPDATE" = 1 ]; then
  "$PY" "$REPO/bench/update_results.py" "$REPO/bench/RESULTS.md" bench/mcu/run.sh "$OUTFILE"
  say "updated the microcontroller section of bench/RESULTS.md"
fi
exit "$STATUS"
