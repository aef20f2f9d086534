package tml.runtime.io;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;
import tml.runtime.Tensor;

/** The contents of a safetensors file: the optional {@code __metadata__} strings and the tensors in header order. */
public record SafeTensorsFile(ImmutableMap<String, String> metadata, ImmutableList<StoredTensor> tensors) {
    public Optional<StoredTensor> get(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every tensor converted to float32, by name. */
    public ImmutableMap<String, Tensor> toTensors() {
        ImmutableMap.Builder<String, Tensor> b = ImmutableMap.builder();
        for (StoredTensor t : tensors) b.put(t.name(), t.toTensor());
        return b.buildOrThrow();
    }
}
