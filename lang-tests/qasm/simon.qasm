// Simon's algorithm for s = 110: after one query the x register is uniform over the y with y.s = 0.
OPENQASM 2.0;
include "qelib1.inc";
qreg x[3];
qreg f[3];
h x;
cx x[0],f[0];
cx x[1],f[1];
cx x[2],f[2];
cx x[1],f[1];
cx x[1],f[2];
h x;
