package jinit.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The built launcher (init/target/jinit) run for real: as a plain child of the test (jinit
 * is then a subreaper) or as PID 1 of a fresh PID namespace (unshare --pid --fork
 * --mount-proc). The Java runtime under test is the test JVM's own.
 */
final class JinitProcess implements AutoCloseable {

    enum Mode { SUBREAPER, PID1 }

    static final Path LAUNCHER = Path.of(System.getProperty("jinit.launcher", "../init/target/jinit")).toAbsolutePath().normalize();
    static final String JAVA_HOME = System.getProperty("java.home");

    /**
     * A prefix that runs a command with an empty signal mask and default dispositions, as a
     * container runtime would.
     * The test JVM's threads block SIGQUIT and ProcessBuilder children inherit that mask;
     * jinit passes the mask it was started with on to its child, as tini does.
     */
    static final List<String> CLEAN_MASK = List.of(new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3", "-c",
        "import os, signal, sys\n"
        + "for s in (signal.SIGPIPE, signal.SIGXFSZ): signal.signal(s, signal.SIG_DFL)  # python ignores these\n"
        + "signal.pthread_sigmask(signal.SIG_SETMASK, [])\n"
        + "os.execvp(sys.argv[1], sys.argv[1:])");

    final Mode mode;
    final Process process;
    final Path stderr;
    final Path stdout;
    private int jinitPid;

    private JinitProcess(Mode mode, Process process, Path stdout, Path stderr) {
        this.mode = mode;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static void requireLauncher() {
        assertTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER + ": build with mvn verify (or package) first");
    }

    /** PID 1 tests need root for unshare; in CI (JINIT_REQUIRE_ROOT=true) a missing root fails. */
    static void requirePid1Support() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean unshare = new File("/usr/bin/unshare").canExecute();
        if ("true".equals(System.getenv("JINIT_REQUIRE_ROOT"))) {
            assertTrue(root && unshare, "JINIT_REQUIRE_ROOT=true but root=" + root + " unshare=" + unshare);
        }
        assumeTrue(root, "PID 1 tests need root for unshare --pid (skipped: not root)");
        assumeTrue(unshare, "PID 1 tests need /usr/bin/unshare (skipped: not installed)");
    }

    static JinitProcess start(Mode mode, Path dir, String... args) throws IOException {
        return start(mode, dir, Map.of(), args);
    }

    static JinitProcess start(Mode mode, Path dir, Map<String, String> env, String... args) throws IOException {
        return start(mode, dir, env, List.of(), args);
    }

    /**
     * As above, with {@code wrapper} (a command that ends by exec'ing its arguments, e.g.
     * setpriv or unshare --mount) run between unshare and the launcher, in the same process.
     */
    static JinitProcess start(Mode mode, Path dir, Map<String, String> env, List<String> wrapper, String... args) throws IOException {
        requireLauncher();
        if (mode == Mode.PID1) requirePid1Support();
        List<String> cmd = new ArrayList<>(CLEAN_MASK);
        if (mode == Mode.PID1) cmd.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        cmd.addAll(wrapper);
        cmd.add(LAUNCHER.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JINIT_JAVA_HOME", JAVA_HOME);
        pb.environment().put("T", dir.toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("jinit.stdout"), err = dir.resolve("jinit.stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new JinitProcess(mode, pb.start(), out, err);
    }

    /** jinit's pid as seen from here (in PID 1 mode: the child of unshare). */
    int pid() {
        if (jinitPid != 0) return jinitPid;
        if (mode == Mode.SUBREAPER) return jinitPid = (int) process.pid();
        waitUntil(Duration.ofSeconds(10), () -> childOf((int) process.pid()) > 0, "unshare's child");
        return jinitPid = childOf((int) process.pid());
    }

    static int childOf(int parent) {
        for (Proc p : Proc.all()) if (p.ppid == parent) return p.pid;
        return -1;
    }

    void signal(String sig) throws Exception {
        run("kill", "-" + sig, Integer.toString(pid()));
    }

    /** Waits for jinit to exit: its exit code (unshare passes it through). */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String err = stderrText();
            process.destroyForcibly();
            fail("jinit did not exit within " + timeout + "; stderr:\n" + err);
        }
        return process.exitValue();
    }

    String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    String stdoutText() {
        try {
            return Files.readString(stdout, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    // ---- helpers shared by the tests

    static void waitUntil(Duration timeout, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) fail("timed out after " + timeout + " waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static void waitForFile(Path file) {
        waitUntil(Duration.ofSeconds(20), () -> Files.exists(file), file.toString());
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(CLEAN_MASK);
        full.addAll(Arrays.asList(cmd));
        Process p = new ProcessBuilder(full).inheritIO().start();
        return p.waitFor();
    }

    /** Processes whose command line contains {@code marker}. */
    static List<Proc> withMarker(String marker) {
        List<Proc> out = new ArrayList<>();
        for (Proc p : Proc.all()) if (p.cmdline.contains(marker) && p.state != 'Z') out.add(p);
        return out;
    }

    /** Fails if a process whose command line contains {@code marker} is still there. */
    static void assertNoneLeft(String marker) {
        List<Proc> left = withMarker(marker);
        assertEquals(0, left.size(), "left behind: " + left);
    }

    /** SIGKILLs each of {@code procs}. */
    static void killAll(List<Proc> procs) throws IOException, InterruptedException {
        for (Proc p : procs) run("kill", "-9", Integer.toString(p.pid));
    }

    /** A process as /proc shows it. */
    static final class Proc {
        final int pid, ppid, pgid, sid, tpgid;
        final char state;
        final String cmdline;

        Proc(int pid, int ppid, int pgid, int sid, int tpgid, char state, String cmdline) {
            this.pid = pid;
            this.ppid = ppid;
            this.pgid = pgid;
            this.sid = sid;
            this.tpgid = tpgid;
            this.state = state;
            this.cmdline = cmdline;
        }

        static List<Proc> all() {
            List<Proc> out = new ArrayList<>();
            String[] names = new File("/proc").list();
            if (names == null) return out;
            for (String n : names) {
                if (!n.chars().allMatch(Character::isDigit)) continue;
                Proc p = read(Integer.parseInt(n));
                if (p != null) out.add(p);
            }
            return out;
        }

        static Proc read(int pid) {
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.ISO_8859_1).replace('\0', ' ');
                return new Proc(pid, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[5]), f[0].charAt(0), cmd);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return pid + "(" + state + ") " + cmdline;
        }
    }
}
