package tml.runtime.quantum;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;

/** A Hermitian observable: a real-weighted sum of Pauli strings. */
public record Observable(ImmutableList<PauliString> terms) {
    public static Observable of(PauliString... terms) { return new Observable(ImmutableList.copyOf(terms)); }

    /** Parses Qiskit labels, e.g. {@code Observable.parse("ZZ", "0.5*XI")}. */
    public static Observable parse(String... labels) {
        return new Observable(Arrays.stream(labels).map(PauliString::parse).collect(ImmutableList.toImmutableList()));
    }

    /** Z on one qubit. */
    public static Observable z(int qubit) { return of(PauliString.z(qubit)); }

    public int width() { return terms.stream().mapToInt(PauliString::width).max().orElse(0); }
}
