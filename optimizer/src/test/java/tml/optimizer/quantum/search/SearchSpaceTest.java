package tml.optimizer.quantum.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    @Test void extremesAndEnumeration() {
        SearchSpace s = new SearchSpace(ImmutableMap.of("layers", ImmutableList.of(3L, 1L, 2L), "mode", ImmutableList.of("a", "b"), "scale", ImmutableList.of(0.5, 2L)));
        assertEquals("layers=3, mode=\"b\", scale=2", s.largest().toString());
        assertEquals("layers=1, mode=\"a\", scale=0.5", s.smallest().toString());
        assertEquals(12, s.size());
        assertEquals(12, new HashSet<>(s.all()).size());
        assertEquals("layers=3, mode=\"a\", scale=0.5", s.all().getFirst().toString());
    }

    @Test void badSpacesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(ImmutableMap.of()));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(ImmutableMap.of("a", ImmutableList.of())));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(ImmutableMap.of("a", ImmutableList.of(1L, 1L))));
        SearchSpace s = TestCircuits.space(List.of(1L, 2L), List.of(2L));
        assertThrows(IllegalArgumentException.class, () -> s.with(s.largest(), "layers", 5L));
    }
}
