// Bernstein-Vazirani with the secret s = 101101 (bit 0 = 1): one query reads s.
OPENQASM 2.0;
include "qelib1.inc";
qreg s[6];
qreg anc[1];
x anc[0];
h anc[0];
h s;
cx s[0],anc[0];
cx s[2],anc[0];
cx s[3],anc[0];
cx s[5],anc[0];
h s;
h anc[0];
x anc[0];
