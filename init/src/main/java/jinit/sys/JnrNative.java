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
