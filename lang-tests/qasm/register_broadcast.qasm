// Several registers and gates applied to whole registers (broadcast), single and paired.
OPENQASM 2.0;
include "qelib1.inc";
qreg a[3];
qreg b[3];
h a;
ry(0.45) b;
cx a,b;
rz(0.9) a;
cz b,a;
u3(0.3,0.2,0.1) b;
swap a,b;
crz(1.2) a,b;
barrier a,b;
h b;
