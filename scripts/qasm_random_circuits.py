#!/usr/bin/env python3
"""Writes the random parameterized OpenQASM 2.0 circuits of lang-tests/qasm/ (random_*.qasm).

usage: scripts/qasm_random_circuits.py [DIR]   (default: lang-tests/qasm next to this script)
Seeded, so it rewrites the same files. Angles are rounded to 12 decimals and printed with repr,
so every reader parses the same doubles.
"""
import os
import random
import sys
GATES = {  # name: (qubits, angles)
  "h": (1, 0), "x": (1, 0), "y": (1, 0), "z": (1, 0), "s": (1, 0), "sdg": (1, 0), "t": (1, 0), "tdg": (1, 0), "sx": (1, 0),
  "rx": (1, 1), "ry": (1, 1), "rz": (1, 1), "p": (1, 1), "u1": (1, 1), "u2": (1, 2), "u3": (1, 3),
  "cx": (2, 0), "cy": (2, 0), "cz": (2, 0), "ch": (2, 0), "swap": (2, 0), "crx": (2, 1), "cry": (2, 1), "crz": (2, 1),
  "cp": (2, 1), "cu1": (2, 1), "cu3": (2, 3), "rzz": (2, 1), "ccx": (3, 0), "cswap": (3, 0),
}
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lang-tests", "qasm")


def gen(name, seed, n, count, kinds, note):
    rng = random.Random(seed)
    lines = [f"// Random circuit ({note}): {n} qubits, {count} gates, seed {seed}.", "OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{n}];"]
    lines.append("h q;")
    for _ in range(count):
        k = rng.choice(kinds)
        nq, na = GATES[k]
        qs = rng.sample(range(n), nq)
        angles = [repr(round(rng.uniform(-3.5, 3.5), 12)) for _ in range(na)]
        lines.append(k + (f"({','.join(angles)})" if angles else "") + " " + ",".join(f"q[{q}]" for q in qs) + ";")
    open(os.path.join(OUT, name), "w").write("\n".join(lines) + "\n")

gen("random_u3_cu3.qasm", 101, 4, 40, ["u3", "cu3", "cx", "u3"], "u3 and cu3 with cx")
gen("random_crz_rzz.qasm", 102, 5, 50, ["rx", "ry", "crz", "rzz", "h"], "crz and rzz with rotations")
gen("random_swap_ccx_cswap.qasm", 103, 5, 50, ["u3", "swap", "ccx", "cswap", "h", "t"], "swap, ccx and cswap")
gen("random_all_gates_6q.qasm", 104, 6, 80, list(GATES), "every gate kind")
gen("random_all_gates_8q.qasm", 105, 8, 120, list(GATES), "every gate kind")
gen("random_parameterized_7q.qasm", 106, 7, 90, ["rx", "ry", "rz", "u2", "u3", "crx", "cry", "crz", "cp", "cu3", "rzz"], "rotations only")
