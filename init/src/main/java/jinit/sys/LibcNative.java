package jinit.sys;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Native}, once for every backend: the spawn sequence, signal sets, the environment,
 * file reads and their errno handling, written against a backend's bare C calls
 * ({@link Libc}). The socket calls are {@link UnixSockets}', loaded on first use.
 *
 * <p>Each thread that calls in gets one block of native memory for the calls that need one
 * (a signal set, a sigaction, a wait status, a path, a read buffer): no allocation per call.
 * The main loop's sigtimedwait has a block of its own, for the one thread that waits.
 */
final class LibcNative implements Native {
    private static final int SIG_BLOCK = 0, PR_SET_PDEATHSIG = 1, PR_SET_CHILD_SUBREAPER = 36, WNOHANG = 1;
    private static final int ENOSYS = 38, ENAMETOOLONG = 36;
    private static final int O_NOCTTY = 0x100, F_GETFD = 1, CLOSE_RANGE_CLOEXEC = 4;
    static final int SIGSET_BYTES = 128;
    private static final int SIGINFO_BYTES = 128, SI_PID = 16;
    /** struct sigaction (152 bytes in glibc and musl, x86-64 and aarch64): sa_handler first. */
    private static final int SIGACTION_BYTES = 160;
    private static final long SIG_IGN = 1;
    /** struct dirent of glibc and musl on 64-bit Linux: d_ino, d_off, d_reclen, d_type, then d_name. */
    private static final int DIRENT_NAME = 19, NAME_MAX = 255;
    /** Generous sizes for posix_spawnattr_t (glibc 336 bytes, musl 336) and posix_spawn_file_actions_t (80). */
    private static final int SPAWNATTR_BYTES = 1024, FILE_ACTIONS_BYTES = 512;

    /** A thread's block: offsets of a sigset_t, a struct sigaction, a wait status, a path, a read buffer. */
    private static final int SET = 0, ACTION = SET + SIGSET_BYTES, STATUS = ACTION + SIGACTION_BYTES,
        PATH = STATUS + 8, PATH_BYTES = 4096, DATA = PATH + PATH_BYTES, DATA_BYTES = 8192, SCRATCH_BYTES = DATA + DATA_BYTES;
    /** The waiting thread's block: sigtimedwait's set, siginfo and timespec. */
    private static final int WAIT_INFO = SIGSET_BYTES, WAIT_TIMEOUT = WAIT_INFO + SIGINFO_BYTES;

    /** File names go to the C library as java.io.File gives them (sun.jnu.encoding). */
    private static final Charset PATHS = pathCharset();

    final Libc c;
    private final ThreadLocal<Block> scratch = new ThreadLocal<>() {
        @Override protected Block initialValue() {
            return c.allocate(SCRATCH_BYTES);
        }
    };
    private final Block wait;
    private int lastSender;
    private volatile UnixSockets sockets;

    LibcNative(Libc c) {
        this.c = c;
        this.wait = c.allocate(WAIT_TIMEOUT + 16);
    }

    @Override public String name() { return c.name(); }

    @Override public String runtime() { return c.runtime(); }

    @Override public int getpid() { return c.getpid(); }

    @Override public int getppid() { return c.getppid(); }

    @Override public int getuid() { return c.getuid(); }

    @Override public int setChildSubreaper() {
        return check(c.prctl(PR_SET_CHILD_SUBREAPER, 1));
    }

    @Override public int setParentDeathSignal(int sig) {
        return check(c.prctl(PR_SET_PDEATHSIG, sig));
    }

    @Override public long blockedSignals() {
        Block s = scratch.get();
        sigset(s, SET, 0);
        int rc = c.pthread_sigmask(SIG_BLOCK, 0 /* NULL: only ask */, s.address + SET);
        return rc == 0 ? s.view.getLong(SET) : 0;
    }

    @Override public int blockSignals(long set) {
        Block s = scratch.get();
        sigset(s, SET, set);
        return -c.pthread_sigmask(SIG_BLOCK, s.address + SET, 0);
    }

    @Override public int ignoreSignal(int sig) {
        Block s = scratch.get();
        s.clear(ACTION, SIGACTION_BYTES);
        s.view.putLong(ACTION, SIG_IGN); // sa_handler; no flags, an empty sa_mask
        return check(c.sigaction(sig, s.address + ACTION, 0));
    }

    @Override public long ignoredSignals() {
        Block s = scratch.get();
        long ignored = 0;
        for (int sig = 1; sig <= 64; sig++) {
            s.clear(ACTION, SIGACTION_BYTES);
            // the C library's own signals (glibc 32-33, musl 32-34) answer EINVAL: not ignored
            if (c.sigaction(sig, 0, s.address + ACTION) == 0 && s.view.getLong(ACTION) == SIG_IGN) ignored |= 1L << (sig - 1);
        }
        return ignored;
    }

    @Override public int waitSignal(long set, long timeoutNanos) {
        ByteBuffer w = wait.view;
        w.putLong(0, set); // the rest of the set stays zero
        long timeout = 0; // NULL: no limit
        if (timeoutNanos >= 0) {
            w.putLong(WAIT_TIMEOUT, timeoutNanos / 1_000_000_000L);
            w.putLong(WAIT_TIMEOUT + 8, timeoutNanos % 1_000_000_000L);
            timeout = wait.address + WAIT_TIMEOUT;
        }
        int sig = c.sigtimedwait(wait.address, wait.address + WAIT_INFO, timeout);
        if (sig <= 0) return 0; // EAGAIN (timeout) or EINTR
        lastSender = w.getInt(WAIT_INFO + SI_PID);
        return sig;
    }

    @Override public int lastSignalSender() { return lastSender; }

    @Override public int kill(int pid, int sig) {
        return check(c.kill(pid, sig));
    }

    @Override public int getpgid(int pid) {
        return check(c.getpgid(pid));
    }

    @Override public long reapAny() {
        Block s = scratch.get();
        int pid = c.waitpid(-1, s.address + STATUS, WNOHANG);
        if (pid < 0) return -c.errno();
        return pid == 0 ? 0 : Native.reaped(pid, s.view.getInt(STATUS));
    }

    /**
     * posix_spawnp with the request's attributes and file actions, in one block of memory
     * (attributes, file actions, two signal sets, the pid, the program, argv and envp). The
     * attributes and file actions are destroyed on every path once initialised.
     *
     * <p>Where the C library has no closefrom action (glibc before 2.34, musl), each descriptor
     * at or above the request's first closed one that /proc/self/fd lists gets a close action,
     * and without /proc jinit marks them all close-on-exec (close_range, Linux 5.11+). Where
     * it has no tcsetpgrp action (glibc before 2.35, musl), jinit makes the child's group the
     * terminal's foreground group itself once the child runs, and continues the group in case
     * the child read from the terminal before and was stopped for it.
     */
    @Override public int spawn(SpawnRequest r) {
        int attrAt = 0, actionsAt = attrAt + SPAWNATTR_BYTES, maskAt = actionsAt + FILE_ACTIONS_BYTES,
            defaultAt = maskAt + SIGSET_BYTES, pidAt = defaultAt + SIGSET_BYTES, programAt = pidAt + 8;
        int argvAt = align(programAt + r.program().length + 1), envpAt = argvAt + tableBytes(r.argv());
        Block b = c.allocate(envpAt + tableBytes(r.envp()));
        try {
            long attr = b.address + attrAt, actions = b.address + actionsAt;
            int rc = c.posix_spawnattr_init(attr);
            if (rc != 0) return -rc;
            rc = c.posix_spawn_file_actions_init(actions);
            if (rc != 0) {
                c.posix_spawnattr_destroy(attr);
                return -rc;
            }
            try {
                sigset(b, maskAt, r.sigmask());
                sigset(b, defaultAt, r.sigdefault());
                rc = c.posix_spawnattr_setflags(attr, r.flags());
                if (rc == 0) rc = c.posix_spawnattr_setsigmask(attr, b.address + maskAt);
                if (rc == 0) rc = c.posix_spawnattr_setsigdefault(attr, b.address + defaultAt);
                if (rc == 0 && r.ownGroup()) rc = c.posix_spawnattr_setpgroup(attr, 0);
                for (int fd : r.closeBelow()) if (rc == 0) rc = c.posix_spawn_file_actions_addclose(actions, fd);
                if (rc == 0) {
                    rc = c.posix_spawn_file_actions_addclosefrom_np(actions, r.closeFrom());
                    if (rc == ENOSYS) rc = closeFrom(actions, r.closeFrom());
                }
                boolean foregroundHere = false;
                if (rc == 0 && r.ttyFd() >= 0) {
                    rc = c.posix_spawn_file_actions_addtcsetpgrp_np(actions, r.ttyFd());
                    foregroundHere = rc == ENOSYS && r.ownGroup();
                    if (foregroundHere) rc = 0;
                }
                if (rc != 0) return -rc;
                rc = c.posix_spawnp(b.address + pidAt, b.putString(programAt, r.program()), actions, attr,
                    strings(b, argvAt, r.argv()), strings(b, envpAt, r.envp()));
                if (rc != 0) return -rc;
                int pid = b.view.getInt(pidAt);
                if (foregroundHere && c.tcsetpgrp(r.ttyFd(), pid) == 0) c.kill(-pid, 18 /* SIGCONT */);
                return pid;
            } finally {
                c.posix_spawn_file_actions_destroy(actions);
                c.posix_spawnattr_destroy(attr);
            }
        } finally {
            c.free(b);
        }
    }

    /** The closefrom action for a C library without one: see {@link #spawn}. 0 or an error number. */
    private int closeFrom(long actions, int from) {
        String[] open = listDirectory("/proc/self/fd");
        if (open == null) return c.close_range(from, CLOSE_RANGE_CLOEXEC) == 0 ? 0 : c.errno();
        for (String name : open) {
            int fd = Integer.parseInt(name);
            int rc = fd >= from && descriptorFlags(fd) >= 0 ? c.posix_spawn_file_actions_addclose(actions, fd) : 0;
            if (rc != 0) return rc;
        }
        return 0;
    }

    @Override public int execve(byte[] path, byte[][] argv, byte[][] envp) {
        int argvAt = align(path.length + 1), envpAt = argvAt + tableBytes(argv);
        Block b = c.allocate(envpAt + tableBytes(envp));
        try {
            c.execve(b.putString(0, path), strings(b, argvAt, argv), strings(b, envpAt, envp));
            return -c.errno();
        } finally {
            c.free(b);
        }
    }

    @Override public boolean isatty(int fd) { return c.isatty(fd) == 1; }

    @Override public int tcgetpgrp(int fd) { return check(c.tcgetpgrp(fd)); }

    @Override public byte[][] environment() {
        List<byte[]> out = new ArrayList<>();
        long env = c.environ(); // char **environ, NULL-terminated
        for (long at = env, entry; env != 0 && (entry = c.view(at, 8).getLong(0)) != 0; at += 8) {
            byte[] bytes = new byte[(int) c.strlen(entry)];
            c.view(entry, bytes.length).get(0, bytes);
            out.add(bytes);
        }
        return out.toArray(new byte[0][]);
    }

    @Override public void exit(int code) {
        c.exit(code);
    }

    // ---- files

    @Override public int open(byte[] path, int flags) {
        Block s = scratch.get();
        if (path.length >= PATH_BYTES) return -ENAMETOOLONG;
        return check(c.open(s.putString(PATH, path), flags | O_NOCTTY));
    }

    @Override public int descriptorFlags(int fd) {
        return check(c.fcntl(fd, F_GETFD));
    }

    @Override public byte[] readFile(String path) {
        int fd = open(path.getBytes(PATHS), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return null;
        try {
            Block s = scratch.get();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (;;) {
                long n = c.read(fd, s.address + DATA, DATA_BYTES);
                if (n < 0 && c.errno() == EINTR) continue;
                if (n < 0) return null;
                if (n == 0) return out.toByteArray();
                byte[] chunk = new byte[(int) n];
                s.view.get(DATA, chunk);
                out.write(chunk, 0, chunk.length);
            }
        } finally {
            c.close(fd);
        }
    }

    @Override public int readFile(String path, byte[] buffer) {
        int fd = open(path.getBytes(PATHS), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fd;
        try {
            Block s = scratch.get();
            int got = 0;
            while (got < buffer.length) {
                long n = c.read(fd, s.address + DATA, Math.min(DATA_BYTES, buffer.length - got));
                if (n < 0 && c.errno() == EINTR) continue;
                if (n < 0) return -c.errno();
                if (n == 0) break;
                s.view.get(DATA, buffer, got, (int) n);
                got += (int) n;
            }
            return got;
        } finally {
            c.close(fd);
        }
    }

    @Override public byte[] readLink(String path) {
        byte[] p = path.getBytes(PATHS);
        Block s = scratch.get();
        if (p.length >= PATH_BYTES) return null;
        long n = c.readlink(s.putString(PATH, p), s.address + DATA, DATA_BYTES);
        if (n < 0 || n >= DATA_BYTES) return null;
        byte[] target = new byte[(int) n];
        s.view.get(DATA, target);
        return target;
    }

    @Override public String[] listDirectory(String path) {
        byte[] p = path.getBytes(PATHS);
        Block s = scratch.get();
        if (p.length >= PATH_BYTES) return null;
        long dir = c.opendir(s.putString(PATH, p));
        if (dir == 0) return null;
        try {
            List<String> names = new ArrayList<>();
            byte[] name = new byte[NAME_MAX + 1];
            for (long entry; (entry = c.readdir(dir)) != 0; ) {
                ByteBuffer d = c.view(entry + DIRENT_NAME, NAME_MAX + 1);
                int n = 0;
                while (n <= NAME_MAX && (name[n] = d.get(n)) != 0) n++;
                if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.')) continue;
                names.add(new String(name, 0, n, PATHS));
            }
            return names.toArray(new String[0]);
        } finally {
            c.closedir(dir);
        }
    }

    // ---- Unix-domain sockets: UnixSockets, loaded on first use (never when the sockets are off)

    private UnixSockets sockets() {
        UnixSockets s = sockets;
        if (s == null) {
            synchronized (this) {
                if (sockets == null) sockets = new UnixSockets(c);
                s = sockets;
            }
        }
        return s;
    }

    @Override public int unixSocket(int type) { return sockets().socket(type); }

    @Override public int bind(int fd, byte[] path) { return sockets().bind(fd, path); }

    @Override public int connect(int fd, byte[] path) { return sockets().connect(fd, path); }

    @Override public int listen(int fd, int backlog) { return sockets().listen(fd, backlog); }

    @Override public int accept(int fd) { return sockets().accept(fd); }

    @Override public int peerCredentials(int fd, int[] out) { return sockets().peerCredentials(fd, out); }

    @Override public int passCredentials(int fd) { return sockets().passCredentials(fd); }

    @Override public int receive(int fd, byte[] buffer, int[] credentials) { return sockets().receive(fd, buffer, credentials); }

    @Override public int read(int fd, byte[] buffer, int length) { return sockets().read(fd, buffer, length); }

    @Override public int send(int fd, byte[] buffer, int offset, int length) { return sockets().send(fd, buffer, offset, length); }

    @Override public int close(int fd) { return check(c.close(fd)); }

    @Override public int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        return sockets().poll(fds, events, revents, count, timeoutMillis);
    }

    @Override public int umask(int mask) { return c.umask(mask); }

    // ---- shared helpers

    /** A call's result, or -errno when it returned -1. */
    private int check(int rc) {
        return rc < 0 ? -c.errno() : rc;
    }

    /** The sigset_t at {@code at} holds exactly the signals of mask (see {@link Native}). */
    private static void sigset(Block b, int at, long mask) {
        b.view.putLong(at, mask);
        b.clear(at + 8, SIGSET_BYTES - 8);
    }

    /** Room for a NULL-terminated char*[] and its strings. */
    private static int tableBytes(byte[][] strings) {
        int size = (strings.length + 1) * 8;
        for (byte[] s : strings) size += s.length + 1;
        return align(size);
    }

    /** A NULL-terminated char*[] at {@code at} with its strings after it: its address. */
    private static long strings(Block b, int at, byte[][] strings) {
        int text = at + (strings.length + 1) * 8;
        for (int i = 0; i < strings.length; i++) {
            b.view.putLong(at + i * 8, b.putString(text, strings[i]));
            text += strings[i].length + 1;
        }
        b.view.putLong(at + strings.length * 8, 0);
        return b.address + at;
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
