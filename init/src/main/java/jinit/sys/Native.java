package jinit.sys;

/**
 * The few POSIX calls jinit makes. This package is the only place that touches native code:
 * {@link LibcNative} implements this interface once, on top of one backend's C calls
 * ({@link Libc}): jnr-ffi on JDK 17-21, java.lang.foreign on JDK 22+ ({@link Backend#create()}
 * picks one), GraalVM's {@code @CFunction} in the native executable ({@code ImageBackend}).
 *
 * <p>Calls report failure as a negative errno value and never throw. Signal sets are 64-bit
 * masks with bit {@code sig - 1} set for signal {@code sig} (Linux has signals 1-64).
 */
public interface Native {
    int EINTR = 4, ECHILD = 10, EAGAIN = 11, ENOENT = 2, EACCES = 13, ENOEXEC = 8, EPERM = 1,
        ESRCH = 3, EISDIR = 21, ENOTDIR = 20, ENAMETOOLONG = 36, ELOOP = 40, E2BIG = 7, ENOMEM = 12;

    /** Name of the backend ("jnr", "ffm", "native"), for logs. */
    String name();

    /**
     * What runs jinit, for --version: "ffm backend, Java 25.0.3+9-LTS" (a JVM), or "native
     * executable, static musl" (as found at run time).
     */
    String runtime();

    int getpid();

    int getppid();

    int getuid();

    /** prctl(PR_SET_CHILD_SUBREAPER, 1): 0 or -errno. */
    int setChildSubreaper();

    /** prctl(PR_SET_PDEATHSIG, sig): 0 or -errno. */
    int setParentDeathSignal(int sig);

    /** The calling thread's blocked-signal mask. */
    long blockedSignals();

    /** pthread_sigmask(SIG_BLOCK, set) for the calling thread: 0 or -errno. */
    int blockSignals(long set);

    /** Set the disposition of {@code sig} to SIG_IGN: 0 or -errno. */
    int ignoreSignal(int sig);

    /**
     * The signals whose disposition is SIG_IGN (sigaction asked for each of 1-64); the C
     * library's own (glibc 32-33, musl 32-34) are never reported: it refuses them to sigaction.
     */
    long ignoredSignals();

    /**
     * sigtimedwait(set): the signal taken, or 0 when the timeout passed or the wait was
     * interrupted. A negative timeout waits without limit.
     */
    int waitSignal(long set, long timeoutNanos);

    /** si_pid of the signal last returned by {@link #waitSignal}. */
    int lastSignalSender();

    /** kill(pid, sig): 0 or -errno. */
    int kill(int pid, int sig);

    /** getpgid(pid): the process group of any process, or -errno (-ESRCH: it is gone). */
    int getpgid(int pid);

    /**
     * waitpid(-1, &status, WNOHANG): {@code pid << 32 | status} for a reaped child, 0 when
     * children exist but none has changed state, -errno on error (-ECHILD: no children).
     */
    long reapAny();

    /** posix_spawnp as described by the request: the child's pid, or -errno. */
    int spawn(SpawnRequest request);

    /** execve(path, argv, envp): returns only on failure, with -errno. */
    int execve(byte[] path, byte[][] argv, byte[][] envp);

    /** isatty(fd). */
    boolean isatty(int fd);

    /** tcgetpgrp(fd): the foreground process group, or -errno. */
    int tcgetpgrp(int fd);

    /** This process's environment exactly as bytes, one "NAME=value" entry each. */
    byte[][] environment();

    // ---- files: small reads (/proc, a program's first bytes), without the JDK's file natives

    int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000, FD_CLOEXEC = 1;

    /** open(path, flags | O_NOCTTY): a descriptor or -errno. */
    int open(byte[] path, int flags);

    /** fcntl(fd, F_GETFD): the descriptor flags (FD_CLOEXEC) or -errno (-EBADF: not open). */
    int descriptorFlags(int fd);

    /** The whole file (read until end of file), or null when it cannot be read. */
    byte[] readFile(String path);

    /** The file's first bytes, as many as fit: the count, or -errno. */
    int readFile(String path, byte[] buffer);

    /** readlink(path): the link's target, or null when it is not a readable link. */
    byte[] readLink(String path);

    /** The names in a directory ("." and ".." left out), or null when it cannot be read. */
    String[] listDirectory(String path);

    // ---- Unix-domain sockets, for the control and notify sockets (used only when they are on;
    // their native bindings are linked on first use, so jinit without them never loads them)

    int SOCK_STREAM = 1, SOCK_DGRAM = 2;
    short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    int EADDRINUSE = 98, ECONNREFUSED = 111;

    /** socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0): a descriptor or -errno. */
    int unixSocket(int type);

    /** bind(fd, sockaddr_un): a path, or an abstract name when it starts with a NUL byte: 0 or -errno. */
    int bind(int fd, byte[] path);

    /** connect(fd, sockaddr_un): 0 or -errno (-EAGAIN or -EINPROGRESS on a non-blocking socket). */
    int connect(int fd, byte[] path);

    /** listen(fd, backlog): 0 or -errno. */
    int listen(int fd, int backlog);

    /** accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC): a descriptor or -errno. */
    int accept(int fd);

    /** getsockopt(SO_PEERCRED): the connected peer's {pid, uid, gid} into {@code out}: 0 or -errno. */
    int peerCredentials(int fd, int[] out);

    /** setsockopt(SO_PASSCRED, 1): every datagram then carries its sender's credentials. 0 or -errno. */
    int passCredentials(int fd);

    /**
     * recvmsg of one datagram, without waiting: its full length (larger than {@code buffer}
     * when it was truncated) or -errno. The sender's {pid, uid, gid} (SCM_CREDENTIALS) go into
     * {@code credentials}, -1 each when the datagram had none. Descriptors passed with it
     * (SCM_RIGHTS) are closed at once.
     */
    int receive(int fd, byte[] buffer, int[] credentials);

    /**
     * read(2) of fd into buffer[0..length): the count, 0 at end of file, or -errno. A plain
     * read (not recv), so it takes any descriptor: a socket, a pipe, a file.
     */
    int read(int fd, byte[] buffer, int length);

    /** send(fd, MSG_NOSIGNAL | MSG_DONTWAIT) of buffer[offset..offset+length): the count or -errno. */
    int send(int fd, byte[] buffer, int offset, int length);

    /** close(fd): 0 or -errno. */
    int close(int fd);

    /**
     * poll() of {@code count} descriptors: the number with events or -errno; {@code revents}
     * gets each one's events. A negative timeout waits without limit.
     */
    int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis);

    /** umask(mask): the previous mask. */
    int umask(int mask);

    /**
     * Ends the process at once with {@code code}: _exit(2), no JVM shutdown sequence.
     * Everything jinit must do before (flush its log, remove its sockets) is done by then.
     */
    void exit(int code);

    /** Pack a reaped child for {@link #reapAny()}. */
    static long reaped(int pid, int status) {
        return ((long) pid << 32) | (status & 0xffffffffL);
    }
}
