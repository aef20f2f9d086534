// Swap test of ry(0.8)|0> against ry(2.0)|0>: P(ancilla = 0) = (1 + |<a|b>|^2) / 2.
OPENQASM 2.0;
include "qelib1.inc";
qreg anc[1];
qreg a[1];
qreg b[1];
ry(0.8) a[0];
ry(2.0) b[0];
h anc[0];
cswap anc[0],a[0],b[0];
h anc[0];
