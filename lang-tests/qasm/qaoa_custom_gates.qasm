// QAOA on a 5-node graph with the cost interaction as a custom parameterised gate (cx-rz-cx).
OPENQASM 2.0;
include "qelib1.inc";
gate zzcost(g) a,b { cx a,b; rz(2*g) b; cx a,b; }
gate mixer(b) a { rx(2*b) a; }
qreg q[5];
h q;
zzcost(0.31) q[0],q[1];
zzcost(0.31) q[0],q[2];
zzcost(0.31) q[1],q[3];
zzcost(0.31) q[2],q[3];
zzcost(0.31) q[3],q[4];
mixer(0.72) q;
zzcost(0.55) q[0],q[1];
zzcost(0.55) q[0],q[2];
zzcost(0.55) q[1],q[3];
zzcost(0.55) q[2],q[3];
zzcost(0.55) q[3],q[4];
mixer(0.21) q;
