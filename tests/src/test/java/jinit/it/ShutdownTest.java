package jinit.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static jinit.it.JinitProcess.assertNoneLeft;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.withMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No process is left behind: leftovers get TERM (their handlers run), the deadline SIGKILLs
 * what ignores it, and jinit exits with the main child's status as soon as nothing is left.
 */
class ShutdownTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;
    final String mark = "jinit-test-" + UUID.randomUUID();

    @AfterEach
    void killLeftovers() throws Exception {
        JinitProcess.killAll(withMarker(mark));
    }

    private JinitProcess escape(JinitProcess.Mode mode, String workerMode, String mainMode, String... options) throws Exception {
        Programs.install(dir, "worker.py");
        Programs.install(dir, "escape.py");
        String[] args = new String[options.length + 6];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(new String[] {"--", "python3", dir.resolve("escape.py").toString(), mark, workerMode, mainMode},
            0, args, options.length, 6);
        JinitProcess j = JinitProcess.start(mode, dir, args);
        waitForFile(dir.resolve("ready"));
        return j;
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void whenTheMainChildExitsAnEscapedWorkerGetsTermAndItsHandlerRuns(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = escape(mode, "graceful", "exit")) {
            assertEquals(5, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("escaped")), "the escaped worker's TERM handler ran");
            assertNoneLeft(mark);
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aLeftoverIgnoringTermIsKilledAtTheDeadline(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = escape(mode, "stubborn", "exit", "-t", "1500ms")) {
            assertEquals(5, j.waitFor(T), j.stderrText());
            assertNoneLeft(mark);
            assertTrue(j.stderrText().contains("grace period of 1.5s is over"), j.stderrText());
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aStopSignalReachesEscapedWorkersToo(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = escape(mode, "graceful", "wait")) {
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("main")), "the main child's TERM handler ran");
            assertEquals("TERM", read(dir.resolve("escaped")), "the escaped worker's TERM handler ran");
            assertNoneLeft(mark);
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aMainChildIgnoringTermIsKilledAtTheDeadlineAndJinitExits137(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = escape(mode, "stubborn", "stubborn", "--grace", "1")) {
            j.signal("TERM");
            assertEquals(137, j.waitFor(T), j.stderrText());
            assertNoneLeft(mark);
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void exitsAsSoonAsNothingIsLeftNotAtTheDeadline(JinitProcess.Mode mode) throws Exception {
        // a 10-minute grace period: if jinit slept until the deadline, waitFor would time out
        try (JinitProcess j = escape(mode, "graceful", "exit", "-t", "10m")) {
            assertEquals(5, j.waitFor(T), j.stderrText());
            assertNoneLeft(mark);
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aStoppedLeftoverStillHandlesTerm(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = escape(mode, "graceful", "wait")) {
            JinitProcess.Proc worker = withMarker(mark).stream().filter(p -> p.cmdline.contains("worker.py")).findFirst().orElseThrow();
            JinitProcess.run("kill", "-STOP", Integer.toString(worker.pid));
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("escaped")), "TERM, then CONT: the stopped worker's handler ran");
        }
    }

    /**
     * A stop signal reaches the main child's group once and what left it once: as PID 1 a TERM
     * goes out with one kill(-1), which must not double the group's; an INT goes to the group,
     * and TERM to the escaped worker.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aStopSignalReachesEveryProcessExactlyOnce(JinitProcess.Mode mode) throws Exception {
        for (String sig : new String[] {"TERM", "INT"}) {
            Path run = java.nio.file.Files.createDirectories(dir.resolve(sig));
            Programs.install(run, "count.py");
            try (JinitProcess j = JinitProcess.start(mode, run, "--", "python3", run.resolve("count.py").toString(), mark)) {
                waitForFile(run.resolve("ready"));
                j.signal(sig);
                assertEquals(0, j.waitFor(T), j.stderrText());
                String term = sig.equals("TERM") ? "1 0" : "0 1";
                assertEquals("main " + term, read(run.resolve("main")), j.stderrText());
                assertEquals("grouped " + term, read(run.resolve("grouped")), j.stderrText());
                assertEquals("escaped 1 0", read(run.resolve("escaped")), "the escaped worker gets TERM, once: " + j.stderrText());
            }
        }
    }
}
