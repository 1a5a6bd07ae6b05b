package jinit.it;

import jinit.ExitStatus;
import jinit.Signals;
import jinit.sys.Backend;
import jinit.sys.Bytes;
import jinit.sys.Native;
import jinit.sys.SpawnRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of {@link Native} (see its javadoc), checked against the backend that
 * {@link Backend#create()} gives this JVM: jnr on JDK 17-21, FFM on JDK 22+ (the multi-release
 * jar). On JDK 22+ the jnr backend, chosen with -Djinit.native=jnr, is checked as well.
 *
 * <p>Every child spawned here is reaped here: reapAny is waitpid(-1), so it would also take
 * the children of anything else running in this JVM.
 */
class NativeContractTest {
    private static final int EINVAL = 22, EBADF = 9, ENOTTY = 25;
    private static final long REAP_TIMEOUT_NANOS = 10_000_000_000L;

    /** "default" is what Backend.create() picks; "jnr" is selectable on JDK 22+ only. */
    static Stream<String> backends() {
        return NativeBackends.names();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void backendIsTheOneForThisRuntime(String which) {
        String expected = which.equals("jnr") || Runtime.version().feature() < 22 ? "jnr" : "ffm";
        assertEquals(expected, NativeBackends.get(which).name());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void identity(String which) throws IOException {
        Native sys = NativeBackends.get(which);
        ProcessHandle self = ProcessHandle.current();
        assertEquals(self.pid(), sys.getpid());
        assertEquals(self.parent().orElseThrow().pid(), sys.getppid());
        assertEquals(Long.parseLong(statusField("/proc/self/status", "Uid:").split("\\s+")[0]), sys.getuid());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void spawnPassesArgumentsAndEnvironmentByteForByteAndReapsTheExitCode(String which, @TempDir Path dir) throws IOException {
        Native sys = NativeBackends.get(which);
        byte[][] argv = {
            b("sh"),
            b("-c"),
            b("cat /proc/$$/cmdline > \"$OUT/cmdline\"; cat /proc/$$/environ > \"$OUT/environ\"; exit 7"),
            b("sh"),
            {'a', (byte) 0xff, (byte) 0xfe, ' ', (byte) 0x80, 'z'},
        };
        byte[][] envp = {
            b("PATH=/usr/bin:/bin"),
            b("OUT=" + dir),
            {'W', 'E', 'I', 'R', 'D', '=', (byte) 0xff, '=', (byte) 0xc3, (byte) 0x28, (byte) 0x9f},
        };
        int pid = sys.spawn(request(b("/bin/sh"), argv, envp));
        assertTrue(pid > 0, "spawn: " + pid);
        int status = reap(sys, pid);
        assertEquals(0, status & 0x7f, "exited normally");
        assertEquals(7, ExitStatus.of(status));
        assertArrayEquals(nulTerminated(argv), Files.readAllBytes(dir.resolve("cmdline")));
        assertArrayEquals(nulTerminated(envp), Files.readAllBytes(dir.resolve("environ")));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void spawnSearchesPathAndReportsWhyItFailed(String which, @TempDir Path dir) {
        Native sys = NativeBackends.get(which);
        byte[][] env = {b("PATH=/usr/bin:/bin")};
        int pid = sys.spawn(request(b("true"), new byte[][] {b("true")}, env));
        assertTrue(pid > 0, "spawn of true from PATH: " + pid);
        assertEquals(0, ExitStatus.of(reap(sys, pid)));

        assertEquals(-Native.ENOENT, sys.spawn(request(b(dir + "/missing"), new byte[][] {b("missing")}, env)));
        assertEquals(-Native.ENOENT, sys.spawn(request(b("jinit-no-such-program-" + sys.getpid()), new byte[][] {b("x")}, env)));
        assertEquals(-Native.EACCES, sys.spawn(request(b(dir.toString()), new byte[][] {b("dir")}, env)));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void killedChildAndKillErrors(String which) {
        Native sys = NativeBackends.get(which);
        int pid = spawnSleep(sys, 0, false, new int[0]);
        boolean reaped = false;
        try {
            assertEquals(0, sys.reapAny(), "a running child: nothing to reap yet");
            assertEquals(0, sys.kill(pid, 0));
            assertEquals(0, sys.kill(pid, Signals.KILL));
            int status = reap(sys, pid);
            reaped = true;
            assertEquals(Signals.KILL, status & 0x7f, "killed by signal 9");
            assertEquals(137, ExitStatus.of(status));
            assertEquals(-Native.ESRCH, sys.kill(pid, 0), "kill of a reaped child");
            assertEquals(-EINVAL, sys.kill(sys.getpid(), 65), "kill with an invalid signal");
        } finally {
            if (!reaped) killAndReap(sys, pid);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reapAnyWithoutChildrenIsEchild(String which) {
        Native sys = NativeBackends.get(which);
        assertEquals(-Native.ECHILD, sys.reapAny(),
            () -> "this JVM should have no children, has " + Arrays.toString(ProcessHandle.current().children().mapToLong(ProcessHandle::pid).toArray()));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void ownGroupMakesTheChildAProcessGroupLeader(String which) throws IOException {
        Native sys = NativeBackends.get(which);
        int ownPgid = Integer.parseInt(statFields("/proc/self/stat")[2]);
        int pid = spawnSleep(sys, 0, true, new int[0]);
        try {
            assertEquals(pid, Integer.parseInt(statFields("/proc/" + pid + "/stat")[2]), "pgid of a child with ownGroup");
            assertEquals(pid, sys.getpgid(pid), "getpgid of a child with ownGroup");
        } finally {
            killAndReap(sys, pid);
        }
        assertEquals(-Native.ESRCH, sys.getpgid(pid), "getpgid of a reaped child");
        assertEquals(ownPgid, sys.getpgid(sys.getpid()), "getpgid of this process");
        pid = spawnSleep(sys, 0, false, new int[0]);
        try {
            assertEquals(ownPgid, Integer.parseInt(statFields("/proc/" + pid + "/stat")[2]), "pgid of a child without ownGroup");
            assertEquals(ownPgid, sys.getpgid(pid), "getpgid of a child without ownGroup");
        } finally {
            killAndReap(sys, pid);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void childInheritsExactlyTheKeptDescriptors(String which, @TempDir Path dir) throws IOException {
        Native sys = NativeBackends.get(which);
        Path pa = dir.resolve("a"), pb = dir.resolve("b");
        Files.write(pa, b("a"));
        Files.write(pb, b("b"));
        try (FileInputStream a = new FileInputStream(pa.toFile()); FileInputStream b = new FileInputStream(pb.toFile())) {
            int fa = fdOf(pa), fb = fdOf(pb);
            int lo = Math.min(fa, fb), hi = Math.max(fa, fb);
            // without these, descriptors that exec closes anyway would make the test pass vacuously
            assertFalse(isCloseOnExec(fa) || isCloseOnExec(fb), "the test needs descriptors without FD_CLOEXEC");
            assertEquals(List.of(0, 1, 2), childFds(sys, new int[0]));
            assertEquals(List.of(0, 1, 2, lo), childFds(sys, new int[] {lo}));
            assertEquals(List.of(0, 1, 2, hi), childFds(sys, new int[] {hi}));
            assertEquals(List.of(0, 1, 2, lo, hi), childFds(sys, new int[] {lo, hi}));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void requestSigmaskIsTheChildsSignalMask(String which) throws IOException {
        Native sys = NativeBackends.get(which);
        for (long mask : new long[] {0, Signals.bit(Signals.USR1) | Signals.bit(Signals.TERM) | Signals.bit(50), Signals.RELAYED}) {
            int pid = spawnSleep(sys, mask, true, new int[0]);
            try {
                assertEquals(mask, Long.parseUnsignedLong(statusField("/proc/" + pid + "/status", "SigBlk:"), 16),
                    "SigBlk for mask " + Long.toHexString(mask));
            } finally {
                killAndReap(sys, pid);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void environmentIsThisProcesssEnvironment(String which) throws IOException {
        Native sys = NativeBackends.get(which);
        byte[][] env = sys.environment();
        byte[] path = null;
        for (byte[] e : env) if (Bytes.hasName(e, "PATH")) path = e;
        assertTrue(path != null, "PATH in environment()");
        assertArrayEquals(b("PATH=" + System.getenv("PATH")), path);
        // exec's environment, as the kernel keeps it: nothing in this JVM changes environ
        List<byte[]> proc = Bytes.splitNul(Bytes.readFile("/proc/self/environ"));
        assertEquals(proc.size(), env.length);
        for (int i = 0; i < env.length; i++) assertArrayEquals(proc.get(i), env[i], "entry " + i);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void blockSignalsChangesOnlyTheCallingThread(String which) throws Exception {
        Native sys = NativeBackends.get(which);
        long mask = Signals.bit(Signals.WINCH) | Signals.bit(51) | Signals.bit(52);
        long here = sys.blockedSignals();
        AtomicReference<long[]> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            long before = sys.blockedSignals();
            int rc = sys.blockSignals(mask);
            seen.set(new long[] {before, rc, sys.blockedSignals()});
        });
        t.start();
        t.join(10_000);
        long[] r = seen.get();
        assertTrue(r != null, "the thread ran");
        assertEquals(0, r[0] & mask, "fresh thread: none of the test signals blocked yet");
        assertEquals(0, r[1], "blockSignals");
        assertEquals(r[0] | mask, r[2], "blocked after blockSignals");
        assertEquals(here, sys.blockedSignals(), "the calling thread's mask is unchanged");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void waitSignalTimesOut(String which) throws Exception {
        Native sys = NativeBackends.get(which);
        AtomicReference<long[]> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            long set = Signals.bit(53);
            sys.blockSignals(set);
            long start = System.nanoTime();
            int sig = sys.waitSignal(set, 1_300_000_000L);
            seen.set(new long[] {sig, System.nanoTime() - start});
        });
        t.start();
        t.join(20_000);
        long[] r = seen.get();
        assertTrue(r != null, "waitSignal returned");
        assertEquals(0, r[0], "no signal: 0 at the timeout");
        // seconds and nanoseconds both count: 1.3 s, not 1 s or 0.3 s
        assertTrue(r[1] >= 1_250_000_000L && r[1] < 5_000_000_000L, "waited " + r[1] / 1_000_000 + " ms for a 1300 ms timeout");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void errorsOfTheOtherCalls(String which, @TempDir Path dir) throws IOException {
        Native sys = NativeBackends.get(which);
        assertEquals(-EINVAL, sys.setParentDeathSignal(65), "prctl(PR_SET_PDEATHSIG, 65)");
        assertEquals(0, sys.setParentDeathSignal(0), "prctl(PR_SET_PDEATHSIG, 0)");
        assertEquals(-EINVAL, sys.ignoreSignal(Signals.KILL), "SIG_IGN for KILL");
        assertFalse(sys.isatty(-1));
        assertEquals(-EBADF, sys.tcgetpgrp(-1));
        Path file = dir.resolve("file");
        Files.write(file, b("x"));
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            int fd = fdOf(file);
            assertFalse(sys.isatty(fd));
            assertEquals(-ENOTTY, sys.tcgetpgrp(fd), "tcgetpgrp of a regular file");
        }
        byte[] missing = b(dir + "/no-such-program");
        assertEquals(-Native.ENOENT, sys.execve(missing, new byte[][] {missing}, new byte[][] {b("A=1")}));
    }

    // ---- helpers

    private static SpawnRequest request(byte[] program, byte[][] argv, byte[][] envp) {
        return new SpawnRequest(program, argv, envp, 0, Signals.ALL, false, -1, new int[0]);
    }

    /** A /bin/sleep that runs until killed; posix_spawn returns after its exec. */
    private static int spawnSleep(Native sys, long sigmask, boolean ownGroup, int[] keepFds) {
        byte[][] argv = {b("/bin/sleep"), b("60")};
        int pid = sys.spawn(new SpawnRequest(argv[0], argv, new byte[][] {b("PATH=/usr/bin:/bin")}, sigmask,
            Signals.ALL, ownGroup, -1, keepFds));
        assertTrue(pid > 0, "spawn of /bin/sleep: " + pid);
        return pid;
    }

    /**
     * The descriptors of a spawned shell, read once it has forked a command: by then it has
     * started up (a dynamic loader briefly holds descriptors of its own) and it is waiting,
     * with no redirection in effect.
     */
    private static List<Integer> childFds(Native sys, int[] keep) {
        byte[][] argv = {b("sh"), b("-c"), b("sleep 60; exit 0")};
        byte[][] envp = {b("PATH=/usr/bin:/bin")};
        int pid = sys.spawn(new SpawnRequest(b("/bin/sh"), argv, envp, 0, Signals.ALL, true, -1, keep));
        assertTrue(pid > 0, "spawn of /bin/sh: " + pid);
        try {
            long deadline = System.nanoTime() + REAP_TIMEOUT_NANOS;
            while (ProcessHandle.of(pid).map(p -> p.children().findAny().isEmpty()).orElse(true)) {
                if (System.nanoTime() - deadline > 0) fail("the shell did not start sleep within 10 s");
                pause();
            }
            String[] names = new File("/proc/" + pid + "/fd").list();
            assertTrue(names != null, "/proc/" + pid + "/fd readable");
            TreeSet<Integer> fds = new TreeSet<>();
            for (String n : names) fds.add(Integer.parseInt(n));
            return new ArrayList<>(fds);
        } finally {
            sys.kill(-pid, Signals.KILL); // the shell and its sleep
            sys.kill(pid, Signals.KILL); // in case it is not in a group of its own
            reap(sys, pid);
        }
    }

    private static void killAndReap(Native sys, int pid) {
        sys.kill(pid, Signals.KILL);
        reap(sys, pid);
    }

    /** Polls reapAny until it returns {@code pid}: that child's wait status. */
    private static int reap(Native sys, int pid) {
        long deadline = System.nanoTime() + REAP_TIMEOUT_NANOS;
        for (;;) {
            long r = sys.reapAny();
            if (r > 0) {
                assertEquals(pid, (int) (r >>> 32), "reapAny took a child that this test did not spawn");
                return (int) r;
            }
            if (r < 0) fail("reapAny while waiting for " + pid + ": errno " + -r);
            if (System.nanoTime() - deadline > 0) fail("child " + pid + " not reaped within 10 s");
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** The descriptor of this process that is open on {@code file}. */
    private static int fdOf(Path file) throws IOException {
        String[] names = new File("/proc/self/fd").list();
        for (String n : names) {
            try {
                if (Files.readSymbolicLink(Path.of("/proc/self/fd", n)).equals(file)) return Integer.parseInt(n);
            } catch (IOException e) {
                // closed meanwhile (the directory listing's own descriptor)
            }
        }
        throw new IOException("no descriptor open on " + file);
    }

    private static boolean isCloseOnExec(int fd) throws IOException {
        String flags = statusField("/proc/self/fdinfo/" + fd, "flags:");
        return (Long.parseLong(flags, 8) & 02000000) != 0;
    }

    private static String statusField(String file, String name) throws IOException {
        for (String line : new String(Bytes.readFile(file), StandardCharsets.ISO_8859_1).split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).trim();
        }
        throw new IOException("no " + name + " in " + file);
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp. */
    private static String[] statFields(String file) throws IOException {
        String s = new String(Bytes.readFile(file), StandardCharsets.ISO_8859_1);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static byte[] nulTerminated(byte[][] strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] s : strings) {
            out.writeBytes(s);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
