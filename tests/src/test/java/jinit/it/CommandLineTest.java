package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static jinit.it.JinitProcess.Mode.SUBREAPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit statuses and command-line handling, checked from the outside as a user would. */
class CommandLineTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;

    private int exit(String... args) throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, args)) {
            int code = j.waitFor(T);
            assertNoStackTrace(j.stderrText());
            return code;
        }
    }

    static void assertNoStackTrace(String stderr) {
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception in thread"), "stack trace on stderr:\n" + stderr);
    }

    /** jinit {@code args} exits 2 with two lines on stderr: the reason, then the usage line. */
    static void assertUsageError(Path dir, Duration timeout, String... args) throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, args)) {
            assertEquals(2, j.waitFor(timeout), j.stderrText());
            String[] lines = j.stderrText().split("\n");
            assertEquals(2, lines.length, "one reason and the usage line:\n" + j.stderrText());
            assertTrue(lines[0].startsWith("jinit: "), lines[0]);
            assertTrue(lines[1].startsWith("usage: jinit"), lines[1]);
        }
    }

    @Test void exitCodeOfTheChild() throws Exception {
        assertEquals(3, exit("--", "sh", "-c", "exit 3"));
        assertEquals(0, exit("true"));
    }

    @Test void signalDeathIs128PlusN() throws Exception {
        assertEquals(143, exit("sh", "-c", "kill -TERM $$"));
        assertEquals(137, exit("sh", "-c", "kill -KILL $$"));
    }

    @Test void notFoundIs127() throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "/no/such/program")) {
            assertEquals(127, j.waitFor(T));
            assertEquals("jinit: /no/such/program: not found\n", j.stderrText());
        }
        assertEquals(127, exit("no-such-program-in-path"));
    }

    @Test void notExecutableIs126() throws Exception {
        assertEquals(126, exit("/tmp"));
        Path script = dir.resolve("noexec.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, script.toString())) {
            assertEquals(126, j.waitFor(T));
            assertTrue(j.stderrText().contains("permission denied"), j.stderrText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x true", "--nope true", "-t", "-t=5s true", "--grace=5q true", "-t 1.2.3 true",
        "-t -1 true", "-r TERM true", "-r FOO:TERM true", "-r TERM:65 true", "-e 256 true", "-e -1 true", "-e 3x true",
        "-p NOPE true", "--version=1", "-v"})
    void usageErrorsExit2WithOneLine(String options) throws Exception {
        assertUsageError(dir, T, options.isEmpty() ? new String[0] : options.split(" "));
    }

    @Test void optionsStopAtTheProgram() throws Exception {
        // -c and -x belong to sh, not to jinit
        assertEquals(4, exit("sh", "-c", "exit 4", "-x"));
        assertEquals(6, exit("-s", "-g", "--", "sh", "-c", "exit 6"));
        assertEquals(7, exit("-t5s", "-w", "--", "sh", "-c", "exit 7"));
        assertEquals(127, exit("--", "--", "true"), "a second -- is the program's name");
    }

    /** dumb-init's -c (--single-child) is accepted: a user's dumb-init flags work as they are. */
    @Test void dumbInitsSingleChildFlag() throws Exception {
        assertEquals(4, exit("-c", "--", "sh", "-c", "exit 4"));
        assertEquals(5, exit("-c", "sh", "-c", "exit 5"), "the program's own -c stays the program's");
    }

    @Test void remapExit() throws Exception {
        assertEquals(0, exit("-e", "3", "-e", "143", "sh", "-c", "exit 3"));
        assertEquals(0, exit("-e", "143", "sh", "-c", "kill -TERM $$"));
        assertEquals(4, exit("-e", "3", "sh", "-c", "exit 4"));
    }

    @Test void versionAndHelp() throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "--version")) {
            assertEquals(0, j.waitFor(T));
            assertTrue(j.stdoutText().startsWith("jinit "), j.stdoutText());
        }
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "-h")) {
            assertEquals(0, j.waitFor(T));
            assertTrue(j.stdoutText().contains("--grace DURATION"), j.stdoutText());
        }
    }

    /** -v: the child's spawn and exit, relayed signals, the stop sequence; -vv: also each orphan reaped. As --help and the README say. */
    @Test void whatEachVerbosityLevelShows() throws Exception {
        String[] family = {"sh", "-c", "sh -c 'sleep 0.1 &'; kill -WINCH $PPID; sleep 0.5"};
        for (String level : new String[] {"-v", "-vv"}) {
            String[] args = new String[family.length + 2];
            args[0] = level;
            args[1] = "--";
            System.arraycopy(family, 0, args, 2, family.length);
            try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, args)) {
                assertEquals(0, j.waitFor(T), j.stderrText());
                String err = j.stderrText();
                assertTrue(err.contains("spawned sh as pid ") && err.contains("relayed WINCH to process group ")
                    && err.contains("main child ") && err.contains("exiting with 0"), level + ":\n" + err);
                assertEquals(level.equals("-vv"), err.contains("reaped orphan "), level + ":\n" + err);
            }
        }
    }

    @Test void quietByDefaultAndNothingOnStdout() throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "sh", "-c", "sleep 0.1 & exit 0")) {
            assertEquals(0, j.waitFor(T));
            assertEquals("", j.stderrText());
            assertEquals("", j.stdoutText());
        }
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "-v", "true")) {
            assertEquals(0, j.waitFor(T));
            assertTrue(j.stderrText().contains("spawned true"), j.stderrText());
            assertEquals("", j.stdoutText());
        }
    }
}
