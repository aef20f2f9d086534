// ccx and cswap on superposed inputs, with swaps between.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[5];
h q[0];
ry(1.1) q[1];
rx(0.6) q[2];
u3(0.9,0.2,0.1) q[3];
h q[4];
ccx q[0],q[1],q[2];
cswap q[2],q[3],q[4];
swap q[0],q[4];
ccx q[4],q[3],q[1];
t q[1];
cswap q[0],q[1],q[2];
h q[2];
ccx q[2],q[0],q[3];
swap q[1],q[3];
