// Qiskit's rxx and ryy written as custom gates from cx and rotations (the same definitions as
// Qiskit's standard library), used on entangled states.
OPENQASM 2.0;
include "qelib1.inc";
gate myrxx(theta) a,b { h a; h b; cx a,b; rz(theta) b; cx a,b; h a; h b; }
gate myryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }
qreg q[4];
h q[0];
cx q[0],q[1];
ry(0.3) q[2];
myrxx(0.7) q[0],q[2];
myryy(1.3) q[1],q[3];
myrxx(-0.5) q[3],q[0];
myryy(2.2) q[2],q[1];
rzz(0.4) q[0],q[3];
