// Deutsch-Jozsa with a balanced oracle f(x) = x0 xor x2 xor x3 on 4 input bits: the inputs read 1101, never 0000.
OPENQASM 2.0;
include "qelib1.inc";
qreg x[4];
qreg y[1];
x y[0];
h x;
h y[0];
cx x[0],y[0];
cx x[2],y[0];
cx x[3],y[0];
h x;
h y[0];
