package jinit.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static jinit.it.JinitProcess.withMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, item 7: jinit as an unprivileged user (Kubernetes runAsNonRoot: PID 1 of the pod's
 * PID namespace is an ordinary uid), as PID 1 and as a subreaper. Root is needed to become
 * that user (setpriv) and to make the namespace.
 */
class NonRootTest {
    static final Duration T = Duration.ofSeconds(30);
    static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + Harsh.NOBODY, "--regid=" + Harsh.NOBODY, "--clear-groups");
    /** PATH without root's own directories (a pyenv shim in /root cannot be run by nobody). */
    static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/nonexistent");

    Path dir;
    final String mark = "jinit-nonroot-" + UUID.randomUUID();

    @BeforeEach
    void sharedDir() throws Exception {
        Harsh.requireRoot("becoming an unprivileged user (setpriv)");
        dir = Harsh.sharedDir("jinit-nonroot");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (JinitProcess.Proc p : withMarker(mark)) JinitProcess.run("kill", "-9", Integer.toString(p.pid));
        Harsh.deleteTree(dir);
    }

    private JinitProcess start(JinitProcess.Mode mode, String... args) throws Exception {
        return JinitProcess.start(mode, dir, ENV, AS_NOBODY, args);
    }

    /** Relay, reaping and the stop sequence as nobody: nothing asks for a privilege. */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void everythingWorksAsAnUnprivilegedUser(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "worker.py");
        Programs.install(dir, "escape.py");
        try (JinitProcess j = start(mode, "--", "python3", dir.resolve("escape.py").toString(), mark, "graceful", "wait")) {
            waitForFile(dir.resolve("ready"));
            assertEquals(Harsh.NOBODY, Harsh.status(j.pid(), "Uid"), "jinit runs as nobody");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("main")));
            assertEquals("TERM", read(dir.resolve("escaped")), "the escaped worker got TERM");
            assertEquals("", j.stderrText(), "no warning: nothing needed a privilege");
            assertEquals(0, withMarker(mark).size(), "left behind: " + withMarker(mark));
        }
    }

    /**
     * A descendant that became root (a setuid program) cannot be signalled by a non-root jinit:
     * kill(-1) reaches only what it may. jinit does not wait for it forever: shortly after the
     * deadline it says what is left and exits with the main child's status; as PID 1 its exit
     * makes the kernel kill the rest of the namespace.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aProcessJinitMayNotKillDoesNotHoldItForever(JinitProcess.Mode mode) throws Exception {
        Path sleeper = Harsh.compile(dir, "rootsleeper-" + mark, Programs.install(dir, "rootsleeper.c"));
        assertEquals(0, new ProcessBuilder("chmod", "4755", sleeper.toString()).start().waitFor(), "setuid root");
        try (JinitProcess j = start(mode, "-t", "1s", "--", "sh", "-c",
                "\"$0\" & while [ ! -s \"$T/root-pid\" ]; do sleep 0.05; done; exit 3", sleeper.toString())) {
            long start = System.nanoTime();
            assertEquals(3, j.waitFor(T), j.stderrText());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 15_000, "took " + ms + " ms");
            int root = Integer.parseInt(read(dir.resolve("root-pid")).trim());
            assertTrue(j.stderrText().contains("still there"), j.stderrText());
            CommandLineTest.assertNoStackTrace(j.stderrText());
            if (mode == JinitProcess.Mode.PID1) {
                waitUntil(Duration.ofSeconds(10), () -> withMarker(mark).isEmpty(), "the kernel killing the namespace");
            } else {
                assertTrue(j.stderrText().contains("rootsleeper"), "names what is left: " + j.stderrText());
                assertFalse(withMarker(mark).isEmpty(), "a subreaper cannot kill it: it is left, and said so");
            }
        }
    }
}
