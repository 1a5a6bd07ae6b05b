package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static jinit.it.JinitProcess.Mode.SUBREAPER;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, item 11: hostile command lines. Each is run faithfully or rejected with exit 2 and
 * a one-line reason (plus the usage line); never a stack trace, never a hang.
 */
class HostileInputTest {
    static final Duration T = Duration.ofSeconds(60);
    /** Linux's longest single argument or environment string: MAX_ARG_STRLEN, 32 pages, with its NUL. */
    static final int MAX_ARG = 32 * 4096 - 1;

    @TempDir Path dir;

    private String runArgs(List<String> options, List<String> childArgs) throws Exception {
        Programs.install(dir, "args.py");
        List<String> all = new ArrayList<>(options);
        // python3 itself: a wrapper script (pyenv's shim) would spend seconds on 100 000 arguments
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        all.addAll(List.of("--", python, dir.resolve("args.py").toString()));
        all.addAll(childArgs);
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, all.toArray(new String[0]))) {
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("", j.stderrText());
        }
        return read(dir.resolve("args"));
    }

    private static String expected(List<String> args) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (String a : args) {
            d.update(a.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
        }
        return args.size() + " " + HexFormat.of().formatHex(d.digest());
    }

    @Test
    void aHundredThousandArguments() throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) args.add(i % 7 == 0 ? "" : Integer.toString(i % 100));
        assertEquals(expected(args), runArgs(List.of(), args));
    }

    @Test
    void aHundredThousandOptions() throws Exception {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) options.addAll(List.of("-w", "-e3"));
        assertEquals(expected(List.of("x")), runArgs(options, List.of("x")));
    }

    /**
     * The longest argument Linux passes (a single 1 MiB one is refused by execve with E2BIG
     * before any program, jinit included, could see it), and 1 MiB of them in all.
     */
    @Test
    void theLongestArgumentsTheKernelAllows() throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 8; i++) args.add(String.valueOf((char) ('a' + i)).repeat(MAX_ARG));
        assertEquals(expected(args), runArgs(List.of(), args));
    }

    @Test
    void emptyArgumentsAndDashes() throws Exception {
        assertEquals(expected(List.of("", "--", "", "-x", "--")), runArgs(List.of(), List.of("", "--", "", "-x", "--")));
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "")) {
            assertEquals(127, j.waitFor(T));
            assertEquals("jinit: : not found\n", j.stderrText());
        }
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "--", "--", "true")) {
            assertEquals(127, j.waitFor(T), "a second -- is the program's name");
            assertEquals("jinit: --: not found\n", j.stderrText());
        }
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "-t", "1s", "--", "-t", "1s")) {
            assertEquals(127, j.waitFor(T), "after --, -t is the program");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--", "-t 5sx true", "-t 5\u00a0s true", "--grace=5s5 true", "-t 1e3 true", "-t 0x10 true",
        "-t -5s true", "-t 99999999999999999999 true", "-t 999999999h true", "-t 0.0000000001 true", "--grace= true",
        "-e 3x true", "-e 99999999999999999999 true", "-e -0 true", "-e 2147483648 true",
        "-r TERM:KILLx true", "-r TERM: true", "-r :TERM true", "-r TERM:TERM:TERM true", "-r 65:TERM true",
        "-r RTMIN+31:TERM true", "-r RTMAX-31:TERM true", "-r SIG:TERM true", "-r SIGSIGTERM:TERM true",
        "-p TERMx true", "-p SIGTERMINATE true", "-p 0 true", "-p 65 true", "-p -1 true", "-p 99999999999999999999 true",
        "--child-pdeathsig true", "--child-pdeathsig FOO true", "--child-pdeathsig 32 true", "--child-pdeathsig= true",
        "--grace", "--nope=1 true", "-tx true", "-vvvq true", "--=x true"})
    void garbageIsRejectedWithOneLine(String options) throws Exception {
        CommandLineTest.assertUsageError(dir, T, options.split(" "));
    }

    @Test
    void aHugeGarbageValueGetsOneLineToo() throws Exception {
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "-t", "5" + "x".repeat(MAX_ARG - 1), "true")) {
            assertEquals(2, j.waitFor(T));
            assertEquals(2, j.stderrText().split("\n").length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JINIT_GRACE=5sx", "JINIT_GRACE=", "JINIT_VERBOSITY=99999999999", "JINIT_VERBOSITY=-1",
        "TINI_VERBOSITY=abc"})
    void garbageInTheEnvironmentIsRejectedWithOneLine(String variable) throws Exception {
        String[] kv = variable.split("=", 2);
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, Map.of(kv[0], kv[1]), "true")) {
            assertEquals(2, j.waitFor(T), j.stderrText());
            assertEquals(2, j.stderrText().split("\n").length, j.stderrText());
        }
    }

    /** Signal names in any case, with or without SIG, numbers and real-time offsets: all taken. */
    @Test
    void signalNamesInAnyForm() throws Exception {
        Programs.install(dir, "trap.py");
        try (JinitProcess j = JinitProcess.start(SUBREAPER, dir, "-r", "sigwinch:rtmin+1", "--rewrite=SigUsr1:sigrtmax-1",
                "-r", "1:RTMIN+16", "-r", "Urg:RTMAX", "--child-pdeathsig", "SigKill", "-p", "term",
                "--", "python3", dir.resolve("trap.py").toString())) {
            waitForFile(dir.resolve("ready"));
            String[][] sent = {{"WINCH", "35"}, {"USR1", "63"}, {"HUP", "50"}, {"URG", "64"}};
            for (String[] s : sent) {
                j.signal(s[0]);
                waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains(s[1] + "\n"), s[0] + " as " + s[1]);
            }
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
    }
}
