package jinit.it;

import jinit.ExitStatus;
import jinit.Signals;
import jinit.sys.Bytes;
import jinit.sys.Native;
import jinit.sys.SpawnRequest;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of {@link Native} (see its javadoc) as plain checks, run by
 * {@code NativeContractTest} against the JVM's backends and by {@code NativeContractMain} inside
 * the native executable's image against its own: the same checks in every form. They use JUnit's
 * Assertions (plain static methods) and java.io, and read /proc for what the calls must agree
 * with.
 *
 * <p>Every child spawned here is reaped here, through the backend: reapAny is waitpid(-1), so
 * it would also take the children of anything else running in the process; nothing here starts
 * a process any other way.
 */
final class NativeContract {
    private NativeContract() {}

    /** One check: a name and what it does with a backend and an empty directory of its own. */
    interface Body {
        void run(Native sys, File dir) throws Exception;
    }

    record Check(String name, Body body) {}

    static final int EINVAL = 22, EBADF = 9, ENOTTY = 25;
    private static final long REAP_TIMEOUT_NANOS = 10_000_000_000L;

    /** The checks, for a backend that says its name is {@code name}. */
    static List<Check> checks(String name) {
        List<Check> c = new ArrayList<>();
        c.add(new Check("backendIsTheOneForThisForm", (sys, dir) -> backendIsTheOneForThisForm(sys, name)));
        c.add(new Check("identity", (sys, dir) -> identity(sys)));
        c.add(new Check("spawnPassesArgumentsAndEnvironmentByteForByteAndReapsTheExitCode", NativeContract::spawnPassesArgumentsAndEnvironment));
        c.add(new Check("spawnSearchesPathAndReportsWhyItFailed", NativeContract::spawnSearchesPathAndReportsWhyItFailed));
        c.add(new Check("killedChildAndKillErrors", (sys, dir) -> killedChildAndKillErrors(sys)));
        c.add(new Check("reapAnyWithoutChildrenIsEchild", (sys, dir) -> reapAnyWithoutChildrenIsEchild(sys)));
        c.add(new Check("ownGroupMakesTheChildAProcessGroupLeader", (sys, dir) -> ownGroupMakesTheChildAProcessGroupLeader(sys)));
        c.add(new Check("childInheritsExactlyTheKeptDescriptors", NativeContract::childInheritsExactlyTheKeptDescriptors));
        c.add(new Check("requestSigmaskIsTheChildsSignalMask", (sys, dir) -> requestSigmaskIsTheChildsSignalMask(sys)));
        c.add(new Check("ignoredSignalsAreSeenAndStayIgnoredInTheChild", (sys, dir) -> ignoredSignalsStayIgnored(sys)));
        c.add(new Check("environmentIsThisProcesssEnvironment", (sys, dir) -> environmentIsThisProcesssEnvironment(sys)));
        c.add(new Check("blockSignalsChangesOnlyTheCallingThread", (sys, dir) -> blockSignalsChangesOnlyTheCallingThread(sys)));
        c.add(new Check("waitSignalTimesOut", (sys, dir) -> waitSignalTimesOut(sys)));
        c.add(new Check("filesAreReadThroughTheBackend", NativeContract::filesAreReadThroughTheBackend));
        c.add(new Check("readIsRead2OnAnyDescriptor", NativeContract::readIsRead2OnAnyDescriptor));
        c.add(new Check("errorsOfTheOtherCalls", NativeContract::errorsOfTheOtherCalls));
        return c;
    }

    static void backendIsTheOneForThisForm(Native sys, String name) {
        assertEquals(name, sys.name());
        String runtime = sys.runtime();
        if (name.equals("native")) {
            assertTrue(runtime.startsWith("native executable, static "), "runtime(): " + runtime);
        } else {
            assertEquals(name + " backend, Java " + Runtime.version() + " at " + System.getProperty("java.home"), runtime);
        }
    }

    static void identity(Native sys) throws IOException {
        assertEquals(Integer.parseInt(new File("/proc/self").getCanonicalFile().getName()), sys.getpid());
        assertEquals(Integer.parseInt(statFields("/proc/self/stat")[1]), sys.getppid());
        assertEquals(Long.parseLong(statusField("/proc/self/status", "Uid:").split("\\s+")[0]), sys.getuid());
    }

    static void spawnPassesArgumentsAndEnvironment(Native sys, File dir) throws IOException {
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
        assertArrayEquals(nulTerminated(argv), read(new File(dir, "cmdline")));
        assertArrayEquals(nulTerminated(envp), read(new File(dir, "environ")));
    }

    static void spawnSearchesPathAndReportsWhyItFailed(Native sys, File dir) {
        byte[][] env = {b("PATH=/usr/bin:/bin")};
        int pid = sys.spawn(request(b("true"), new byte[][] {b("true")}, env));
        assertTrue(pid > 0, "spawn of true from PATH: " + pid);
        assertEquals(0, ExitStatus.of(reap(sys, pid)));

        assertEquals(-Native.ENOENT, sys.spawn(request(b(dir + "/missing"), new byte[][] {b("missing")}, env)));
        assertEquals(-Native.ENOENT, sys.spawn(request(b("jinit-no-such-program-" + sys.getpid()), new byte[][] {b("x")}, env)));
        assertEquals(-Native.EACCES, sys.spawn(request(b(dir.toString()), new byte[][] {b("dir")}, env)));
    }

    static void killedChildAndKillErrors(Native sys) {
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

    static void reapAnyWithoutChildrenIsEchild(Native sys) {
        assertEquals(-Native.ECHILD, sys.reapAny(), () -> "this process should have no children, has " + childrenOf(sys.getpid()));
    }

    static void ownGroupMakesTheChildAProcessGroupLeader(Native sys) throws IOException {
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

    /** Kept descriptors pass, every other one from 3 up is closed: closefrom, or where the C library lacks it, what stands in. */
    static void childInheritsExactlyTheKeptDescriptors(Native sys, File dir) throws IOException {
        File fa = new File(dir, "a"), fb = new File(dir, "b");
        write(fa, b("a"));
        write(fb, b("b"));
        int a = sys.open(b(fa.getPath()), Native.O_RDONLY), c = sys.open(b(fb.getPath()), Native.O_RDONLY);
        assertTrue(a > 2 && c > 2, "open: " + a + ", " + c);
        try {
            int lo = Math.min(a, c), hi = Math.max(a, c);
            // without these, descriptors that exec closes anyway would make the test pass vacuously
            assertEquals(0, sys.descriptorFlags(a) & Native.FD_CLOEXEC, "the test needs descriptors without FD_CLOEXEC");
            assertEquals(List.of(0, 1, 2), childFds(sys, new int[0]));
            assertEquals(List.of(0, 1, 2, lo), childFds(sys, new int[] {lo}));
            assertEquals(List.of(0, 1, 2, hi), childFds(sys, new int[] {hi}));
            assertEquals(List.of(0, 1, 2, lo, hi), childFds(sys, new int[] {lo, hi}));
        } finally {
            sys.close(a);
            sys.close(c);
        }
    }

    static void requestSigmaskIsTheChildsSignalMask(Native sys) throws IOException {
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

    /**
     * ignoreSignal sets SIG_IGN (process-wide: signal 51, which nothing here uses), ignoredSignals
     * sees it, and a child whose request leaves it out of sigdefault keeps it ignored.
     */
    static void ignoredSignalsStayIgnored(Native sys) throws IOException {
        // the C library keeps its own signals from sigaction (glibc 32-33, musl 32-34): never reported
        long own = Signals.bit(32) | Signals.bit(33) | Signals.bit(34);
        long ign = Long.parseUnsignedLong(statusField("/proc/self/status", "SigIgn:"), 16);
        assertEquals(ign & ~own, sys.ignoredSignals() & ~own, "ignoredSignals() is SigIgn of /proc/self/status");
        assertEquals(0, sys.ignoreSignal(51));
        assertTrue(Signals.in(sys.ignoredSignals(), 51), "51 ignored after ignoreSignal(51)");
        byte[][] argv = {b("/bin/sleep"), b("60")};
        int pid = sys.spawn(new SpawnRequest(argv[0], argv, new byte[][] {b("PATH=/usr/bin:/bin")}, 0,
            Signals.ALL & ~Signals.bit(51), true, -1, new int[0]));
        assertTrue(pid > 0, "spawn: " + pid);
        try {
            long childIgn = Long.parseUnsignedLong(statusField("/proc/" + pid + "/status", "SigIgn:"), 16);
            assertEquals(Signals.bit(51), childIgn, "SigIgn of a child with every signal but 51 reset");
        } finally {
            killAndReap(sys, pid);
        }
    }

    static void environmentIsThisProcesssEnvironment(Native sys) throws IOException {
        byte[][] env = sys.environment();
        boolean path = false;
        for (byte[] e : env) path |= Bytes.hasName(e, "PATH");
        assertTrue(path, "PATH in environment()");
        // exec's environment, as the kernel keeps it: nothing in this process changes environ
        List<byte[]> proc = Bytes.splitNul(read(new File("/proc/self/environ")));
        assertEquals(proc.size(), env.length);
        for (int i = 0; i < env.length; i++) assertArrayEquals(proc.get(i), env[i], "entry " + i);
    }

    static void blockSignalsChangesOnlyTheCallingThread(Native sys) throws Exception {
        long mask = Signals.bit(Signals.WINCH) | Signals.bit(52) | Signals.bit(53);
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

    static void waitSignalTimesOut(Native sys) throws Exception {
        AtomicReference<long[]> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            long set = Signals.bit(54);
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

    static void filesAreReadThroughTheBackend(Native sys, File dir) throws IOException {
        byte[] content = new byte[20_000]; // more than one read
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
        File f = new File(dir, "data");
        write(f, content);
        assertArrayEquals(content, sys.readFile(f.getPath()));
        byte[] head = new byte[5];
        assertEquals(5, sys.readFile(f.getPath(), head));
        assertArrayEquals(Arrays.copyOf(content, 5), head);
        byte[] room = new byte[30_000];
        assertEquals(content.length, sys.readFile(f.getPath(), room), "a file shorter than the buffer");
        assertArrayEquals(read(new File("/proc/self/cmdline")), sys.readFile("/proc/self/cmdline"));
        assertNull(sys.readFile(dir + "/missing"));
        assertEquals(-Native.ENOENT, sys.readFile(dir + "/missing", head));

        assertArrayEquals(b(Integer.toString(sys.getpid())), sys.readLink("/proc/self"));
        int open = sys.open(b(f.getPath()), Native.O_RDONLY | Native.O_CLOEXEC);
        assertTrue(open > 2, "open: " + open);
        try {
            assertArrayEquals(b(f.getPath()), sys.readLink("/proc/self/fd/" + open));
        } finally {
            sys.close(open);
        }
        assertNull(sys.readLink(f.getPath()), "not a link");

        write(new File(dir, "x y"), b(""));
        assertTrue(new File(dir, "sub").mkdir());
        TreeSet<String> names = new TreeSet<>(Arrays.asList(sys.listDirectory(dir.getPath())));
        assertEquals(new TreeSet<>(List.of("data", "x y", "sub")), names, "no . and ..");
        assertNull(sys.listDirectory(dir + "/missing"));
        assertNull(sys.listDirectory(f.getPath()), "not a directory");

        int fd = sys.open(b(f.getPath()), Native.O_RDONLY | Native.O_CLOEXEC);
        assertTrue(fd > 2, "open: " + fd);
        assertEquals(Native.FD_CLOEXEC, sys.descriptorFlags(fd) & Native.FD_CLOEXEC, "O_CLOEXEC");
        assertEquals(0, sys.close(fd));
        assertEquals(-EBADF, sys.descriptorFlags(fd), "a closed descriptor");
        assertEquals(-Native.ENOENT, sys.open(b(dir + "/missing"), Native.O_RDONLY));
    }

    /** read(2), not recv: it reads a file and a pipe as well as a socket. */
    static void readIsRead2OnAnyDescriptor(Native sys, File dir) throws IOException {
        File f = new File(dir, "r");
        write(f, b("hello"));
        int fd = sys.open(b(f.getPath()), Native.O_RDONLY | Native.O_CLOEXEC);
        try {
            byte[] got = new byte[10];
            assertEquals(3, sys.read(fd, got, 3));
            assertEquals("hel", new String(got, 0, 3, StandardCharsets.US_ASCII));
            assertEquals(2, sys.read(fd, got, 10));
            assertEquals(0, sys.read(fd, got, 10), "end of file");
        } finally {
            sys.close(fd);
        }
        assertEquals(-EBADF, sys.read(fd, new byte[1], 1), "a closed descriptor");
    }

    static void errorsOfTheOtherCalls(Native sys, File dir) throws IOException {
        assertEquals(-EINVAL, sys.setParentDeathSignal(65), "prctl(PR_SET_PDEATHSIG, 65)");
        assertEquals(0, sys.setParentDeathSignal(0), "prctl(PR_SET_PDEATHSIG, 0)");
        assertEquals(-EINVAL, sys.ignoreSignal(Signals.KILL), "SIG_IGN for KILL");
        assertFalse(sys.isatty(-1));
        assertEquals(-EBADF, sys.tcgetpgrp(-1));
        File file = new File(dir, "file");
        write(file, b("x"));
        int fd = sys.open(b(file.getPath()), Native.O_RDONLY | Native.O_CLOEXEC);
        try {
            assertFalse(sys.isatty(fd));
            assertEquals(-ENOTTY, sys.tcgetpgrp(fd), "tcgetpgrp of a regular file");
        } finally {
            sys.close(fd);
        }
        byte[] missing = b(dir + "/no-such-program");
        assertEquals(-Native.ENOENT, sys.execve(missing, new byte[][] {missing}, new byte[][] {b("A=1")}));
    }

    // ---- helpers (also SocketContract's)

    static SpawnRequest request(byte[] program, byte[][] argv, byte[][] envp) {
        return new SpawnRequest(program, argv, envp, 0, Signals.ALL, false, -1, new int[0]);
    }

    /** A /bin/sleep that runs until killed; posix_spawn returns after its exec. */
    static int spawnSleep(Native sys, long sigmask, boolean ownGroup, int[] keepFds) {
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
    static List<Integer> childFds(Native sys, int[] keep) {
        byte[][] argv = {b("sh"), b("-c"), b("sleep 60; exit 0")};
        byte[][] envp = {b("PATH=/usr/bin:/bin")};
        int pid = sys.spawn(new SpawnRequest(b("/bin/sh"), argv, envp, 0, Signals.ALL, true, -1, keep));
        assertTrue(pid > 0, "spawn of /bin/sh: " + pid);
        try {
            long deadline = System.nanoTime() + REAP_TIMEOUT_NANOS;
            while (childrenOf(pid).isEmpty()) {
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

    static void killAndReap(Native sys, int pid) {
        sys.kill(pid, Signals.KILL);
        reap(sys, pid);
    }

    /** Polls reapAny until it returns {@code pid}: that child's wait status. */
    static int reap(Native sys, int pid) {
        long deadline = System.nanoTime() + REAP_TIMEOUT_NANOS;
        for (;;) {
            long r = sys.reapAny();
            if (r > 0) {
                assertEquals(pid, (int) (r >>> 32), "reapAny took a child that this check did not spawn");
                return (int) r;
            }
            if (r < 0) fail("reapAny while waiting for " + pid + ": errno " + -r);
            if (System.nanoTime() - deadline > 0) fail("child " + pid + " not reaped within 10 s");
            pause();
        }
    }

    /** The pids whose parent is {@code parent}, from /proc. */
    static List<Integer> childrenOf(int parent) {
        List<Integer> out = new ArrayList<>();
        String[] names = new File("/proc").list();
        for (String n : names == null ? new String[0] : names) {
            if (n.isEmpty() || !Character.isDigit(n.charAt(0))) continue;
            try {
                if (Integer.parseInt(statFields("/proc/" + n + "/stat")[1]) == parent) out.add(Integer.parseInt(n));
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
        }
        return out;
    }

    static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    static String statusField(String file, String name) throws IOException {
        for (String line : new String(read(new File(file)), StandardCharsets.ISO_8859_1).split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).trim();
        }
        throw new IOException("no " + name + " in " + file);
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp. */
    static String[] statFields(String file) throws IOException {
        String s = new String(read(new File(file)), StandardCharsets.ISO_8859_1);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    /** The whole file, with java.io (not the backend under test). */
    static byte[] read(File file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileInputStream in = new FileInputStream(file)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static void write(File file, byte[] content) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(content);
        }
    }

    static byte[] nulTerminated(byte[][] strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] s : strings) {
            out.write(s, 0, s.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
