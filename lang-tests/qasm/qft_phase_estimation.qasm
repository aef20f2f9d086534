// Quantum phase estimation of p(2*pi*5/16) on its eigenstate |1>, 4 counting qubits: reads 5 (0101) exactly.
OPENQASM 2.0;
include "qelib1.inc";
qreg c[4];
qreg t[1];
x t[0];
h c;
cp(2*pi*5/16) c[0],t[0];
cp(2*2*pi*5/16) c[1],t[0];
cp(4*2*pi*5/16) c[2],t[0];
cp(8*2*pi*5/16) c[3],t[0];
// inverse QFT on c
swap c[0],c[3];
swap c[1],c[2];
h c[0];
cp(-pi/2) c[0],c[1];
h c[1];
cp(-pi/4) c[0],c[2];
cp(-pi/2) c[1],c[2];
h c[2];
cp(-pi/8) c[0],c[3];
cp(-pi/4) c[1],c[3];
cp(-pi/2) c[2],c[3];
h c[3];
