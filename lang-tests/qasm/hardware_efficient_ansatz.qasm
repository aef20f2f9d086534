// A hardware-efficient ansatz on 6 qubits: three layers of ry/rz rotations and a cz ladder.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[6];
ry(0.11) q[0]; ry(0.52) q[1]; ry(-0.93) q[2]; ry(1.24) q[3]; ry(-1.55) q[4]; ry(0.36) q[5];
rz(0.71) q[0]; rz(-0.22) q[1]; rz(1.83) q[2]; rz(-0.44) q[3]; rz(0.95) q[4]; rz(-1.66) q[5];
cz q[0],q[1]; cz q[1],q[2]; cz q[2],q[3]; cz q[3],q[4]; cz q[4],q[5];
ry(1.01) q[0]; ry(-0.32) q[1]; ry(0.63) q[2]; ry(-1.14) q[3]; ry(0.25) q[4]; ry(2.06) q[5];
rz(-0.57) q[0]; rz(0.48) q[1]; rz(-1.29) q[2]; rz(0.8) q[3]; rz(-0.91) q[4]; rz(1.12) q[5];
cz q[0],q[1]; cz q[1],q[2]; cz q[2],q[3]; cz q[3],q[4]; cz q[4],q[5];
ry(-0.73) q[0]; ry(0.34) q[1]; ry(1.45) q[2]; ry(-0.06) q[3]; ry(0.87) q[4]; ry(-1.98) q[5];
rz(0.19) q[0]; rz(-1.3) q[1]; rz(0.41) q[2]; rz(1.62) q[3]; rz(-0.03) q[4]; rz(0.74) q[5];
