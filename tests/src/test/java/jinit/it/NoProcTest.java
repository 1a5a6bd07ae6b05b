package jinit.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.withMarker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, item 9: no /proc (not mounted in jinit's mount namespace) or a /proc that hides
 * other users' processes (hidepid). A subreaper falls back to the main child's process group
 * and says once what it cannot see; nothing hangs.
 */
class NoProcTest {
    static final Duration T = Duration.ofSeconds(30);
    /** A mount namespace of its own without /proc, then the launcher. */
    static final List<String> NO_PROC = List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", "umount -l /proc && exec \"$@\"", "sh");

    @TempDir Path dir;
    final String mark = "jinit-noproc-" + UUID.randomUUID();

    @AfterEach
    void killLeftovers() throws Exception {
        for (JinitProcess.Proc p : withMarker(mark)) JinitProcess.run("kill", "-9", Integer.toString(p.pid));
    }

    private JinitProcess escape(JinitProcess.Mode mode, List<String> wrapper, Map<String, String> env, String main, String... options) throws Exception {
        Harsh.requireRoot("a mount namespace without /proc");
        Programs.install(dir, "worker.py");
        Programs.install(dir, "escape.py");
        String[] args = new String[options.length + 6];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(new String[] {"--", "python3", dir.resolve("escape.py").toString(), mark, "graceful", main}, 0, args, options.length, 6);
        JinitProcess j = JinitProcess.start(mode, dir, env, wrapper, args);
        waitForFile(dir.resolve("ready"));
        return j;
    }

    /**
     * Without /proc a subreaper still stops the main child's group, warns once that it cannot
     * see what left it, and exits shortly after the deadline instead of waiting forever for a
     * child it cannot find.
     */
    @Test
    void aSubreaperWithoutProcStopsTheGroupWarnsOnceAndDoesNotHang() throws Exception {
        try (JinitProcess j = escape(JinitProcess.Mode.SUBREAPER, NO_PROC, Map.of(), "wait", "-t", "1s")) {
            j.signal("TERM");
            long start = System.nanoTime();
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertTrue(System.nanoTime() - start < 15_000_000_000L, "exited soon after the deadline");
            assertEquals("TERM", read(dir.resolve("main")), "the main child got TERM");
            List<String> lines = Arrays.asList(j.stderrText().split("\n"));
            assertEquals(1, lines.stream().filter(l -> l.contains("/proc is not available")).count(), "one warning:\n" + j.stderrText());
            CommandLineTest.assertNoStackTrace(j.stderrText());
        }
    }

    /** Arguments still arrive (decoded and encoded again), and the launcher copes without /proc/$$. */
    @Test
    void withoutProcArgumentsAndExitStatusStillPass() throws Exception {
        Harsh.requireRoot("a mount namespace without /proc");
        String arg = "\u00e9t\u00e9 \u2603";
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"), NO_PROC,
                "--", "sh", "-c", "printf '%s|' \"$#\" \"$@\" > \"$T/args\"; exit 6", "sh", arg, "", "x")) {
            assertEquals(6, j.waitFor(T), j.stderrText());
            assertArrayEquals(("3|" + arg + "||x|").getBytes(java.nio.charset.StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("args")));
        }
    }

    /** As PID 1 without /proc, kill(-1) still reaches the escaped worker. */
    @Test
    void asPid1WithoutProcEverythingIsStillStopped() throws Exception {
        JinitProcess.requirePid1Support();
        List<String> umount = List.of("sh", "-c", "umount -l /proc && exec \"$@\"", "sh");
        try (JinitProcess j = escape(JinitProcess.Mode.PID1, umount, Map.of(), "exit")) {
            assertEquals(5, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("escaped")), "the escaped worker's TERM handler ran");
            assertEquals(0, withMarker(mark).size(), "left behind: " + withMarker(mark));
        }
    }

    /**
     * With hidepid=2 an unprivileged subreaper sees its own processes only, which are all it
     * may signal anyway: the escaped worker is found and stopped at once (were /proc unusable,
     * it would get nothing and jinit would exit without it after the deadline).
     */
    @Test
    void hidepidHidesNothingJinitCouldStop() throws Exception {
        Harsh.requireRoot("a /proc mounted with hidepid=2");
        Path shared = Harsh.sharedDir("jinit-hidepid");
        try {
            dir = shared;
            List<String> hidepid = List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount -t proc -o hidepid=2 proc /proc && exec \"$@\"", "sh",
                "setpriv", "--reuid=" + Harsh.NOBODY, "--regid=" + Harsh.NOBODY, "--clear-groups");
            try (JinitProcess j = escape(JinitProcess.Mode.SUBREAPER, hidepid, NonRootTest.ENV, "wait", "-t", "20s")) {
                j.signal("TERM");
                assertEquals(0, j.waitFor(T), j.stderrText());
                assertEquals("TERM", read(dir.resolve("escaped")), "the escaped worker got TERM");
                assertEquals("", j.stderrText());
            }
        } finally {
            Harsh.deleteTree(shared);
        }
    }
}
