#!/usr/bin/env python3
"""Classical reference for bench/RESULTS.md "Quantum: Fashion-MNIST QNN": logistic regression on the
same 16 features as the QNN (Fashion-MNIST 3 'dress' vs 6 'shirt', 28x28 average-pooled to 4x4),
standardized, full-batch gradient descent (2000 steps, step 0.5). Needs numpy and Debian's
dataset-fashion-mnist. Usage: bench/quantum/logreg_baseline.py [CLASS_A CLASS_B]"""
import gzip
import sys

import numpy as np

D = "/usr/share/datasets/fashion-mnist"


def load(split):
    with gzip.open(f"{D}/{split}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28) / 255.0
    with gzip.open(f"{D}/{split}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x.reshape(-1, 4, 7, 4, 7).mean((2, 4)).reshape(-1, 16), y


a, b = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) == 3 else (3, 6)
xtr, ytr = load("train")
xte, yte = load("t10k")
m, mt = (ytr == a) | (ytr == b), (yte == a) | (yte == b)
X, Y, Xt, Yt = xtr[m], (ytr[m] == b).astype(float), xte[mt], yte[mt] == b
mu, sd = X.mean(0), X.std(0) + 1e-6
X, Xt = (X - mu) / sd, (Xt - mu) / sd
w, c = np.zeros(16), 0.0
for _ in range(2000):
    p = 1 / (1 + np.exp(-(X @ w + c)))
    w -= 0.5 * X.T @ (p - Y) / len(Y)
    c -= 0.5 * (p - Y).mean()
print(f"classes {a} vs {b}: {len(Y)} train, {len(Yt)} test, logistic regression test accuracy {((Xt @ w + c > 0) == Yt).mean():.4f}")
