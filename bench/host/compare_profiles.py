#!/usr/bin/env python3
"""Per-layer times of TML beside ONNX Runtime's: compare_profiles.py TML.json ORT.json.

TML.json is `tmlc bench --profile --json`, ORT.json is OrtProfile's output (bench/host/profile.sh
makes both). ORT's fused nodes are named after the last op of the fused chain in PyTorch's module
path (/layers/layers.8/layers.8.0/layers/layers.2/Relu_output_0_nchwc for conv 0, batch norm 1 and
ReLU 2 of block layers.8.0); they are matched to TML's kernel of the chain's first module
(layers.8.0.layers.0): an output named after a Relu, Clip (ReLU6) or HardSwish moves back two
modules (conv, bn), others stay.
Rows are sorted by TML minus ORT, the largest deficit first; unmatched nodes of either side are
listed with the other side empty.
"""
import json
import re
import sys


def ort_key(node):
    m = re.match(r'^/(.+)/(\w+?)(_\d+)?(_output_0)?(_nchwc)?$', node)
    if not m:
        return node
    comps, op = m.group(1).split('/'), m.group(2)
    last = re.match(r'^(.*?)(\d+)$', comps[-1])
    if not last:
        return '.'.join(c for c in comps if c)
    index = int(last.group(2)) - (2 if op in ('Relu', 'Clip', 'HardSwish') else 0)
    # module path: drop the ONNX scope names that repeat the next component's prefix
    path = [c for c in comps[:-1] if c and not any(n.startswith(c + '.') for n in comps)]
    return '.'.join(path + [last.group(1).rstrip('.') + '.' + str(index) if last.group(1) else str(index)])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tml = json.load(open(sys.argv[1]))
    ort = {}
    for n in json.load(open(sys.argv[2]))['nodes']:
        key = ort_key(n['node'])
        ort[key] = ort.get(key, 0.0) + n['median_us']
    rows = []
    for k in tml['kernels']:
        us = k['mean_ms'] * 1000
        o = ort.pop(k['kernel'], None)
        rows.append((us - (o or 0), k['kernel'], k['op'], us, o))
    rows += [(-o, name, '', None, o) for name, o in ort.items()]
    rows.sort(key=lambda r: -r[0])
    total_tml = sum(k['mean_ms'] for k in tml['kernels']) * 1000
    total_ort = sum(r[4] or 0 for r in rows)
    print(f"TML median {tml['median_ms'] * 1000:.0f} us (kernels {total_tml:.0f} us); ORT kernels {total_ort:.0f} us (profiled)")
    print(f"{'TML-ORT':>8} {'TML us':>8} {'ORT us':>8}  kernel / node")
    for d, name, op, us, o in rows:
        fmt = lambda v: f"{v:8.1f}" if v is not None else f"{'-':>8}"
        print(f"{d:8.1f} {fmt(us)} {fmt(o)}  {name} {op}")


if __name__ == '__main__':
    main()
