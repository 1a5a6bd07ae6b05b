package jinit.it;

import jinit.Signals;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every signal jinit relays, sent to jinit, reaches the child's process group, as PID 1 and as subreaper. */
class SignalRelayTest {
    static final Duration T = Duration.ofSeconds(30);
    /** What jinit relays (jinit.Signals.RELAYED), TERM last: it stops the child. */
    static final List<Integer> RELAYED = IntStream.rangeClosed(1, 64)
        .filter(sig -> Signals.in(Signals.RELAYED, sig) && sig != Signals.TERM).boxed().toList();

    @TempDir Path dir;

    private JinitProcess trapAll(JinitProcess.Mode mode, Map<String, String> env, String... options) throws Exception {
        Programs.install(dir, "trap.py");
        String[] args = new String[options.length + 4];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(new String[] {"--", "python3", dir.resolve("trap.py").toString(), "worker"}, 0, args, options.length, 4);
        JinitProcess j = JinitProcess.start(mode, dir, env, args);
        waitForFile(dir.resolve("ready"));
        waitForFile(dir.resolve("worker-ready"));
        return j;
    }

    /** Sends each relayed signal to jinit and waits until every file in {@code files} (one per process) records it. */
    private void sendEachAndExpect(JinitProcess j, String... files) throws Exception {
        assertTrue(RELAYED.size() > 45, "the relayed signals: " + RELAYED);
        for (int sig : RELAYED) {
            j.signal(Integer.toString(sig));
            for (String file : files) {
                waitUntil(Duration.ofSeconds(10), () -> ("\n" + read(dir.resolve(file))).contains("\n" + sig + "\n"),
                    "signal " + sig + " (" + Signals.name(sig) + ") in " + file);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void everyRelayedSignalReachesTheWholeGroupThenTermStops(JinitProcess.Mode mode) throws Exception {
        // HUP, INT and QUIT start the stop sequence: a long grace keeps the deadline out of the way
        try (JinitProcess j = trapAll(mode, Map.of(), "-t", "5m")) {
            sendEachAndExpect(j, "got", "got-worker");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertTrue(read(dir.resolve("got")).endsWith("15\n"));
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void withoutEnvBlockSignalJinitReexecsItselfAndStillRelays(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = trapAll(mode, Map.of("JINIT_NO_ENV_BLOCK", "1"), "-t", "5m")) {
            sendEachAndExpect(j, "got");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void singleChildRelaysToTheChildOnly(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = trapAll(mode, Map.of(), "--single-child")) {
            j.signal("USR1");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("10\n"), "USR1 at the child");
            j.signal("USR2");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("12\n"), "USR2 at the child");
            assertEquals("", read(dir.resolve("got-worker")), "the worker in the child's group got nothing");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void rewriteAndDrop(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = trapAll(mode, Map.of(), "-r", "USR1:USR2", "--rewrite=sigwinch:0", "-r", "HUP:35")) {
            j.signal("WINCH");
            j.signal("USR1");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("12\n"), "USR1 rewritten to USR2");
            j.signal("HUP");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("35\n"), "HUP rewritten to RTMIN+1");
            assertEquals("12\n35\n", read(dir.resolve("got")), "WINCH dropped, nothing else delivered");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    /**
     * Signals of one kind coalesce in the kernel, so a burst cannot arrive one for one; what must
     * hold is that each kind still arrives after it, that jinit keeps relaying, and that it has
     * nothing to say about it.
     */
    void aBurstOf2000SignalsStillDeliversEachKindAndJinitKeepsRelaying(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = trapAll(mode, Map.of())) {
            int pid = j.pid();
            assertEquals(0, JinitProcess.run("sh", "-c", "i=0; while [ $i -lt 1000 ]; do kill -USR1 " + pid
                + "; kill -USR2 " + pid + "; i=$((i+1)); done"));
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("10\n")
                && read(dir.resolve("got")).contains("12\n"), "USR1 and USR2 after the burst");
            j.signal("WINCH");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("28\n"), "WINCH after the burst");
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("", j.stderrText(), "nothing logged at the default level");
        }
    }
}
