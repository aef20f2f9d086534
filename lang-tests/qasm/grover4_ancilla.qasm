// Grover search over 4 qubits for |0110> with 3 iterations; the 4-controlled Z uses two ancillas
// (computed with ccx and uncomputed), so ancillas end in |0>: P(0110) = 0.96131897...
OPENQASM 2.0;
include "qelib1.inc";
gate c4z a,b,c,d,x,y { ccx a,b,x; ccx x,c,y; cz y,d; ccx x,c,y; ccx a,b,x; }
qreg q[4];
qreg anc[2];
h q;
x q[0]; x q[3];
c4z q[0],q[1],q[2],q[3],anc[0],anc[1];
x q[0]; x q[3];
h q; x q; c4z q[0],q[1],q[2],q[3],anc[0],anc[1]; x q; h q;
x q[0]; x q[3];
c4z q[0],q[1],q[2],q[3],anc[0],anc[1];
x q[0]; x q[3];
h q; x q; c4z q[0],q[1],q[2],q[3],anc[0],anc[1]; x q; h q;
x q[0]; x q[3];
c4z q[0],q[1],q[2],q[3],anc[0],anc[1];
x q[0]; x q[3];
h q; x q; c4z q[0],q[1],q[2],q[3],anc[0],anc[1]; x q; h q;
