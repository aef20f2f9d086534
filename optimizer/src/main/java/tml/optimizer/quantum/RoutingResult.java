package tml.optimizer.quantum;

import com.google.common.collect.ImmutableList;
import tml.ir.quantum.Circuit;

/**
 * A circuit routed onto a device: its qubits are the device's physical qubits, every two-qubit
 * gate acts on a coupled pair. {@code initialLayout.get(l)} is the physical qubit holding logical
 * qubit l at the start, {@code finalLayout.get(l)} at the end (inserted swaps move qubits).
 */
public record RoutingResult(Circuit circuit, ImmutableList<Integer> initialLayout, ImmutableList<Integer> finalLayout, int swaps) {}
