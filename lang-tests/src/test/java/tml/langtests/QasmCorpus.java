package tml.langtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tml.backends.qasm.Qasm2Importer;
import tml.backends.qasm.QasmParseException;
import tml.ir.quantum.Circuit;

/** The OpenQASM 2.0 circuits under lang-tests/qasm/ (measurement-free, so probabilities compare). */
final class QasmCorpus {
    static final Path DIR = Path.of("").toAbsolutePath().resolve("qasm");

    private QasmCorpus() {}

    static List<Path> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".qasm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Circuit load(Path file) throws QasmParseException {
        String name = file.getFileName().toString().replace(".qasm", "");
        return Qasm2Importer.parse(text(file), name);
    }
}
