// W state on 3 qubits: |001>, |010>, |100> with probability 1/3 each.
// ry(2*acos(sqrt(1/3))) gives sqrt(1/3)|0> + sqrt(2/3)|1>; cry splits the |1> branch; ccx fills in |100>.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
ry(1.9106332362490186) q[0];
cry(pi/2) q[0],q[1];
cx q[1],q[0];
x q[0];
x q[1];
ccx q[0],q[1],q[2];
x q[0];
x q[1];
