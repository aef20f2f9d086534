package tml.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code tmlc} driver. Exit codes: 0 success, 1 errors in the input (diagnostics), 2 bad usage,
 * 4 an internal compiler error (a bug: please report it).
 */
public final class Main {
    public static final int OK = 0, ERRORS = 1, USAGE = 2, INTERNAL = 4;

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int[] code = {INTERNAL};
        // A big stack lets deeply nested programs compile; the front end reports what is deeper still.
        Thread t = new Thread(null, () -> code[0] = run(args, out, err), "tmlc", 1L << 30);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
        System.exit(code[0]);
    }

    /** Runs one command; usable in-process by tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(HELP);
            return OK;
        }
        if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version"))) {
            out.println("tmlc 0.1.0");
            return OK;
        }
        try {
            Options o = Options.parse(args);
            return new Commands(o, out, err).run();
        } catch (UsageException e) {
            err.println("tmlc: error: " + e.getMessage());
            return USAGE;
        } catch (StackOverflowError e) {
            err.println("tmlc: error: the program is nested too deeply to compile");
            return ERRORS;
        } catch (OutOfMemoryError e) {
            err.println("tmlc: error: out of memory (the network or its tensors are too large for this JVM's heap)");
            return ERRORS;
        } catch (RuntimeException | Error e) {
            err.println("tmlc: internal compiler error: " + e);
            for (StackTraceElement s : e.getStackTrace()) err.println("    at " + s);
            err.println("Please report this with the input that caused it.");
            return INTERNAL;
        }
    }

    static final String HELP = """
            usage: tmlc COMMAND [OPTIONS] FILE...

            commands:
              check FILE...          check files; print diagnostics; exit 0 when clean
              run FILE               run a network on .npy inputs with the reference interpreter
              ir FILE                print the graph IR of a network (ir --parse FILE.tir reads IR back)
              report FILE            per-layer shapes, MACs, parameters and activation sizes
              train FILE             run a train declaration (circuits and networks; -o WEIGHTS.safetensors)
              search FILE            run a searchspace declaration (QuantumNAS for circuits)
              import FILE.qasm       OpenQASM 2.0 to a TML circuit (-o FILE.tml, else stdout; --circuit NAME names it)
              build FILE             compile a circuit to OpenQASM: --emit qasm2|qasm3 [-o OUT]
                                     or a network to native code: --target host|CORE|BOARD -o DIR [--emit llvm-ir,asm,obj,so|elf,loop]
                                     or to portable C99 (NAME.c + NAME.h): --target host|CORE|BOARD -o DIR --emit c;
                                     --target BOARD refuses a model over the board's SRAM or Flash
              bench FILE             compile a network for the host once and time its forward pass (median, min)
              help, version

            common options:
              --network NAME         the network to use when the file has several
              --param NAME=VALUE     set a network parameter (a TML expression: 0.35, 224, "relu", [1,2])
              -I DIR                 add a module search directory (before the standard library)
              --diagnostic-format=text|json   diagnostics as text (default) or JSON lines, on stderr

            run options:
              --input NAME=X.npy     an input tensor; one extra leading axis makes a batch, run sample by sample
              --output Y.npy         write the output (or --output NAME=Y.npy per output); else print a summary
              --weights W.safetensors  load weights (PyTorch state_dict names); else initialise from --seed (default 0)
              --target interp|host   where to run (interp: the reference interpreter; host: compiled by LLVM for this CPU)
              --accumulate f32|f64   accumulation precision of the interpreter (default f32)
              --json                 print the outputs as JSON

            optimization options (run and ir):
              -O0 .. -O3             graph passes by level (default -O0 for run --target interp: the network as written;
                                     -O3 for --target host and build, where the level is also LLVM's default<On> pipeline)
              --passes=a,b,c         run these graph passes in order instead (names: optimizer/README.md)
              --print-ir-after=NAME,...|all   print the graph IR after those passes, on stderr

            report options:
              --params               list every weight with its shape
              --json                 machine-readable report
              --target T             also the exact SRAM and Flash compiled for T (-O0..-O3, default -O3):
                                     a core (host, cortex-m4, cortex-m7, cortex-m33), a board of
                                     stdlib/targets/boards.tml (stm32f746, mps2-an386, ...) or a target in FILE

            circuit options (run, ir, build):
              --circuit NAME         the circuit to use when the file has several
              -O0 .. -O3             quantum passes (default -O0: the circuit as written); see docs/quantum.md
              --device NAME          (ir, build) route onto a device declared in the file (SABRE, --seed S)
              --weights W.safetensors  trained parameter values (build --emit qasm2 needs them: OpenQASM 2 has no free parameters)
              --shots N, --seed S, --noise DEVICE, --observable P, --json   (run) sample, add noise, Pauli expectations

            bench options:
              --target host          where to run (the only target for now; the default)
              --runs N, --warmup N   timed runs (default 50) after untimed warm-up runs (default 10)
              -O0 .. -O3             graph passes and LLVM level (default -O3)
              --input [NAME=]X.npy   an input (default: uniform in [-1, 1) from --seed); --weights, --seed as for run
              --profile              also time each kernel inside the runs (cycle counters around each call), slowest first
              --json                 the timings as JSON

            ir options:
              -o FILE                write the IR to FILE instead of stdout
              --parse                read FILE as graph IR, verify it and print it back
              --target T             the target the passes optimize for (layout choice at -O3; default interp)
              --level graph|loop     print the graph IR (default) or the lowered, memory-planned loop IR

            exit codes: 0 ok, 1 errors in the input, 2 bad usage, 4 internal error
            """;
}
