#!/usr/bin/env python3
"""PyTorch side of the host benchmark: a small line protocol on stdin/stdout, so that HostBench.java
can interleave PyTorch with TML and ONNX Runtime round by round in one run (this process waits on
stdin, using no CPU, while the others run; it inherits the run's `taskset` core).

    load ID DIR     build the models.tsv model ID, load DIR/torch_state.pt, run DIR/input.npy once;
                    answers "ok N v1 ... vN" (the float32 logits)
    time N          N timed forward passes (torch.inference_mode, eager); answers "times t1 ... tN" in ns
    info            answers "info torch=VERSION threads=N interop=N"
    quit

Eager float32 PyTorch, torch.set_num_threads(1) and torch.set_num_interop_threads(1). Errors answer
"error MESSAGE". Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""

import os
import sys
import time
import traceback

import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

import bench_models as bm  # noqa: E402


def read_npy_f32(path):
    import numpy as np
    return torch.from_numpy(np.load(path).astype("float32"))


def main():
    specs = {s.id: s for s in bm.read_specs()}
    model = x = None
    out = sys.stdout
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        try:
            if parts[0] == "quit":
                break
            if parts[0] == "info":
                cfg = torch.__config__.show()
                blas = cfg.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in cfg else "?"
                out.write(f"info torch={torch.__version__} threads={torch.get_num_threads()} "
                          f"interop={torch.get_num_interop_threads()} blas={blas} "
                          f"mkldnn={torch.backends.mkldnn.is_available()}\n")
            elif parts[0] == "load":
                spec, d = specs[parts[1]], parts[2]
                model = bm.tr.build_model(spec.torch_model, spec.width, 1000).float()
                model.load_state_dict(torch.load(os.path.join(d, "torch_state.pt")))
                model.eval()
                x = read_npy_f32(os.path.join(d, "input.npy")).contiguous()
                with torch.inference_mode():
                    y = model(x).reshape(-1)
                out.write("ok %d %s\n" % (y.numel(), " ".join(repr(float(v)) for v in y.tolist())))
            elif parts[0] == "time":
                n = int(parts[1])
                ts = []
                with torch.inference_mode():
                    for _ in range(n):
                        t0 = time.perf_counter_ns()
                        model(x)
                        ts.append(time.perf_counter_ns() - t0)
                out.write("times " + " ".join(map(str, ts)) + "\n")
            else:
                out.write(f"error unknown command {parts[0]!r}\n")
        except Exception as e:  # report and keep serving; the harness decides
            traceback.print_exc(file=sys.stderr)
            out.write("error " + (str(e) or type(e).__name__).replace("\n", " ") + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
