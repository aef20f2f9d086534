// Angle expressions: pi, unary minus, + - * / ^, and sin cos tan exp sqrt (not ln: quantum-circuit has no ln).
OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
h q;
rx(-pi/4 + 0.1) q[0];
ry(2^3 / 10) q[1];
rz(sin(0.5) * cos(0.25)) q[2];
u3(sqrt(2) - 1, exp(-1), -exp(0.5)/3) q[0];
u2(tan(0.3), -(pi - 1)) q[1];
crz(pi * 3 / 8) q[0],q[2];
cu3(-(0.5), 2*pi/3, -pi^2/10) q[2],q[1];
p(1/3) q[0];
