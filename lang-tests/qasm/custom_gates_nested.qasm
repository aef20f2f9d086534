// Nested custom gates with parameters used in expressions and a gate that reorders its arguments.
// (Every gate uses all its qubit arguments, and U and CX are not used: quantum-circuit mishandles those.)
OPENQASM 2.0;
include "qelib1.inc";
gate rot(a, b) q { u3(a, b, -b) q; }
gate ent(t) x, y { cx x, y; rot(t, t/2) y; cx x, y; }
gate layer(t1, t2) x, y, z { ent(t1) x, y; ent(t2 - t1) z, x; rot(-t2, pi/3) z; }
gate flip3 x, y, z { swap x, z; layer(0.1, 0.2) z, y, x; }
qreg q[3];
qreg r[2];
h q;
layer(0.9, -0.4) q[0], q[1], q[2];
layer(1.7, 0.25) q[2], r[0], r[1];
flip3 q[1], r[1], q[0];
rot(0.5, 0.6) r;
cx r[1], q[2];
