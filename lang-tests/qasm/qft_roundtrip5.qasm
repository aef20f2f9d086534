// A prepared 5-qubit state, QFT as a custom gate, then the inverse QFT written out with cp and
// negative angles: the prepared state comes back.
OPENQASM 2.0;
include "qelib1.inc";
gate qft3 a,b,c { h c; cu1(pi/2) b,c; cu1(pi/4) a,c; h b; cu1(pi/2) a,b; h a; swap a,c; }
qreg q[5];
ry(0.7) q[0];
rx(1.9) q[1];
h q[2];
t q[2];
cx q[2],q[3];
u3(0.4,0.1,-0.3) q[4];
qft3 q[1],q[2],q[3];
swap q[1],q[3];
h q[1];
cp(-pi/2) q[1],q[2];
h q[2];
cp(-pi/4) q[1],q[3];
cp(-pi/2) q[2],q[3];
h q[3];
cx q[0],q[4];
