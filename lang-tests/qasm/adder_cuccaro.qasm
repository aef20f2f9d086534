// Cuccaro ripple-carry adder (as in the OpenQASM 2.0 paper) on a = 0001 + (0 or 2) (a[1] in
// superposition) and b = 1111: the sum lands in b and cout, in two equally likely outcomes.
OPENQASM 2.0;
include "qelib1.inc";
gate majority a,b,c { cx c,b; cx c,a; ccx a,b,c; }
gate unmaj a,b,c { ccx a,b,c; cx c,a; cx a,b; }
qreg cin[1];
qreg a[4];
qreg b[4];
qreg cout[1];
x a[0];
h a[1];
x b;
majority cin[0],b[0],a[0];
majority a[0],b[1],a[1];
majority a[1],b[2],a[2];
majority a[2],b[3],a[3];
cx a[3],cout[0];
unmaj a[2],b[3],a[3];
unmaj a[1],b[2],a[2];
unmaj a[0],b[1],a[1];
unmaj cin[0],b[0],a[0];
