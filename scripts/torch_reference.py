#!/usr/bin/env python3
"""Generates PyTorch reference data for TML's differential tests of the standard-library models.

Run with Debian's interpreter (python3-torch, python3-torchvision and numpy are installed there):

    /usr/bin/python3 scripts/torch_reference.py --model mobilenet_v2 --width 0.35 --resolution 144 \
        --classes 1000 --seed 0 --batch 2 --out DIR

writes

    DIR/weights.safetensors  the model's full state_dict() (float32; BN running stats included;
                             num_batches_tracked as an int64 scalar), names sorted
    DIR/input.npy            float32 [batch, 1, C, R, R]: `batch` samples, each a [1, C, R, R] image
    DIR/expected.npy         float32 [batch, 1, classes]: eval-mode logits of each sample run alone,
                             computed in float64 from the (float32) weights, then rounded to float32
    DIR/state_dict.json      names, shapes and dtypes of the state_dict, plus the arguments (for humans)

Models (--model): mobilenet_v2, mobilenet_v3_small, mobilenet_v3_large (--width = width_mult),
mnasnet (--width = alpha: 0.5, 0.75, 1.0, 1.3 are torchvision's mnasnet0_5 ... mnasnet1_3),
resnet18, resnet34, resnet50 (--width ignored), and two models that torchvision does not have,
defined below with the parameter names of the TML standard library: proxylessnas_mobile
(stdlib/models/proxylessnas.tml, --width scales channels) and tiny_cnn (stdlib/models/tiny_cnn.tml,
1x28x28 input; --resolution ignored).

Weights are deterministic for a given --seed: torch.manual_seed(seed), torchvision's default
initialisation, then batch norm is made non-trivial so that every part of the computation is tested
and activations stay O(1) through deep networks:
  1. every BatchNorm2d gets weight ~ U(0.5, 1.5) and bias ~ U(-0.2, 0.2); every conv/linear bias
     that the default init left all-zero gets U(-0.1, 0.1);
  2. calibration: running statistics are set to the batch statistics of a seeded random batch
     (one train-mode pass, cumulative averaging, dropout off) so that activations are normalised;
  3. the statistics are then perturbed: running_mean += U(-0.2, 0.2) * sqrt(running_var) and
     running_var *= U(0.5, 1.5);
  4. the last linear layer's bias is shifted so that each logit has a small mean over the
     calibration batch (the logits then depend mostly on the input), and the layer is rescaled so
     the logits of the calibration batch have unit std.
The input is seeded standard-normal noise.
"""

import argparse
import json
import math
import os
import struct
import sys

import torch
from torch import nn

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is installed on Debian next to torch
    np = None


# ---------------------------------------------------------------------------------------------
# Models that torchvision does not provide; parameter names follow stdlib/models/*.tml.

def make_divisible(v, divisor, min_value=None):
    """torchvision's _make_divisible."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class _ConvBnAct(nn.Module):
    """ProxylessNAS's ConvLayer: names conv, bn (eps 1e-3), then ReLU6 if act."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3)
        self.act = nn.ReLU6() if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class _MBInvertedConv(nn.Module):
    def __init__(self, cin, cout, kernel, stride, expand):
        super().__init__()
        mid = cin * expand
        self.inverted_bottleneck = _ConvBnAct(cin, mid, 1) if expand != 1 else None
        self.depth_conv = _ConvBnAct(mid, mid, kernel, stride, groups=mid)
        self.point_linear = _ConvBnAct(mid, cout, 1, act=False)

    def forward(self, x):
        if self.inverted_bottleneck is not None:
            x = self.inverted_bottleneck(x)
        return self.point_linear(self.depth_conv(x))


class _MobileInvertedResidualBlock(nn.Module):
    def __init__(self, cin, cout, kernel, stride, expand, zero=False):
        super().__init__()
        self.zero = zero
        self.mobile_inverted_conv = None if zero else _MBInvertedConv(cin, cout, kernel, stride, expand)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        if self.zero:
            return x
        y = self.mobile_inverted_conv(x)
        return x + y if self.residual else y


# (out channels, stride, [(kernel, expand) per block, None = zero (identity) block])
PROXYLESS_MOBILE_STAGES = [
    (32, 2, [(5, 3), (3, 3), None, None]),
    (40, 2, [(7, 3), (3, 3), (5, 3), (5, 3)]),
    (80, 2, [(7, 6), (5, 3), (5, 3), (5, 3)]),
    (96, 1, [(5, 6), (5, 3), (5, 3), (5, 3)]),
    (192, 2, [(7, 6), (7, 6), (7, 3), (7, 3)]),
    (320, 1, [(7, 6)]),
]


class ProxylessNASMobile(nn.Module):
    """ProxylessNAS-Mobile (Cai et al., ICLR 2019), with the hub model's (mit-han-lab) names."""

    def __init__(self, width=1.0, num_classes=1000):
        super().__init__()
        c = lambda v: make_divisible(v * width, 8)
        cin = c(32)
        self.first_conv = _ConvBnAct(3, cin, 3, stride=2)
        blocks = [_MobileInvertedResidualBlock(cin, c(16), 3, 1, 1)]
        cin = c(16)
        for cout, stride, cfg in PROXYLESS_MOBILE_STAGES:
            cout = c(cout)
            for i, kx in enumerate(cfg):
                s = stride if i == 0 else 1
                if kx is None:
                    blocks.append(_MobileInvertedResidualBlock(cin, cout, 3, s, 1, zero=True))
                else:
                    blocks.append(_MobileInvertedResidualBlock(cin, cout, kx[0], s, kx[1]))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        last = c(1280) if width > 1.0 else 1280
        self.feature_mix_layer = _ConvBnAct(cin, last, 1)
        self.classifier = nn.Sequential()
        self.classifier.add_module("linear", nn.Linear(last, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")

    def forward(self, x):
        x = self.feature_mix_layer(self.blocks(self.first_conv(x)))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.classifier(x)


class TinyCNN(nn.Module):
    """stdlib/models/tiny_cnn.tml: two conv-bn-relu-maxpool stages on 1x28x28, then a linear layer."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(32 * 7 * 7, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


# ---------------------------------------------------------------------------------------------

MODELS = ["mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "mnasnet", "resnet18", "resnet34", "resnet50",
          "proxylessnas_mobile", "tiny_cnn"]


def build_model(name, width, classes):
    import torchvision.models as tvm
    if name == "mobilenet_v2":
        return tvm.mobilenet_v2(width_mult=width, num_classes=classes)
    if name in ("mobilenet_v3_small", "mobilenet_v3_large"):
        try:
            return getattr(tvm, name)(width_mult=width, num_classes=classes)
        except TypeError:
            from torchvision.models.mobilenetv3 import MobileNetV3, _mobilenet_v3_conf
            setting, last = _mobilenet_v3_conf(name, width_mult=width)
            return MobileNetV3(setting, last, num_classes=classes)
    if name == "mnasnet":
        return tvm.MNASNet(width, num_classes=classes)
    if name in ("resnet18", "resnet34", "resnet50"):
        return getattr(tvm, name)(num_classes=classes)
    if name == "proxylessnas_mobile":
        return ProxylessNASMobile(width=width, num_classes=classes)
    if name == "tiny_cnn":
        return TinyCNN(num_classes=classes)
    raise SystemExit(f"torch_reference.py: error: unknown model {name!r} (known: {', '.join(MODELS)})")


def last_linear(model):
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return linears[-1]


@torch.no_grad()
def make_nontrivial(model, calib, seed):
    gen = torch.Generator().manual_seed(seed * 7919 + 17)

    def uniform_like(t, lo, hi):
        return torch.empty(t.shape, dtype=t.dtype).uniform_(lo, hi, generator=gen)

    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.copy_(uniform_like(m.weight, 0.5, 1.5))
            m.bias.copy_(uniform_like(m.bias, -0.2, 0.2))
        elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None and not m.bias.any():
            m.bias.copy_(uniform_like(m.bias, -0.1, 0.1))

    # Calibrate running statistics on a random batch (normalising activations), dropout off.
    momenta = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.eval()
    model(calib)
    for m, mom in zip(bns, momenta):
        m.momentum = mom
        m.running_mean.add_(uniform_like(m.running_mean, -0.2, 0.2) * m.running_var.sqrt())
        m.running_var.mul_(uniform_like(m.running_var, 0.5, 1.5))
    model.eval()

    # Centre each logit over the calibration batch (so that the logits depend mostly on the input,
    # not on a constant offset shared by all inputs), then scale them to unit std.
    fc = last_linear(model)
    logits = model(calib)
    fc.bias.sub_(logits.mean(0) - uniform_like(fc.bias, -0.1, 0.1))
    std = model(calib).std().item()
    if std > 0 and math.isfinite(std):
        fc.weight.div_(std)
        fc.bias.div_(std)


# ---------------------------------------------------------------------------------------------
# Writers: safetensors by hand (no safetensors package), npy via numpy or by hand.

_ST_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.int64: "I64",
              torch.int32: "I32", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def tensor_bytes(t):
    t = t.detach().cpu().contiguous()
    if np is not None:
        return t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
    # Without numpy: via the untyped storage (the host is little-endian, as every torch platform is).
    assert sys.byteorder == "little"
    return bytes(t.view(-1).view(torch.uint8).tolist()) if t.numel() else b""


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def write_npy_f32(path, t):
    t = t.detach().to(torch.float32).cpu().contiguous()
    if np is not None:
        np.save(path, t.numpy().astype("<f4"))
        return
    shape = tuple(t.shape)
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    head = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape_text
    head += " " * (-(10 + len(head) + 1) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode("latin1"))
        f.write(tensor_bytes(t))


# ---------------------------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, choices=MODELS)
    p.add_argument("--width", type=float, default=1.0, help="width multiplier (alpha for mnasnet)")
    p.add_argument("--resolution", type=int, default=224)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=2, help="number of samples")
    p.add_argument("--calibration", type=int, default=8, help="calibration batch size")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)

    torch.set_num_threads(max(1, a.threads))
    channels, res = (1, 28) if a.model == "tiny_cnn" else (3, a.resolution)

    torch.manual_seed(a.seed)
    model = build_model(a.model, a.width, a.classes).float()
    gen = torch.Generator().manual_seed(a.seed * 104729 + 1)
    calib = torch.randn(a.calibration, channels, res, res, generator=gen)
    make_nontrivial(model, calib, a.seed)
    model.eval()

    inputs = torch.randn(a.batch, 1, channels, res, res, generator=gen)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    ref = model.double().eval()
    with torch.no_grad():
        expected = torch.stack([ref(inputs[i].double()) for i in range(a.batch)]).float()

    os.makedirs(a.out, exist_ok=True)
    write_safetensors(os.path.join(a.out, "weights.safetensors"), state)
    write_npy_f32(os.path.join(a.out, "input.npy"), inputs)
    write_npy_f32(os.path.join(a.out, "expected.npy"), expected)
    params = [{"name": k, "shape": list(v.shape), "dtype": _ST_DTYPES[v.dtype]} for k, v in state.items()]
    info = {
        "model": a.model, "width": a.width, "resolution": res, "channels": channels,
        "classes": a.classes, "seed": a.seed, "batch": a.batch,
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "state_dict": params,
    }
    with open(os.path.join(a.out, "state_dict.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
