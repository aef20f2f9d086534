package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tml.runtime.Tensor;
import tml.runtime.io.Npy;

/**
 * Differential tests of the standard-library models against PyTorch: scripts/torch_reference.py
 * (run with Debian's python3-torch/torchvision) saves a seeded torchvision model's state_dict as
 * safetensors, an input batch and the expected logits; {@code tmlc run} must reproduce the logits
 * within 1e-4 relative L2 error per sample, loading the checkpoint with no renaming.
 */
class TorchReferenceTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final double TOLERANCE = 1e-4;

    record Case(String model, String file, String network, double width, int resolution, int classes, List<String> params) {
        String key() { return model + "-w" + width + "-r" + resolution + "-c" + classes; }
    }

    static final List<Case> CASES = List.of(
            new Case("mobilenet_v2", "stdlib/models/mobilenet_v2.tml", "MobileNetV2", 0.35, 144, 1000,
                    List.of("width=0.35", "resolution=144")),
            new Case("mobilenet_v2", "stdlib/models/mobilenet_v2.tml", "MobileNetV2", 1.0, 96, 10,
                    List.of("resolution=96", "classes=10")),
            new Case("resnet18", "stdlib/models/resnet.tml", "ResNet18", 1.0, 224, 1000, List.of()),
            new Case("mnasnet", "stdlib/models/mnasnet.tml", "MnasNet", 0.5, 224, 1000, List.of("width=0.5")),
            new Case("mobilenet_v3_small", "stdlib/models/mobilenet_v3.tml", "MobileNetV3Small", 1.0, 224, 1000, List.of()),
            new Case("proxylessnas_mobile", "stdlib/models/proxylessnas.tml", "ProxylessNASMobile", 1.0, 128, 100,
                    List.of("resolution=128", "classes=100")),
            new Case("tiny_cnn", "stdlib/models/tiny_cnn.tml", "TinyCNN", 1.0, 28, 10, List.of()));

    @TestFactory
    Stream<DynamicTest> modelsMatchPyTorch() {
        System.setProperty("tml.home", REPO.toString());
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.key(), () -> check(c)));
    }

    static Path reference(Case c) throws IOException, InterruptedException {
        Path dir = REPO.resolve("lang-tests/target/torch-reference").resolve(c.key());
        if (Files.exists(dir.resolve("expected.npy"))) return dir;
        Files.createDirectories(dir);
        assertTrue(Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 with python3-torch is needed (.ci/run installs it)");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), REPO.resolve("scripts/torch_reference.py").toString(),
                "--model", c.model(), "--width", Double.toString(c.width()), "--resolution", Integer.toString(c.resolution()),
                "--classes", Integer.toString(c.classes()), "--seed", "7", "--batch", "2", "--out", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("reference script timed out for " + c.key());
        }
        assertEquals(0, p.exitValue(), "reference script failed for " + c.key() + ":\n" + log);
        return dir;
    }

    static void check(Case c) throws Exception {
        Path dir = reference(c);
        Path out = dir.resolve("tml-output.npy");
        Files.deleteIfExists(out);
        List<String> args = new ArrayList<>(List.of("run", REPO.resolve(c.file()).toString(), "--network", c.network(),
                "--weights", dir.resolve("weights.safetensors").toString(), "--input", "image=" + dir.resolve("input.npy"),
                "--output", out.toString()));
        for (String p : c.params()) {
            args.add("--param");
            args.add(p);
        }
        LangTest.Result r = LangTest.tmlc(args);
        assertEquals(0, r.exit(), "tmlc run failed:\n" + r.err());
        Tensor got = Npy.read(out), want = Npy.read(dir.resolve("expected.npy"));
        assertEquals(want.shape(), got.shape(), "output shape");
        int samples = want.dim(0), per = want.numel() / samples;
        for (int s = 0; s < samples; s++) {
            double diff = 0, norm = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                double d = got.data()[i] - want.data()[i];
                diff += d * d;
                norm += (double) want.data()[i] * want.data()[i];
            }
            double rel = Math.sqrt(diff / norm);
            System.out.printf("%s sample %d: relative L2 error %.3e%n", c.key(), s, rel);
            assertTrue(rel < TOLERANCE, c.key() + " sample " + s + ": relative L2 error " + rel + " exceeds " + TOLERANCE);
        }
    }
}
