#!/usr/bin/env python3
"""Reads `tmlc report --target T --json` on stdin and prints four tab-separated fields:
SRAM bytes, code bytes, weight bytes, Flash bytes ('?' where the report has no such field).

The Cortex-M report was not merged when this was written, so the keys are looked up tolerantly:
the first key (at any depth, case-insensitive, ignoring '_' and '-') out of each list below.
Exit status 3, with the keys that were seen, when neither an SRAM nor a Flash figure is found.
"""
import json
import sys

CANDIDATES = {
    "sram": ["sram", "srambytes", "peaksram", "ram", "rambytes", "peakram", "arena", "arenabytes", "activationandscratchbytes"],
    "code": ["code", "codebytes", "text", "textbytes", "codesize"],
    "weights": ["weights", "weightbytes", "flashweights", "weightsbytes", "rodata", "rodatabytes"],
    "flash": ["flash", "flashbytes", "totalflash", "flashtotal"],
}


def norm(k):
    return k.lower().replace("_", "").replace("-", "")


def walk(obj, found, path=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                found.setdefault(norm(k), (v, path + k))
            elif isinstance(v, dict) and isinstance(v.get("bytes"), (int, float)):
                found.setdefault(norm(k), (v["bytes"], path + k + ".bytes"))
            if isinstance(v, dict):  # not into "layers" lists: per-layer figures are no totals
                walk(v, found, path + k + ".")


def main():
    data = json.load(sys.stdin)
    found = {}
    walk(data, found)
    vals = {}
    for field, keys in CANDIDATES.items():
        vals[field] = next((found[k][0] for k in keys if k in found), None)
    if vals["flash"] is None and vals["code"] is not None and vals["weights"] is not None:
        vals["flash"] = vals["code"] + vals["weights"]
    if vals["sram"] is None and vals["flash"] is None:
        print("report_fields.py: no SRAM or Flash figure in the report; numeric keys: "
              + ", ".join(sorted(p for _, p in found.values())), file=sys.stderr)
        return 3
    print("\t".join("?" if vals[f] is None else str(int(vals[f])) for f in ("sram", "code", "weights", "flash")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
