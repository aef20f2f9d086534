// Deutsch-Jozsa with the constant oracle f(x) = 1 on 4 input bits: the inputs read 0000.
OPENQASM 2.0;
include "qelib1.inc";
qreg x[4];
qreg y[1];
x y[0];
h x;
h y[0];
x y[0];
h x;
h y[0];
