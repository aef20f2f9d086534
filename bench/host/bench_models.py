"""Shared by export_models.py and torch_bench.py: the model table (models.tsv) and the seeded torch models.

Weights come from scripts/torch_reference.py: torch.manual_seed(seed), torchvision's default
initialisation, then make_nontrivial (random batch-norm affine parameters, calibrated and perturbed
running statistics, a rescaled classifier), so the numbers are O(1) and every part of the network
matters when outputs are compared.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))

import torch_reference as tr  # noqa: E402  (scripts/torch_reference.py)


class Spec:
    def __init__(self, fields):
        (self.id, self.label, self.torch_model, width, res, self.tml_file, self.tml_network, self.tml_params) = fields
        self.width = float(width)
        self.resolution = int(res)
        self.line = "\t".join(fields)


def read_specs(path=os.path.join(HERE, "models.tsv"), only=None):
    specs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) != 8:
                raise SystemExit(f"{path}: expected 8 columns, got {len(fields)}: {line!r}")
            s = Spec(fields)
            if only and s.id not in only:
                continue
            specs.append(s)
    return specs


def build_seeded(spec, seed=0, classes=1000, calibration=8):
    """The torch model in eval mode (float32) and the benchmark input [1, 3, R, R], exactly as
    torch_reference.py makes them for --batch 1."""
    import torch
    torch.manual_seed(seed)
    model = tr.build_model(spec.torch_model, spec.width, classes).float()
    gen = torch.Generator().manual_seed(seed * 104729 + 1)
    r = spec.resolution
    calib = torch.randn(calibration, 3, r, r, generator=gen)
    tr.make_nontrivial(model, calib, seed)
    model.eval()
    x = torch.randn(1, 1, 3, r, r, generator=gen)[0]
    return model, x
