#!/usr/bin/env python3
"""Exports the models of bench/host/models.tsv for the host benchmark, into CACHE/<id>/:

    weights.safetensors  the float32 state_dict (PyTorch names; what TML's --weights reads)
    torch_state.pt       the same state_dict for torch_bench.py
    model.onnx           ONNX, legacy TorchScript exporter (torch.onnx.export; dynamo=False where
                         that argument exists), opset 17, batch 1, fixed shape, eval mode, constant folding
    input.npy            float32 [1, 3, R, R] seeded standard-normal input
    expected.npy         float32 [1, 1000] logits computed in float64 by PyTorch (the reference every
                         engine is compared with)
    stamp.txt            the models.tsv line and a hash of the scripts: a model is exported again when
                         either changes (--force: always)

Run with Debian's interpreter: /usr/bin/python3 bench/host/export_models.py [--cache DIR] [--only ID,...]
It needs python3-torch, python3-torchvision and python3-onnx (sudo apt-get install python3-onnx).
"""

import argparse
import hashlib
import os
import sys
import time

import bench_models as bm

OPSET = 17


def scripts_hash():
    h = hashlib.sha256()
    for p in (__file__, bm.__file__, os.path.join(bm.REPO, "scripts", "torch_reference.py")):
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def export_onnx(model, x, path):
    import inspect
    import torch
    kwargs = dict(export_params=True, opset_version=OPSET, do_constant_folding=True,
                  input_names=["image"], output_names=["logits"])
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.5: keep the TorchScript-based exporter
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, (x,), tmp, **kwargs)
    os.replace(tmp, path)


def export(spec, d, seed):
    import torch
    os.makedirs(d, exist_ok=True)
    model, x = bm.build_seeded(spec, seed)
    state = model.state_dict()  # keeps _metadata (torchvision's MNASNet checks its version on loading)
    bm.tr.write_safetensors(os.path.join(d, "weights.safetensors"), dict(state))
    torch.save(state, os.path.join(d, "torch_state.pt"))
    bm.tr.write_npy_f32(os.path.join(d, "input.npy"), x)
    with torch.no_grad():
        expected = model.double()(x.double()).float()
    model.float()
    bm.tr.write_npy_f32(os.path.join(d, "expected.npy"), expected)
    export_onnx(model, x, os.path.join(d, "model.onnx"))
    import onnx
    m = onnx.load(os.path.join(d, "model.onnx"))
    onnx.checker.check_model(m)
    return sum(p.numel() for p in model.parameters()), m.opset_import[0].version


def main(argv=None):
    p = argparse.ArgumentParser(description="Export the host-benchmark models (ONNX, safetensors, input, reference output).")
    p.add_argument("--cache", default=os.path.join(bm.HERE, ".cache"))
    p.add_argument("--only", default="", help="comma-separated model ids (default: all of models.tsv)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true")
    a = p.parse_args(argv)
    try:
        import onnx  # noqa: F401
    except ImportError:
        print("export_models.py: error: the onnx module is missing; install it with: sudo apt-get install python3-onnx",
              file=sys.stderr)
        return 3
    import torch
    torch.set_num_threads(1)
    only = set(a.only.split(",")) - {""}
    specs = bm.read_specs(only=only or None)
    tag = scripts_hash()
    for s in specs:
        d = os.path.join(a.cache, s.id)
        stamp = f"{s.line}\nseed={a.seed} scripts={tag} torch={torch.__version__} opset={OPSET}\n"
        sp = os.path.join(d, "stamp.txt")
        if not a.force and os.path.exists(sp) and open(sp).read() == stamp:
            print(f"export: {s.id}: up to date ({d})", file=sys.stderr)
            continue
        t0 = time.time()
        n, opset = export(s, d, a.seed)
        with open(sp, "w") as f:
            f.write(stamp)
        print(f"export: {s.id}: {n:,} parameters, ONNX opset {opset}, {time.time() - t0:.1f} s -> {d}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
