// Simulates OpenQASM 2.0 files with the independent npm simulator `quantum-circuit` and prints the
// probability of every basis state as JSON, for TML's cross-check (lang-tests QasmCrossCheckTest).
//
// usage: node scripts/qc_crosscheck.mjs --modules DIR FILE.qasm...
//   DIR holds node_modules/quantum-circuit (npm install --prefix DIR quantum-circuit@VERSION).
// output: {"FILE.qasm": {"qubits": n, "probabilities": {"0101": p, ...}} | {"error": "..."}, ...}
//
// Bit order: quantum-circuit keeps wire w (the w-th declared qubit, registers in declaration order)
// as bit w of a state index, so index i written in binary with n digits puts qubit 0 rightmost:
// exactly Qiskit's (and TML's) bitstrings. Probabilities are |amplitude|^2 of the raw state, not
// quantum-circuit's rounded per-wire probabilities().
//
// What quantum-circuit 0.9.250 gets wrong or lacks (so the corpus avoids it; TML handles all of it):
// the U and CX primitives are ignored (use u3 / u and cx); a custom gate whose body leaves one of
// its qubit arguments unused acts on the wrong wires; ln() is unknown; a gate parameter named like
// a mathjs function (gamma, ...) is not substituted; rxx/ryy mean exp(-i theta XX) (Qiskit:
// exp(-i theta/2 XX)); Qiskit's 4-parameter cu is read as cu3; mixed register/qubit arguments
// (cx q, r[0]) are dropped.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

const args = process.argv.slice(2);
let modules = process.env.QC_MODULES || ".";
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--modules") modules = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  process.stderr.write("usage: node qc_crosscheck.mjs --modules DIR FILE.qasm...\n");
  process.exit(2);
}
const require = createRequire(join(resolve(modules), "package.json"));
const QuantumCircuit = require("quantum-circuit");

/** Qubits declared by the program's qreg statements (quantum-circuit only counts the wires gates touch). */
function declaredQubits(text) {
  const code = text.replace(/\/\/[^\n]*/g, "");
  let n = 0;
  for (const m of code.matchAll(/\bqreg\s+[A-Za-z_][A-Za-z0-9_]*\s*\[\s*(\d+)\s*\]/g)) n += Number(m[1]);
  return n;
}

function simulate(text) {
  const qubits = declaredQubits(text);
  const circuit = new QuantumCircuit();
  let errors = [];
  circuit.importQASM(text, (errs) => { errors = errs || []; });
  if (errors.length) return { error: "quantum-circuit cannot import it: " + JSON.stringify(errors) };
  if (circuit.numQubits > qubits) return { error: `quantum-circuit uses ${circuit.numQubits} wires, the program declares ${qubits} qubits` };
  circuit.run();
  const probabilities = {};
  for (const key of Object.keys(circuit.state)) {
    const amp = circuit.state[key];
    const p = amp.re * amp.re + amp.im * amp.im;
    if (p === 0) continue;
    const index = Number(key);
    probabilities[index.toString(2).padStart(qubits, "0")] = p;
  }
  return { qubits, probabilities };
}

const out = {};
for (const f of files) {
  try {
    out[basename(f)] = simulate(readFileSync(f, "utf8"));
  } catch (e) {
    out[basename(f)] = { error: String(e && e.stack ? e.stack : e) };
  }
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
