package jinit.it;

import jinit.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static jinit.it.JinitProcess.LAUNCHER;
import static jinit.it.JinitProcess.Mode.SUBREAPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the launcher decides before jinit runs: the signals it blocks, the form and the Java it picks. */
class LauncherTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;

    private static String launcherText() throws IOException {
        JinitProcess.requireLauncher();
        return Files.readString(LAUNCHER, StandardCharsets.ISO_8859_1);
    }

    /** The built launcher's lists are jinit.Signals' sets; the source holds no list of its own. */
    @Test
    void theLaunchersSignalListsAreSignalsOwn() throws Exception {
        String text = launcherText();
        Matcher caught = Pattern.compile("for _jinit_s in ([0-9 ]+); do\n  trap ").matcher(text);
        assertTrue(caught.find(), "the trap loop in " + LAUNCHER);
        assertEquals(Signals.list(Signals.CAUGHT_BY_LAUNCHER, " "), caught.group(1));
        Matcher blocked = Pattern.compile("--block-signal=([0-9,]+) ").matcher(text);
        assertTrue(blocked.find(), "env --block-signal in " + LAUNCHER);
        assertEquals(Signals.list(Signals.BLOCKED_AT_START, ","), blocked.group(1));

        Path source = Path.of(System.getProperty("jinit.repository", ".."), "init", "src", "main", "sh", "jinit");
        String src = Files.readString(source, StandardCharsets.ISO_8859_1);
        assertTrue(src.contains("for _jinit_s in %{jinit.signals.caught}; do") && src.contains("--block-signal=%{jinit.signals.blocked} "), source.toString());
        assertFalse(Pattern.compile("\\b1[, ]2[, ]3\\b").matcher(src).find(), "a hand-written signal list in " + source);
    }

    /** Through the launcher jinit never re-executes its JVM: Stage0 is not even loaded. Without GNU env it is. */
    @Test
    void theNormalPathNeverReachesStage0() throws Exception {
        Map<String, String> log = Map.of("JINIT_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, log, "--", "true")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertTrue(j.stdoutText().contains(" jinit.Main "), "the class log: " + j.stdoutText().length() + " bytes");
            assertFalse(j.stdoutText().contains(" jinit.Stage0 "), "Stage0 loaded on the normal path");
        }
        Map<String, String> noEnv = Map.of("JINIT_JAVA_OPTS", "-Xlog:class+load=info:stdout", "JINIT_NO_ENV_BLOCK", "1");
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, noEnv, "--", "true")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertTrue(j.stdoutText().contains(" jinit.Stage0 "), "without env --block-signal jinit re-executes through Stage0");
        }
    }

    /** A JINIT_JAVA_HOME without a Java is one line naming it, and exit 1, as with no Java at all. */
    @Test
    void aJinitJavaHomeWithoutJavaIsOneLineAndExit1() throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, Map.of("JINIT_JAVA_HOME", "/nonexistent"), "--", "true")) {
            assertEquals(1, j.waitFor(T));
            assertEquals("jinit: JINIT_JAVA_HOME=/nonexistent: no Java there (/nonexistent/bin/java is not an executable file)\n", j.stderrText());
        }
    }

    /** Runs {@code launcher ARGS} with {@code env} (no JAVA_HOME, no JINIT_JAVA_HOME unless given): exit code, stdout, stderr. */
    private String[] runLauncher(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JINIT_JAVA_HOME");
        pb.environment().putAll(env);
        Path out = dir.resolve("out"), err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "timed out: " + cmd);
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)};
    }

    /** A copy of the built launcher and its jars, with a native executable (a script standing in for it) beside it. */
    private Path launcherWithNativeForm() throws IOException {
        Path home = Files.createDirectories(dir.resolve("jinit"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> files = Files.list(LAUNCHER.getParent().resolve("lib"))) {
            for (Path f : (Iterable<Path>) files::iterator) if (Files.isRegularFile(f)) Files.copy(f, lib.resolve(f.getFileName()));
        }
        Path launcher = Files.copy(LAUNCHER, home.resolve("jinit"));
        Path nativeForm = Files.createDirectories(home.resolve("native")).resolve("jinit");
        Files.writeString(nativeForm, "#!/bin/sh\necho \"native $*\"\n");
        assertTrue(nativeForm.toFile().setExecutable(true));
        return launcher;
    }

    /** The launcher beside the build's lib/ (its class-data archives too), without the native executable. */
    private Path launcherWithoutNativeForm() throws IOException {
        Path home = Files.createDirectories(dir.resolve("jvm-only"));
        Files.createSymbolicLink(home.resolve("lib"), LAUNCHER.getParent().resolve("lib"));
        return Files.copy(LAUNCHER, home.resolve("jinit"));
    }

    /** Without JINIT_JAVA_HOME or JAVA_HOME, the native executable the build made is run, also for `jinit ctl`. */
    @Test
    void withoutAnExplicitJavaTheNativeFormIsRun() throws Exception {
        JinitProcess.requireLauncher();
        Path launcher = launcherWithNativeForm();
        String[] r = runLauncher(launcher, Map.of(), "-t", "3s", "--", "true");
        assertEquals("0", r[0], r[2]);
        assertEquals("native -t 3s -- true\n", r[1]);
        r = runLauncher(launcher, Map.of(), "ctl", "status");
        assertEquals("native ctl status\n", r[1]);
        // an explicit Java wins
        r = runLauncher(launcher, Map.of("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME), "-V");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("jinit ") && r[1].contains(" at " + JinitProcess.JAVA_HOME), r[1]);
        r = runLauncher(launcher, Map.of("JAVA_HOME", JinitProcess.JAVA_HOME), "-V");
        assertTrue(r[1].contains(" at " + JinitProcess.JAVA_HOME), r[1]);
    }

    /**
     * Without JINIT_JAVA_HOME or JAVA_HOME (and no native executable), the runtime the build
     * trained a class-data archive for is run, the fastest first, not PATH's java; -V says which.
     */
    @Test
    void withoutAnExplicitJavaTheTrainedRuntimeIsRun() throws Exception {
        JinitProcess.requireLauncher();
        Path runtimes = LAUNCHER.getParent().resolve("lib/cds/runtimes");
        assumeTrue(Files.exists(runtimes), "the build trained no class-data archive (-Djinit.skipTraining=true): " + runtimes);
        String first = Files.readAllLines(runtimes).get(0);
        String home = first.substring(first.indexOf(' ') + 1);
        assertTrue(Files.exists(LAUNCHER.getParent().resolve("lib/cds/" + first.substring(0, first.indexOf(' ')) + ".aot"))
            || Files.exists(LAUNCHER.getParent().resolve("lib/cds/" + first.substring(0, first.indexOf(' ')) + ".jsa")), first);
        // PATH's java first on PATH is another one
        String other = home.contains("temurin-25") ? "/usr/lib/jvm/java-17-openjdk-amd64" : "/usr/lib/jvm/temurin-25-jdk-amd64";
        Path launcher = launcherWithoutNativeForm();
        String[] r = runLauncher(launcher, Map.of("PATH", other + "/bin:" + System.getenv("PATH")), "-V");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].endsWith(" at " + home + ")\n"), "the trained runtime " + home + ": " + r[1]);
        // JAVA_HOME is an explicit choice
        r = runLauncher(launcher, Map.of("JAVA_HOME", other), "-V");
        assertTrue(r[1].endsWith(" at " + other + ")\n"), r[1]);
    }
}
