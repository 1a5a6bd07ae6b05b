package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * init/src/build/make-runtime.sh on Temurin 25 (the Docker image's runtime): it ships what its
 * Java loads and the notices of what it ships. The FFM backend needs no jnr: jnr's jars, its
 * stub and the modules only it needs stay out, and so do the JDK's tools (keytool); a run
 * that asks for jnr anyway fails at once in one line. With --jnr they go in, with their notices.
 * Runs once, in the JDK 25 execution (the script does not depend on the JVM running the tests).
 */
@EnabledForJreRange(min = JRE.JAVA_22, disabledReason = "runs once, in the JDK 25 execution")
class JlinkRuntimeTest {
    static final Path REPOSITORY = LicenseTest.REPOSITORY;
    /** The JDK 25 execution's JVM: a full JDK, with jlink. */
    static final String JDK = System.getProperty("java.home");

    @TempDir Path dir;

    record Result(int exit, String out) {}

    private static Result run(Path dir, List<String> env, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(JinitProcess.CLEAN_MASK);
        full.addAll(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JINIT_JAVA_HOME");
        for (String e : env) pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within 5 minutes");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Path makeRuntime(String name, String... options) throws Exception {
        assertTrue(new File(JDK, "bin/jlink").canExecute(), "a JDK with jlink at " + JDK);
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("sh", REPOSITORY.resolve("init/src/build/make-runtime.sh").toString(),
            "--jdk", JDK, "--no-aot", "--output", out.toString()));
        cmd.addAll(List.of(options));
        Result r = run(dir, List.of(), cmd.toArray(String[]::new));
        assertEquals(0, r.exit, r.out);
        return out;
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFfmRuntimeShipsNoJnrNoToolsAndItsNotices() throws Exception {
        Path rt = makeRuntime("ffm");
        List<String> want = new ArrayList<>(names(REPOSITORY.resolve("init/target/lib")).stream()
            .filter(n -> n.equals("jinit.jar") || n.equals("jvm.options") || n.startsWith("slf4j-")).toList());
        assertEquals(List.of("jinit.jar", "jvm.options", "slf4j-api", "slf4j-simple"), want.stream().map(n -> n.replaceFirst("-[0-9].*", "")).toList());
        assertEquals(want, names(rt.resolve("lib/jinit")), "jinit and slf4j only");
        assertEquals(List.of("java", "jinit"), names(rt.resolve("bin")), "no keytool");
        assertTrue(Files.readString(rt.resolve("release")).contains("MODULES=\"java.base\""), Files.readString(rt.resolve("release")));
        assertEquals(List.of("LICENSE", "slf4j.md"), names(rt.resolve("legal/jinit")));
        assertArrayEquals(Files.readAllBytes(REPOSITORY.resolve("LICENSE")), Files.readAllBytes(rt.resolve("legal/jinit/LICENSE")));
        assertTrue(Files.isRegularFile(rt.resolve("legal/java.base/LICENSE")), "the JDK's own notices");

        Result v = run(dir, List.of(), rt.resolve("bin/jinit").toString(), "-V");
        assertEquals(0, v.exit, v.out);
        assertTrue(v.out.startsWith("jinit ") && v.out.contains("(ffm backend, Java 25"), v.out);
        Result l = run(dir, List.of(), rt.resolve("bin/jinit").toString(), "-l");
        assertEquals(Files.readString(REPOSITORY.resolve("LICENSE")), l.out);

        // jnr asked for where it was left out: one line, exit 1, no stack trace
        Result jnr = run(dir, List.of("JINIT_JAVA_OPTS=-Djinit.native=jnr"), rt.resolve("bin/jinit").toString(), "--", "true");
        assertEquals(1, jnr.exit, jnr.out);
        assertEquals(1, jnr.out.lines().count(), jnr.out);
        assertTrue(jnr.out.startsWith("jinit: ") && jnr.out.contains("NoClassDefFoundError"), jnr.out);
    }

    @Test
    void withJnrItShipsJnrAndTheirNotices() throws Exception {
        Path rt = makeRuntime("jnr", "--jnr");
        List<String> jars = names(rt.resolve("lib/jinit"));
        assertEquals(names(REPOSITORY.resolve("init/target/lib")).stream().filter(n -> !n.equals("cds")).toList(), jars, "every jar, and jffi's stub (native)");
        assertEquals(List.of("Apache-2.0.txt", "LICENSE", "asm.md", "jffi.md", "jnr-a64asm.md", "jnr-constants.md", "jnr-ffi.md",
            "jnr-posix.md", "jnr-x86asm.md", "slf4j.md"), names(rt.resolve("legal/jinit")));
        assertFalse(Files.exists(rt.resolve("bin/keytool")));
        Result v = run(dir, List.of("JINIT_JAVA_OPTS=-Djinit.native=jnr"), rt.resolve("bin/jinit").toString(), "-V");
        assertEquals(0, v.exit, v.out);
        assertTrue(v.out.contains("(jnr backend, Java 25"), v.out);
    }
}
