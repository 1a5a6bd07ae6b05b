package jinit.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static jinit.it.JinitProcess.LAUNCHER;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static jinit.it.JinitProcess.withMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, items 3 to 6: signals at the worst moment, pid exhaustion, no leaks over time,
 * broken stdio. Each test reproduces the fault for real.
 */
class FaultsTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;
    final String mark = "jinit-fault-" + UUID.randomUUID();

    @AfterEach
    void killLeftovers() throws Exception {
        JinitProcess.killAll(withMarker(mark));
    }

    // ---- 3. signals at the worst moment

    /**
     * A TERM that arrives while the launcher (sh) is still running, before the JVM has blocked
     * anything: as PID 1 the kernel drops a signal whose disposition is the default, so unless
     * the launcher catches it, jinit never learns of it and runs forever. (The first lines of
     * the script, before its traps are set, and env's own start remain a window of about a
     * millisecond that no shell script can close: the TERM is sent once TERM is caught.)
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aTermSentWhileTheLauncherStartsIsNotLost(JinitProcess.Mode mode) throws Exception {
        int inLauncher = 0, lostInExecWindow = 0;
        for (int i = 0; i < 6; i++) {
            try (JinitProcess j = JinitProcess.start(mode, dir, "--", "sleep", "60")) {
                int pid = launcherPid(j);
                long end = System.nanoTime() + 5_000_000_000L;
                while (comm(pid).equals("jinit") && (Harsh.signalsCaught(pid) & (1L << 14)) == 0 && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                if (!comm(pid).equals("jinit")) awaitJvm(pid); // missed the launcher: not into env's own start either
                ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM, at once
                boolean launcherRan = comm(pid).equals("jinit");
                // The one window jinit cannot close (see the README's Guarantees): as PID 1, a TERM
                // that lands between the launcher's exec of env and env's sigprocmask is dropped
                // by the kernel. A second TERM then shows that nothing else went wrong.
                if (!j.process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && mode == JinitProcess.Mode.PID1) {
                    lostInExecWindow++;
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                } else if (launcherRan) {
                    inLauncher++;
                }
                assertEquals(143, j.waitFor(Duration.ofSeconds(20)), "TERM at once after exec, attempt " + i + ": " + j.stderrText());
            }
        }
        assertTrue(inLauncher > 0, "no TERM reached the launcher while it ran and was relayed (lost in the exec window: "
            + lostInExecWindow + "): the test did not test what it should");
    }

    /**
     * A TERM while the JVM starts, spawns or just spawned (from the JVM's exec on, with the
     * signals that env blocked) is relayed once the loop runs.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aTermDuringStartUpAndSpawnIsHandled(JinitProcess.Mode mode) throws Exception {
        for (long delayMs : new long[] {0, 20, 60, 120, 250}) {
            try (JinitProcess j = JinitProcess.start(mode, dir, "--", "sleep", "60")) {
                int pid = launcherPid(j);
                awaitJvm(pid);
                if (delayMs > 0) Thread.sleep(delayMs);
                ProcessHandle.of(pid).orElseThrow().destroy();
                assertEquals(143, j.waitFor(Duration.ofSeconds(20)), "TERM " + delayMs + " ms into the JVM: " + j.stderrText());
            }
        }
    }

    /** A stop signal during the grace period is relayed too: the child's INT handler ends it. */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aSecondStopSignalDuringTheGracePeriodIsRelayed(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "two-stop-signals.py");
        try (JinitProcess j = JinitProcess.start(mode, dir, "-t", "60s", "--", "python3", dir.resolve("two-stop-signals.py").toString(), mark)) {
            waitForFile(dir.resolve("ready"));
            j.signal("TERM");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains("15\n"), "TERM at the child");
            long start = System.nanoTime();
            j.signal("INT");
            assertEquals(0, j.waitFor(Duration.ofSeconds(20)), j.stderrText());
            assertEquals("15\n2\n", read(dir.resolve("got")));
            assertTrue(System.nanoTime() - start < 15_000_000_000L, "exited at the INT, not at the deadline");
        }
    }

    /** After the main child exited, a signal jinit receives still reaches what is left. */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aSignalAfterTheMainChildExitedReachesTheLeftovers(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "leftover.py");
        try (JinitProcess j = JinitProcess.start(mode, dir, "-v", "-t", "60s", "--", "python3", dir.resolve("leftover.py").toString(), mark)) {
            waitForFile(dir.resolve("ready"));
            waitUntil(T, () -> j.stderrText().contains("main child gone"), "the main child's exit");
            j.signal("USR1");
            waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("usr1")).contains("USR1"), "USR1 at the leftover");
            JinitProcess.killAll(children(j));
            assertEquals(3, j.waitFor(T), j.stderrText());
        }
    }

    /**
     * A main child stopped with SIGSTOP is not taken for exited (waitpid without WUNTRACED),
     * and a TERM still gets handled: jinit sends CONT after it, as systemd does.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aStoppedMainChildIsNotTakenForExitedAndStillHandlesTerm(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "stopme.py");
        try (JinitProcess j = JinitProcess.start(mode, dir, "-t", "60s", "--", "python3", dir.resolve("stopme.py").toString(), mark)) {
            waitForFile(dir.resolve("ready"));
            JinitProcess.Proc child = children(j).get(0);
            JinitProcess.run("kill", "-STOP", Integer.toString(child.pid));
            waitUntil(Duration.ofSeconds(5), () -> JinitProcess.Proc.read(child.pid).state == 'T', "the child stopped");
            Thread.sleep(1000);
            assertTrue(j.process.isAlive(), "jinit exited while its child was only stopped: " + j.stderrText());
            long start = System.nanoTime();
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("TERM", read(dir.resolve("term")), "the stopped child handled TERM");
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "handled at once, not at the 60 s deadline");
        }
    }

    // ---- 4. pid exhaustion

    /**
     * Under a pids.max limit, with a fork bomb below it: jinit keeps reaping (the bomb keeps
     * getting pids back), keeps relaying, stops everything at the deadline, and creates no
     * thread after start-up (it would need a pid it cannot get).
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aForkBombUnderAPidsLimitDoesNotStopJinit(JinitProcess.Mode mode) throws Exception {
        if (mode == JinitProcess.Mode.PID1) JinitProcess.requirePid1Support();
        Programs.install(dir, "bomb.py");
        try (Harsh.PidsCgroup cg = Harsh.PidsCgroup.create(80);
             JinitProcess j = JinitProcess.start(mode, dir, Map.of(), cg.enter(), "-t", "2s", "--", "python3", dir.resolve("bomb.py").toString(), mark)) {
            waitForFile(dir.resolve("ready"));
            int jinit = j.pid();
            int threads = Harsh.threads(jinit);
            waitUntil(T, () -> bomb()[1] > 100, "the fork bomb hitting pids.max");
            long[] before = bomb();
            Thread.sleep(1500);
            long[] after = bomb();
            assertTrue(after[0] > before[0], "orphans are still reaped, so the bomb still gets pids: " + before[0] + " -> " + after[0]);
            assertTrue(after[1] > before[1], "the limit is still being hit: " + before[1] + " -> " + after[1]);
            for (int i = 1; i <= 3; i++) {
                j.signal("USR1");
                int n = i;
                waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("usr1")).length() >= 2 * n, "USR1 #" + n + " relayed under pid exhaustion");
            }
            assertEquals(threads, Harsh.threads(jinit), "jinit created threads after start-up");
            long start = System.nanoTime();
            j.signal("TERM");
            assertEquals(0, j.waitFor(T), j.stderrText());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 2000 + 4000, "stopped " + ms + " ms after TERM with a 2 s grace period");
            assertEquals("TERM", read(dir.resolve("main-term")));
            waitUntil(Duration.ofSeconds(5), () -> {
                try {
                    return cg.current() == 0;
                } catch (Exception e) {
                    return false;
                }
            }, "nothing left in the cgroup");
            CommandLineTest.assertNoStackTrace(j.stderrText());
        }
    }

    private long[] bomb() {
        String s = read(dir.resolve("bomb")).trim();
        if (s.isEmpty()) return new long[] {0, 0};
        String[] f = s.split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    /**
     * When the main child cannot be spawned for lack of pids, jinit says so in one line and
     * exits 1; with one pid fewer or more it either starts normally or fails just as cleanly.
     * Never a stack trace, never jinit running on without its child.
     */
    @Test
    void whenTheMainChildCannotBeSpawnedJinitSaysSoAndExits1() throws Exception {
        Path n = dir.resolve("n");
        // how many tasks jinit has while its child runs: its threads and the child
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, "--", "sh", "-c", "ls /proc/$PPID/task | wc -l > \"$T/n\"")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
        int threads = Integer.parseInt(read(n).trim());
        List<String> outcomes = new ArrayList<>();
        boolean sawEagain = false;
        // below threads - 1 the JVM's own threads do not fit: it fails before jinit's code runs
        for (int max = threads - 1; max <= threads + 1; max++) {
            try (Harsh.PidsCgroup cg = Harsh.PidsCgroup.create(max);
                 JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of(), cg.enter(), "--", "true")) {
                int code = j.waitFor(T);
                String err = j.stderrText();
                outcomes.add("pids.max=" + max + ": exit " + code + ": " + err.trim());
                CommandLineTest.assertNoStackTrace(err);
                if (code == 0) {
                    assertEquals("", err, "pids.max=" + max);
                    continue;
                }
                assertEquals(1, code, "pids.max=" + max + ": " + err);
                // fewer pids than the JVM's own threads: the JVM says so itself, before jinit runs
                if (err.contains("Error occurred during initialization of VM")) continue;
                String[] lines = err.split("\n");
                assertEquals(1, lines.length, "one line, pids.max=" + max + ":\n" + err);
                assertTrue(lines[0].startsWith("jinit: ") && !lines[0].contains("internal error"), "pids.max=" + max + ": " + err);
                if (lines[0].contains("cannot start true: resource temporarily unavailable")) sawEagain = true;
            }
        }
        assertTrue(sawEagain, "no run failed to spawn the child for lack of pids:\n" + String.join("\n", outcomes));
        assertTrue(outcomes.get(outcomes.size() - 1).contains("exit 0"), String.join("\n", outcomes));
    }

    // ---- 5. no leaks over time (the long soak is tests/soak/run.sh)

    /** The soak helper, shared with tests/soak/run.sh: see its header. */
    static Path soakHelper(Path dir) throws Exception {
        Path src = Path.of(System.getProperty("basedir", "."), "soak", "soak.c");
        return Harsh.compile(dir, "soak", src);
    }

    /**
     * 20 000 orphans reaped and 5 000 signals relayed leave jinit with the threads and file
     * descriptors it had before (heap and RSS are reported by tests/soak/run.sh).
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void manyOrphansAndSignalsLeaveThreadsAndDescriptorsFlat(JinitProcess.Mode mode) throws Exception {
        Path soak = soakHelper(dir);
        try (JinitProcess j = JinitProcess.start(mode, dir, "--", soak.toString(), dir.toString(), "20000", "5000")) {
            waitForFile(dir.resolve("ready"));
            int jinit = j.pid();
            Thread.sleep(300);
            int threads = Harsh.threads(jinit), fds = Harsh.fds(jinit);
            long rss = Harsh.status(jinit, "VmRSS");
            Files.writeString(dir.resolve("go1"), "");
            waitUntil(Duration.ofSeconds(120), () -> Files.exists(dir.resolve("done1")), "the soak helper");
            String done = read(dir.resolve("done1"));
            assertTrue(done.startsWith("orphans=20000 signals=5000 lost=0 "), done);
            assertEquals(threads, Harsh.threads(jinit), "threads before and after");
            assertEquals(fds, Harsh.fds(jinit), "descriptors before and after");
            System.out.println(mode + ": jinit RSS " + rss + " kB before, " + Harsh.status(jinit, "VmRSS") + " kB after; "
                + threads + " threads, " + fds + " fds");
            Files.writeString(dir.resolve("end"), "");
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("", j.stderrText());
        }
    }

    // ---- 6. broken stdio

    /** Runs jinit from sh with the given redirections; the child writes its descriptors 0-2. */
    private String childStdFds(String redirections) throws Exception {
        String child = "import os; s = ' '.join('%d=%s' % (fd, os.readlink('/proc/self/fd/%d' % fd)) for fd in range(3) "
            + "if os.path.lexists('/proc/self/fd/%d' % fd)); open(os.environ['T'] + '/fds', 'w').write(s)";
        // python3 itself, not a wrapper script whose shell would leave its own descriptor behind
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        ProcessBuilder pb = new ProcessBuilder(PassThroughTest.withCleanMask("sh", "-c",
            "exec \"$J\" -- " + python + " -c \"$CHILD\" " + redirections)).directory(dir.toFile());
        pb.environment().put("J", LAUNCHER.toString());
        pb.environment().put("T", dir.toString());
        pb.environment().put("CHILD", child);
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.redirectInput(dir.resolve("in").toFile()).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Files.writeString(dir.resolve("in"), "");
        Files.deleteIfExists(dir.resolve("fds"));
        Process p = pb.start();
        assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "timed out");
        assertEquals(0, p.exitValue(), read(dir.resolve("err")));
        return read(dir.resolve("fds"));
    }

    /**
     * Started with stdin, stdout or stderr closed, jinit gives its child the same closed
     * descriptor, not one the JVM opened in its place (the JDK's modules file, say).
     */
    @Test
    void aClosedStandardDescriptorStaysClosedInTheChild() throws Exception {
        String in = dir.resolve("in").toString(), out = dir.resolve("out").toString(), err = dir.resolve("err").toString();
        assertEquals("0=" + in + " 1=" + out + " 2=" + err, childStdFds(""));
        assertEquals("1=" + out + " 2=" + err, childStdFds("0<&-"));
        assertEquals("0=" + in + " 2=" + err, childStdFds(">&-"));
        assertEquals("0=" + in + " 1=" + out, childStdFds("2>&-"));
        assertEquals("", childStdFds("0<&- >&- 2>&-"));
    }

    /**
     * With -vvv and a stderr pipe that nobody reads (full after 64 KiB), jinit keeps working
     * and exits with its child: logging may be lost, but the init may not block.
     */
    @Test
    void aFullStderrPipeDoesNotBlockJinit() throws Exception {
        Process p = chatty(1500);
        try (InputStream stderr = p.getErrorStream()) { // open, never read
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "jinit blocked on its full stderr pipe");
            assertEquals(7, p.exitValue());
            assertTrue(stderr.available() >= 60_000, "the pipe was really full: " + stderr.available());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** With -vvv and a stderr pipe whose reader is gone (EPIPE, SIGPIPE), jinit works on. */
    @Test
    void aStderrPipeWithoutReaderDoesNotKillJinit() throws Exception {
        Process p = chatty(300);
        try {
            p.getErrorStream().close(); // the reader is gone
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "jinit hung");
            assertEquals(7, p.exitValue());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    // ---- helpers

    /** jinit -vvv (as much as -vv) with chatty.py making {@code orphans} orphans; stderr is a pipe to this test. */
    private Process chatty(int orphans) throws Exception {
        Programs.install(dir, "chatty.py");
        ProcessBuilder pb = new ProcessBuilder(PassThroughTest.withCleanMask(LAUNCHER.toString(), "-vvv", "--", "python3",
            dir.resolve("chatty.py").toString(), Integer.toString(orphans))).directory(dir.toFile());
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /**
     * The pid of the process that runs the launcher: the test's child (subreaper) or unshare's
     * child (PID 1), found as fast as possible and returned as soon as it runs the launcher.
     */
    private static int launcherPid(JinitProcess j) {
        int pid = (int) j.process.pid();
        long end = System.nanoTime() + 20_000_000_000L;
        if (j.mode == JinitProcess.Mode.PID1) {
            int unshare = pid;
            pid = -1;
            while (pid < 0 && System.nanoTime() < end) {
                String kids = read(Path.of("/proc/" + unshare + "/task/" + unshare + "/children")).trim();
                if (!kids.isEmpty()) pid = Integer.parseInt(kids.split(" ")[0]);
            }
        }
        // a script's comm is its file name: "jinit" while the launcher's sh runs it
        while (!comm(pid).equals("jinit") && !cmdline(pid).contains("jinit.Main") && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return pid;
    }

    /** jinit's children that are not zombies. */
    static List<JinitProcess.Proc> children(JinitProcess j) {
        List<JinitProcess.Proc> out = new ArrayList<>();
        for (JinitProcess.Proc p : Harsh.childrenOf(j.pid())) if (p.state != 'Z') out.add(p);
        return out;
    }

    /** Waits until {@code pid} runs the JVM (env has blocked the signals and exec'd it). */
    private static void awaitJvm(int pid) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!comm(pid).equals("java") && System.nanoTime() < end) Thread.onSpinWait();
    }

    private static String comm(int pid) {
        return read(Path.of("/proc/" + pid + "/comm")).trim();
    }

    private static String cmdline(int pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.ISO_8859_1).replace('\0', ' ');
        } catch (Exception e) {
            return "";
        }
    }
}
