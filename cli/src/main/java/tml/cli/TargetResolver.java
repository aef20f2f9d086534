package tml.cli;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tml.backends.llvm.CortexMTarget;
import tml.frontend.Frontend;
import tml.frontend.diag.Diagnostic;
import tml.frontend.diag.Diagnostics;
import tml.frontend.elab.Suggest;
import tml.frontend.elab.TargetReader;

/**
 * Resolves the name given to {@code --target} into a {@link Board}. In order: a {@code target}
 * declared in the user's file or its imports, a core the compiler generates code for ({@link #CORES}),
 * a board of the standard library's {@value #BOARDS_MODULE}. Names match ignoring case, and '-'
 * matches '_' ({@code --target mps2-an386} finds {@code mps2_an386}). Owns only the lookup and its
 * error messages; the boards themselves are TML source in {@code stdlib/targets/boards.tml}.
 */
public final class TargetResolver {
    private TargetResolver() {}

    /** Cores with a code generator. */
    public static final ImmutableList<String> CORES = ImmutableList.<String>builder().add("host")
            .addAll(CortexMTarget.CORES.stream().map(CortexMTarget.Core::name).toList()).build();

    /** The standard-library module holding the common boards. */
    public static final String BOARDS_MODULE = "targets.boards";

    /** A resolved target, or the diagnostics saying why there is none. */
    public record Resolution(Optional<Board> board, ImmutableList<Diagnostic> diagnostics) {}

    private static final Map<String, ImmutableList<Board>> STDLIB = new ConcurrentHashMap<>();

    /**
     * Resolves {@code name}. {@code user} is the front end holding the user's program (null when
     * there is none); {@code file} is the path an unknown name is reported against.
     */
    public static Resolution resolve(String name, Frontend user, String file) {
        String key = normalize(name);
        Diagnostics diags = new Diagnostics();
        List<String> declared = new ArrayList<>();
        if (user != null) {
            for (Frontend.DeclaredTarget t : user.declaredTargets()) {
                declared.add(t.name());
                if (!normalize(t.name()).equals(key)) continue;
                Optional<Board> b = TargetReader.read(t.decl(), t.module(), diags).map(TargetResolver::board);
                if (b.isPresent()) b = checkCodegen(b.get(), diags);
                return new Resolution(b, diags.all());
            }
        }
        for (String core : CORES) {
            if (core.equals(name.toLowerCase(Locale.ROOT))) return new Resolution(Optional.of(Board.bareCore(core)), ImmutableList.of());
        }
        ImmutableList<Board> boards = stdlibBoards();
        for (Board b : boards) {
            if (normalize(b.name()).equals(key)) return new Resolution(Optional.of(b), ImmutableList.of());
        }
        List<String> all = new ArrayList<>(declared);
        all.addAll(CORES);
        boards.forEach(b -> all.add(b.name()));
        String hint = Suggest.closest(name.toLowerCase(Locale.ROOT).replace('-', '_'), all.stream().map(TargetResolver::normalize).toList())
                .flatMap(n -> all.stream().filter(x -> normalize(x).equals(n)).findFirst())
                .map(x -> "; did you mean '" + x + "'?").orElse("");
        String known = "cores: " + String.join(", ", CORES) + "; boards: " + String.join(", ", boards.stream().map(Board::name).toList())
                + (declared.isEmpty() ? "" : "; declared in " + file + ": " + String.join(", ", declared));
        diags.add(Diagnostic.fileError(file, "unknown target '" + name + "'" + hint + " (" + known + ")"));
        return new Resolution(Optional.empty(), diags.all());
    }

    /** The boards of {@code stdlib/targets/boards.tml}, in declaration order. */
    public static ImmutableList<Board> stdlibBoards() {
        String home = String.valueOf(System.getProperty("tml.home"));
        return STDLIB.computeIfAbsent(home, h -> loadStdlibBoards());
    }

    /** A standard-library board by name (ignoring case, '-' for '_'). */
    public static Optional<Board> stdlibBoard(String name) {
        return stdlibBoards().stream().filter(b -> normalize(b.name()).equals(normalize(name))).findFirst();
    }

    private static ImmutableList<Board> loadStdlibBoards() {
        Frontend fe = new Frontend(List.of());
        fe.loadText("<boards>", "import " + BOARDS_MODULE + "\n");
        ImmutableList.Builder<Board> out = ImmutableList.builder();
        for (Frontend.DeclaredTarget t : fe.declaredTargets()) fe.readTarget(t).ifPresent(x -> out.add(board(x)));
        if (fe.diagnostics().hasErrors()) {
            throw new IllegalStateException("the standard library's " + BOARDS_MODULE + " does not load: "
                    + String.join("; ", fe.diagnostics().all().stream().map(Diagnostic::message).toList()));
        }
        return out.build();
    }

    private static Board board(TargetReader.Target t) {
        return new Board(t.name(), t.core(), t.sramBytes(), t.flashBytes(), t.clockHz(), t.board(), t.qemu(), Optional.of(t.nameSpan()));
    }

    private static Optional<Board> checkCodegen(Board b, Diagnostics diags) {
        if (CORES.contains(b.core())) return Optional.of(b);
        diags.error(b.declSpan().orElseThrow(), "target '" + b.name() + "' has core '" + b.core()
                + "', which TML cannot generate code for yet (cores with a code generator: " + String.join(", ", CORES) + ")");
        return Optional.empty();
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
