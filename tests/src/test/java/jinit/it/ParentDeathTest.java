package jinit.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static jinit.it.JinitProcess.LAUNCHER;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, item 8: a subreaper jinit killed with SIGKILL takes its main child with it (a
 * parent-death signal set in the child before exec, --child-pdeathsig SIG|none, KILL by default).
 */
class ParentDeathTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;
    private final List<Integer> started = new ArrayList<>();

    @AfterEach
    void killChildren() throws Exception {
        for (int pid : started) if (Harsh.alive(pid)) JinitProcess.run("kill", "-9", Integer.toString(pid));
    }

    private int startAndKillJinit(String... options) throws Exception {
        Programs.install(dir, "pdeathsig.py");
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--", "python3", dir.resolve("pdeathsig.py").toString()));
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, args.toArray(new String[0]))) {
            waitForFile(dir.resolve("ready"));
            int child = Integer.parseInt(read(dir.resolve("pid")));
            started.add(child);
            assertTrue(Harsh.alive(child));
            j.process.destroyForcibly(); // SIGKILL: jinit can do nothing about it
            j.process.waitFor(10, TimeUnit.SECONDS);
            return child;
        }
    }

    @Test
    void aSigkilledSubreaperTakesItsMainChildWithItByDefault() throws Exception {
        int child = startAndKillJinit();
        assertEquals("9", read(dir.resolve("pdeathsig")), "the child's parent-death signal");
        waitUntil(Duration.ofSeconds(10), () -> !Harsh.alive(child), "the main child dying with jinit");
    }

    @Test
    void theSignalIsConfigurable() throws Exception {
        int child = startAndKillJinit("--child-pdeathsig", "sigterm");
        assertEquals("15", read(dir.resolve("pdeathsig")));
        waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("term")).equals("TERM"), "the child's TERM handler");
        waitUntil(Duration.ofSeconds(10), () -> !Harsh.alive(child), "the main child exiting");
    }

    @Test
    void noneLeavesTheChildRunning() throws Exception {
        int child = startAndKillJinit("--child-pdeathsig", "none");
        assertEquals("0", read(dir.resolve("pdeathsig")));
        Thread.sleep(1000);
        assertTrue(Harsh.alive(child), "with none, the child outlives jinit");
    }

    @Test
    void asPid1NoneIsSetTheKernelKillsTheNamespace() throws Exception {
        Programs.install(dir, "pdeathsig.py");
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.PID1, dir, "--", "python3", dir.resolve("pdeathsig.py").toString())) {
            waitForFile(dir.resolve("ready"));
            assertEquals("0", read(dir.resolve("pdeathsig")));
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
    }

    /**
     * Through the parent-death signal's setpriv, the child still sees exactly what it would
     * without: arguments (bytes), environment, descriptors, signal mask and ignored signals,
     * process group, and exit statuses for a missing or non-executable program.
     */
    @Test
    void theChildSeesExactlyTheSameAsWithout() throws Exception {
        JinitProcess.requireLauncher();
        Programs.install(dir, "dump.py");
        for (String how : new String[] {"none", "KILL"}) {
            String script = "exec 5</dev/null; A=$(printf 'a\\377b'); exec env --ignore-signal=HUP N=" + how
                + " \"$J\" --child-pdeathsig " + how + " -- python3 \"$T/dump.py\" \"$A\" ''";
            ProcessBuilder pb = new ProcessBuilder(PassThroughTest.withCleanMask("sh", "-c", script)).directory(dir.toFile());
            pb.environment().putAll(Map.of("J", LAUNCHER.toString(), "T", dir.toString(), "JINIT_JAVA_HOME", JinitProcess.JAVA_HOME));
            pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), read(dir.resolve("err")));
        }
        byte[] without = Files.readAllBytes(dir.resolve("none")), with = Files.readAllBytes(dir.resolve("KILL"));
        String w = new String(without, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(w.contains(" 5=/dev/null"), "the inherited descriptor 5: " + w);
        assertTrue(w.contains("a\u00ffb\0\0"), "the arguments, bytes and all: " + w);
        assertTrue(w.endsWith("|True"), "own process group: " + w);
        // the only difference may be N itself
        assertArrayEquals(without, new String(with, java.nio.charset.StandardCharsets.ISO_8859_1).replace("N=KILL", "N=none")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), w);

        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, "/no/such/program")) {
            assertEquals(127, j.waitFor(T));
            assertEquals("jinit: /no/such/program: not found\n", j.stderrText());
        }
        Path noShebang = dir.resolve("noshebang");
        Files.writeString(noShebang, "echo this is no executable\n");
        noShebang.toFile().setExecutable(true);
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, noShebang.toString())) {
            assertEquals(126, j.waitFor(T), "posix_spawnp would not run it with sh: " + j.stdoutText());
            assertEquals("jinit: " + noShebang + ": cannot execute: exec format error\n", j.stderrText());
        }
    }

    @Test
    void withoutSetprivJinitSaysSoOnceAndRunsTheChild() throws Exception {
        // a PATH without setpriv (the launcher and the child need nothing from PATH here)
        Path empty = Files.createDirectory(dir.resolve("empty"));
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of("PATH", empty.toString()),
                "--", "/bin/sh", "-c", "exit 3")) {
            assertEquals(3, j.waitFor(T), j.stderrText());
            String[] lines = j.stderrText().split("\n");
            assertEquals(1, lines.length, j.stderrText());
            assertTrue(lines[0].contains("setpriv") && lines[0].contains("WARN"), lines[0]);
        }
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of("PATH", empty.toString()),
                "--child-pdeathsig", "none", "--", "/bin/sh", "-c", "exit 3")) {
            assertEquals(3, j.waitFor(T), j.stderrText());
            assertEquals("", j.stderrText(), "none asks for nothing");
        }
    }
}
