package jinit.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The JDK 17-21 backend: jnr-posix for the calls it has, and a small jnr-ffi binding of the
 * libc calls it lacks (sigtimedwait, pthread_sigmask, prctl, the posix_spawn attributes that
 * reset the child's signal mask and dispositions, and the glibc spawn actions closefrom and
 * tcsetpgrp).
 */
final class JnrNative implements Native {

    /** libc calls jnr-posix does not offer. */
    public interface LibC {
        @SaveError int sigtimedwait(Pointer set, Pointer info, Pointer timeout);
        @SaveError int pthread_sigmask(int how, Pointer set, Pointer old);
        @SaveError int prctl(int option, long arg2, long arg3, long arg4, long arg5);
        @SaveError long signal(int sig, long handler);
        @SaveError int tcgetpgrp(int fd);
        @SaveError int execve(Pointer path, Pointer argv, Pointer envp);
        int posix_spawnattr_init(Pointer attr);
        int posix_spawnattr_destroy(Pointer attr);
        int posix_spawnattr_setflags(Pointer attr, short flags);
        int posix_spawnattr_setpgroup(Pointer attr, int pgroup);
        int posix_spawnattr_setsigmask(Pointer attr, Pointer set);
        int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);
        int posix_spawn_file_actions_init(Pointer actions);
        int posix_spawn_file_actions_destroy(Pointer actions);
        int posix_spawn_file_actions_addclose(Pointer actions, int fd);
        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
        int posix_spawn_file_actions_addtcsetpgrp_np(Pointer actions, int fd);
        int posix_spawnp(Pointer pid, Pointer file, Pointer actions, Pointer attr, Pointer argv, Pointer envp);
    }

    private static final int SIG_BLOCK = 0, PR_SET_PDEATHSIG = 1, PR_SET_CHILD_SUBREAPER = 36;
    private static final int SIGSET_BYTES = 128, WNOHANG = 1;

    /**
     * jnr's java.util.logging output, off: when no thread can be created (pids.max) jnr logs a
     * stack trace at INFO and carries on, and jinit's stderr is for one-line messages. A field:
     * java.util.logging holds its loggers weakly.
     */
    private static final java.util.logging.Logger JNR_LOG = java.util.logging.Logger.getLogger("jnr.ffi.util.ref");

    static {
        JNR_LOG.setLevel(java.util.logging.Level.OFF);
        useShippedStub();
    }

    /**
     * jffi loads its native stub from jffi.boot.library.path (DIR/x86_64-Linux/libjffi-1.2.so)
     * before it would extract one into java.io.tmpdir, or into the working directory when that
     * fails: on a read-only root file system jinit could not start, and it would write to disk
     * at every start. The build unpacks the stubs into lib/native next to jinit.jar.
     */
    private static void useShippedStub() {
        if (System.getProperty("jffi.boot.library.path") != null) return;
        try {
            java.io.File jar = new java.io.File(JnrNative.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.io.File dir = new java.io.File(jar.getParentFile(), "native");
            if (dir.isDirectory()) System.setProperty("jffi.boot.library.path", dir.getPath());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source: jffi extracts its stub as it always does
        }
    }

    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final Runtime runtime = Runtime.getRuntime(libc);
    // reused by the main loop: no allocation per signal or per reaped child
    private final Pointer waitSet = Memory.allocateDirect(runtime, SIGSET_BYTES);
    private final Pointer waitInfo = Memory.allocateDirect(runtime, 128);
    private final Pointer waitTimeout = Memory.allocateDirect(runtime, 16);
    private final int[] status = new int[1];
    private int lastSender;

    @Override public String name() { return "jnr"; }

    @Override public int getpid() { return posix.getpid(); }

    @Override public int getppid() { return posix.getppid(); }

    @Override public int getuid() { return posix.getuid(); }

    @Override public int setChildSubreaper() {
        return check(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    }

    @Override public int setParentDeathSignal(int sig) {
        return check(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0));
    }

    @Override public long blockedSignals() {
        Pointer old = Memory.allocateDirect(runtime, SIGSET_BYTES, true);
        libc.pthread_sigmask(SIG_BLOCK, null, old);
        return old.getLong(0);
    }

    @Override public int blockSignals(long set) {
        int rc = libc.pthread_sigmask(SIG_BLOCK, sigset(set), null);
        return rc == 0 ? 0 : -rc;
    }

    @Override public int ignoreSignal(int sig) {
        return libc.signal(sig, 1 /* SIG_IGN */) == -1 ? -runtime.getLastError() : 0;
    }

    @Override public int waitSignal(long set, long timeoutNanos) {
        waitSet.putLong(0, set);
        Pointer timeout = null;
        if (timeoutNanos >= 0) {
            waitTimeout.putLong(0, timeoutNanos / 1_000_000_000L);
            waitTimeout.putLong(8, timeoutNanos % 1_000_000_000L);
            timeout = waitTimeout;
        }
        int sig = libc.sigtimedwait(waitSet, waitInfo, timeout);
        if (sig <= 0) return 0; // EAGAIN (timeout) or EINTR
        lastSender = waitInfo.getInt(16);
        return sig;
    }

    @Override public int lastSignalSender() { return lastSender; }

    @Override public int kill(int pid, int sig) {
        return check(posix.libc().kill(pid, sig));
    }

    @Override public int getpgid(int pid) {
        return check(posix.libc().getpgid(pid));
    }

    @Override public long reapAny() {
        int pid = posix.libc().waitpid(-1, status, WNOHANG);
        if (pid < 0) return -posix.errno();
        return pid == 0 ? 0 : Native.reaped(pid, status[0]);
    }

    @Override public int spawn(SpawnRequest r) {
        Pointer attr = Memory.allocateDirect(runtime, 1024, true);
        Pointer actions = Memory.allocateDirect(runtime, 512, true);
        int rc = libc.posix_spawnattr_init(attr);
        if (rc != 0) return -rc;
        rc = libc.posix_spawn_file_actions_init(actions);
        if (rc != 0) return -rc;
        try {
            rc = libc.posix_spawnattr_setflags(attr, r.flags());
            if (rc == 0) rc = libc.posix_spawnattr_setsigmask(attr, sigset(r.sigmask()));
            if (rc == 0) rc = libc.posix_spawnattr_setsigdefault(attr, sigset(r.sigdefault()));
            if (rc == 0 && r.ownGroup()) rc = libc.posix_spawnattr_setpgroup(attr, 0);
            for (int fd : r.closeBelow()) if (rc == 0) rc = libc.posix_spawn_file_actions_addclose(actions, fd);
            if (rc == 0) rc = libc.posix_spawn_file_actions_addclosefrom_np(actions, r.closeFrom());
            if (rc == 0 && r.ttyFd() >= 0) rc = libc.posix_spawn_file_actions_addtcsetpgrp_np(actions, r.ttyFd());
            if (rc != 0) return -rc;
            Pointer pid = Memory.allocateDirect(runtime, 8, true);
            Pointer file = cString(r.program());
            Pointer argv = cStrings(r.argv());
            Pointer envp = cStrings(r.envp());
            rc = libc.posix_spawnp(pid, file, actions, attr, argv, envp);
            return rc == 0 ? pid.getInt(0) : -rc;
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
        }
    }

    @Override public int execve(byte[] path, byte[][] argv, byte[][] envp) {
        libc.execve(cString(path), cStrings(argv), cStrings(envp));
        return -runtime.getLastError();
    }

    @Override public boolean isatty(int fd) { return posix.libc().isatty(fd) == 1; }

    @Override public int tcgetpgrp(int fd) { return check(libc.tcgetpgrp(fd)); }

    @Override public byte[][] environment() {
        Pointer env = posix.environ();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; env != null; i++) {
            Pointer entry = env.getPointer((long) i * 8);
            if (entry == null) break;
            int len = entry.indexOf(0, (byte) 0);
            byte[] bytes = new byte[len];
            entry.get(0, bytes, 0, len);
            out.add(bytes);
        }
        return out.toArray(new byte[0][]);
    }

    // ---- Unix-domain sockets: JnrSockets, loaded on first use (never when the sockets are off)

    @Override public int unixSocket(int type) { return JnrSockets.socket(type); }

    @Override public int bind(int fd, byte[] path) { return JnrSockets.bind(fd, path); }

    @Override public int connect(int fd, byte[] path) { return JnrSockets.connect(fd, path); }

    @Override public int listen(int fd, int backlog) { return JnrSockets.listen(fd, backlog); }

    @Override public int accept(int fd) { return JnrSockets.accept(fd); }

    @Override public int peerCredentials(int fd, int[] out) { return JnrSockets.peerCredentials(fd, out); }

    @Override public int passCredentials(int fd) { return JnrSockets.passCredentials(fd); }

    @Override public int receive(int fd, byte[] buffer, int[] credentials) { return JnrSockets.receive(fd, buffer, credentials); }

    @Override public int read(int fd, byte[] buffer, int length) { return JnrSockets.read(fd, buffer, length); }

    @Override public int send(int fd, byte[] buffer, int offset, int length) { return JnrSockets.send(fd, buffer, offset, length); }

    @Override public int close(int fd) { return JnrSockets.close(fd); }

    @Override public int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        return JnrSockets.poll(fds, events, revents, count, timeoutMillis);
    }

    @Override public int umask(int mask) { return JnrSockets.umask(mask); }

    private int check(int rc) {
        return rc < 0 ? -runtime.getLastError() : rc;
    }

    private Pointer sigset(long mask) {
        Pointer set = Memory.allocateDirect(runtime, SIGSET_BYTES, true);
        set.putLong(0, mask);
        return set;
    }

    private Pointer cString(byte[] s) {
        Pointer p = Memory.allocateDirect(runtime, s.length + 1, true);
        p.put(0, s, 0, s.length);
        return p;
    }

    /** A NULL-terminated char*[] whose strings live in the same block. */
    private Pointer cStrings(byte[][] strings) {
        long table = (long) (strings.length + 1) * 8, size = table;
        for (byte[] s : strings) size += s.length + 1;
        Pointer block = Memory.allocateDirect(runtime, size, true);
        long at = table;
        for (int i = 0; i < strings.length; i++) {
            block.putAddress((long) i * 8, block.address() + at);
            block.put(at, strings[i], 0, strings[i].length);
            at += strings[i].length + 1;
        }
        return block;
    }
}
