package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static jinit.it.JinitProcess.Mode.SUBREAPER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jinit's license ships with it: `jinit -l` prints the repository's LICENSE, as tini's -l prints
 * its own, and the build's legal/ holds a notice for every component in lib/.
 */
class LicenseTest {
    static final Path REPOSITORY = Path.of(System.getProperty("jinit.repository", "..")).toAbsolutePath().normalize();

    @TempDir Path dir;

    @Test
    void dashLPrintsTheLicense() throws Exception {
        byte[] license = Files.readAllBytes(REPOSITORY.resolve("LICENSE"));
        for (String flag : List.of("-l", "--license")) {
            try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, flag)) {
                assertEquals(0, j.waitFor(Duration.ofSeconds(30)), j.stderrText());
                assertArrayEquals(license, Files.readAllBytes(j.stdout), flag + " prints LICENSE as it is; got:\n" + j.stdoutText());
                assertEquals("", j.stderrText());
            }
        }
    }

    /** The rule make-runtime.sh applies: NAME-VERSION.jar has legal/NAME.md, or its family's (asm-tree: asm.md). */
    @Test
    void everyBundledJarHasANotice() throws Exception {
        Path target = REPOSITORY.resolve("init/target");
        assertArrayEquals(Files.readAllBytes(REPOSITORY.resolve("LICENSE")), Files.readAllBytes(target.resolve("legal/LICENSE")));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                String name = jar.getFileName().toString().replaceFirst("-[0-9].*", "");
                if (name.equals("jinit.jar")) continue;
                String family = name.replaceFirst("-.*", "");
                if (!Files.isRegularFile(target.resolve("legal/" + name + ".md")) && !Files.isRegularFile(target.resolve("legal/" + family + ".md"))) {
                    missing.add(jar.getFileName() + " (add init/src/legal/" + name + ".md)");
                }
            }
        }
        assertEquals(List.of(), missing, "components without a notice");
    }
}
