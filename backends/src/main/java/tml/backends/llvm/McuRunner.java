package tml.backends.llvm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tml.ir.loop.Buffer;
import tml.ir.loop.Program;

/**
 * Runs jobs on a Cortex-M image in QEMU ({@code qemu-system-arm -M BOARD -cpu CORE -icount shift=0}
 * with semihosting), all in one QEMU run: it places each job's weights, inputs, outputs and arena in
 * the board's data RAM ({@link McuMemory}), writes the job list and the bytes to load
 * ({@code tml.job}, {@code tml.in}; format in {@code runtime/cortex-m/main.c}), and reads back the
 * outputs (exact f32 bits), a guard band after the arena (which must be untouched) and the SysTick
 * ticks of every call from {@code tml.out}.
 */
public final class McuRunner {
    private McuRunner() {}

    /** One call of program {@code program} of the image with this weights blob and these inputs. */
    public record Job(int program, float[] weights, float[][] inputs) {}

    /**
     * What one call gave: the outputs, SysTick ticks of the call and the instructions they stand for
     * ({@code ticks * board.instructionsPerTick()}, so exact to within one tick).
     */
    public record Result(float[][] outputs, long ticks, long instructions) {}

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final int MAGIC = 0x4A4D4C54;
    /** Bytes after each arena filled with GUARD_BYTE before the call and read back after it: the code must not touch them. */
    static final int GUARD = 256;
    private static final byte GUARD_BYTE = (byte) 0xA5;

    /** qemu-system-arm: the {@code tml.qemu} system property, or the first one on PATH. */
    static Path qemu() { return findQemu(System.getProperty("tml.qemu"), System.getenv("PATH")); }

    /** qemu-system-arm at {@code configured} if given, else the first one on the search path {@code path}. */
    static Path findQemu(String configured, String path) {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p)) return p;
            throw new BackendException("qemu-system-arm not found at " + p + " (system property tml.qemu)");
        }
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, "qemu-system-arm");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
            }
        }
        throw new BackendException("qemu-system-arm not found; install it with apt-get install qemu-system-arm");
    }

    public static List<Result> run(McuImage image, List<Job> jobs) { return run(image, jobs, DEFAULT_TIMEOUT); }

    public static List<Result> run(McuImage image, List<Job> jobs, Duration timeout) {
        Path qemu = qemu();
        Board board = image.target().board();
        Path dir;
        try {
            dir = Files.createTempDirectory("tml-qemu");
        } catch (IOException e) {
            throw new BackendException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            List<List<Buffer>> outputs = writeJobs(image, board, jobs, dir);
            execute(qemu, image, dir, timeout);
            return readResults(board, outputs, dir.resolve("tml.out"));
        } catch (IOException e) {
            throw new BackendException("cannot exchange files with QEMU in " + dir + ": " + e.getMessage(), e);
        } finally {
            HostTarget.deleteTree(dir);
        }
    }

    /** Writes tml.job and tml.in; returns each job's output buffers. */
    private static List<List<Buffer>> writeJobs(McuImage image, Board board, List<Job> jobs, Path dir) throws IOException {
        Words job = new Words();
        job.add(MAGIC).add(1).add(jobs.size());
        List<List<Buffer>> outputs = new ArrayList<>();
        Map<float[], Long> blobOffsets = new IdentityHashMap<>();
        float[] residentBlob = null;
        long residentAt = -1;
        try (OutputStream in = Files.newOutputStream(dir.resolve("tml.in"))) {
            long inBytes = 0, guardOffset = -1;
            for (int j = 0; j < jobs.size(); j++) {
                Job jb = jobs.get(j);
                if (jb.program() < 0 || jb.program() >= image.programs().size()) {
                    throw new IllegalArgumentException("job " + j + " names program " + jb.program() + " of " + image.programs().size());
                }
                Program p = image.programs().get(jb.program());
                List<Buffer> ins = p.inputs(), outs = p.outputs();
                check(p, jb);
                List<McuMemory.Block> blocks = new ArrayList<>();
                for (Buffer b : ins) blocks.add(new McuMemory.Block("input '" + b.name() + "'", b.bytes()));
                for (Buffer b : outs) blocks.add(new McuMemory.Block("output '" + b.name() + "'", b.bytes()));
                blocks.add(new McuMemory.Block("the weights", jb.weights().length * 4L));
                blocks.add(new McuMemory.Block("the arena", p.arenaBytes() + GUARD));
                long[] at = McuMemory.place(board, blocks, "program " + p.name());
                job.add(jb.program()).add(p.arenaBytes()).add(blocks.size());
                for (long a : at) job.add(a);
                int w = ins.size() + outs.size();
                List<long[]> loads = new ArrayList<>();
                if (!(jb.weights() == residentBlob && at[w] == residentAt) && jb.weights().length > 0) {
                    Long off = blobOffsets.get(jb.weights());
                    if (off == null) {
                        off = inBytes;
                        inBytes += write(in, jb.weights());
                        blobOffsets.put(jb.weights(), off);
                    }
                    loads.add(new long[] {off, at[w], jb.weights().length * 4L});
                }
                residentBlob = jb.weights();
                residentAt = at[w];
                for (int i = 0; i < ins.size(); i++) {
                    loads.add(new long[] {inBytes, at[i], ins.get(i).bytes()});
                    inBytes += write(in, jb.inputs()[i]);
                }
                if (guardOffset < 0) {
                    guardOffset = inBytes;
                    byte[] guard = new byte[GUARD];
                    java.util.Arrays.fill(guard, GUARD_BYTE);
                    in.write(guard);
                    inBytes += GUARD;
                }
                long guardAt = at[w + 1] + p.arenaBytes();
                loads.add(new long[] {guardOffset, guardAt, GUARD});
                job.add(loads.size());
                for (long[] l : loads) job.add(l[0]).add(l[1]).add(l[2]);
                job.add(outs.size() + 1);
                for (int i = 0; i < outs.size(); i++) job.add(at[ins.size() + i]).add(outs.get(i).bytes());
                job.add(guardAt).add(GUARD);
                outputs.add(outs);
            }
        }
        Files.write(dir.resolve("tml.job"), job.bytes());
        return outputs;
    }

    private static void check(Program p, Job jb) {
        if (jb.inputs().length != p.inputs().size()) {
            throw new BackendException(p.name() + " takes " + p.inputs().size() + " inputs, got " + jb.inputs().length);
        }
        for (int i = 0; i < jb.inputs().length; i++) {
            Buffer b = p.inputs().get(i);
            if (jb.inputs()[i].length != b.count()) {
                throw new BackendException("input '" + b.name() + "' needs " + b.count() + " values, got " + jb.inputs()[i].length);
            }
        }
        if (jb.weights().length * 4L < p.weightBytes()) {
            throw new BackendException("the weights blob has " + jb.weights().length * 4L + " bytes; the program needs " + p.weightBytes());
        }
    }

    private static long write(OutputStream out, float[] values) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(values);
        out.write(bb.array());
        return values.length * 4L;
    }

    private static void execute(Path qemu, McuImage image, Path dir, Duration timeout) throws IOException {
        CortexMTarget.Core core = image.target().core();
        List<String> cmd = List.of(qemu.toString(), "-M", core.qemuMachine(), "-cpu", core.cpu(), "-nographic", "-monitor", "none",
                "-serial", "none", "-semihosting-config", "enable=on,target=native", "-icount", "shift=0",
                "-kernel", image.elf().toAbsolutePath().toString());
        Path log = dir.resolve("qemu.log");
        Process proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                proc.destroyForcibly();
                proc.waitFor(10, TimeUnit.SECONDS);
                throw new BackendException("QEMU (" + core.qemuMachine() + ") did not finish in " + timeout.toSeconds() + " seconds");
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while QEMU was running");
        }
        if (proc.exitValue() != 0) {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            throw new BackendException("the " + core.name() + " image failed in QEMU " + core.qemuMachine() + " (exit " + proc.exitValue() + ")"
                    + (text.isEmpty() ? "" : ": " + text));
        }
    }

    private static List<Result> readResults(Board board, List<List<Buffer>> outputs, Path file) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Result> results = new ArrayList<>();
        for (List<Buffer> outs : outputs) {
            float[][] values = new float[outs.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = new float[Math.toIntExact(outs.get(i).count())];
                if (bb.remaining() < values[i].length * 4L) throw new BackendException("QEMU wrote too few output bytes to " + file);
                bb.asFloatBuffer().get(values[i]);
                bb.position(bb.position() + values[i].length * 4);
            }
            if (bb.remaining() < GUARD + 8) throw new BackendException("QEMU wrote too few output bytes to " + file);
            for (int k = 0; k < GUARD; k++) {
                if (bb.get() != GUARD_BYTE) {
                    throw new IllegalStateException("job " + results.size() + " wrote past its planned arena (a compiler bug)");
                }
            }
            long ticks = bb.getLong();
            results.add(new Result(values, ticks, ticks * board.instructionsPerTick()));
        }
        if (bb.hasRemaining()) throw new BackendException("QEMU wrote more output bytes than expected to " + file);
        return results;
    }

    /** Little-endian u32 words. */
    private static final class Words {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        Words add(long v) {
            if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException("not a 32-bit word: " + v);
            for (int k = 0; k < 4; k++) bytes.write((int) (v >>> (8 * k)) & 0xFF);
            return this;
        }

        byte[] bytes() { return bytes.toByteArray(); }
    }
}
