package jinit.sys;

import java.nio.ByteBuffer;

/**
 * One backend's way to reach the C library: the C functions jinit calls, each as it is in C
 * (pointers and sizes as 64-bit addresses and counts, the raw result), and native memory.
 * Nothing else: {@link LibcNative} builds everything jinit does on top of these, the same for
 * every backend. Backends: {@link JnrLibc} (jnr-ffi, JDK 17-21), {@code FfmLibc}
 * (java.lang.foreign, JDK 22+), {@code ImageLibc} (GraalVM {@code @CFunction}, the native
 * executable only).
 *
 * <p>Functions that report failure as -1 leave errno for {@link #errno()}, which must be
 * asked at once, on the same thread. The socket functions are reached only when a socket is
 * on: a backend binds them on first use.
 */
abstract class Libc {

    /** "jnr", "ffm" or "native": for logs. */
    abstract String name();

    /**
     * What runs jinit, for --version: "ffm backend, Java 25.0.3+9-LTS at /usr/lib/jvm/..." on a
     * JVM (where it is: which runtime the launcher picked).
     */
    String runtime() {
        return name() + " backend, Java " + Runtime.version() + " at " + System.getProperty("java.home");
    }

    /** errno as the last call of this thread through this backend left it. */
    abstract int errno();

    // ---- memory

    /** {@code bytes} of zeroed native memory, 16-byte aligned, until {@link #free}. */
    abstract Block allocate(int bytes);

    /**
     * Gives the block back. On backends whose memory the garbage collector frees this only
     * keeps the block reachable until here: call it once the calls are done with the block.
     */
    abstract void free(Block block);

    /** A native-order view of {@code bytes} bytes at {@code address} (memory jinit did not allocate). */
    abstract ByteBuffer view(long address, int bytes);

    /** The value of the C library's {@code char **environ}. */
    abstract long environ();

    abstract long strlen(long s);

    // ---- processes and signals

    abstract int getpid();

    abstract int getppid();

    abstract int getuid();

    /** prctl(option, arg, 0, 0, 0). */
    abstract int prctl(int option, long arg);

    /** Returns an error number (0: done), errno untouched. */
    abstract int pthread_sigmask(int how, long set, long old);

    abstract int sigaction(int sig, long act, long old);

    abstract int sigtimedwait(long set, long info, long timeout);

    abstract int kill(int pid, int sig);

    abstract int getpgid(int pid);

    abstract int waitpid(int pid, long status, int options);

    abstract int execve(long path, long argv, long envp);

    abstract int isatty(int fd);

    abstract int tcgetpgrp(int fd);

    abstract int tcsetpgrp(int fd, int pgrp);

    /** _exit(code): does not return. */
    abstract void exit(int code);

    // ---- posix_spawn: each returns an error number (0: done)

    abstract int posix_spawnattr_init(long attr);

    abstract int posix_spawnattr_destroy(long attr);

    abstract int posix_spawnattr_setflags(long attr, int flags);

    abstract int posix_spawnattr_setpgroup(long attr, int pgroup);

    abstract int posix_spawnattr_setsigmask(long attr, long set);

    abstract int posix_spawnattr_setsigdefault(long attr, long set);

    abstract int posix_spawn_file_actions_init(long actions);

    abstract int posix_spawn_file_actions_destroy(long actions);

    abstract int posix_spawn_file_actions_addclose(long actions, int fd);

    /** glibc 2.34+; ENOSYS where the C library lacks it (older glibc, musl). */
    abstract int posix_spawn_file_actions_addclosefrom_np(long actions, int from);

    /** glibc 2.35+; ENOSYS where the C library lacks it (older glibc, musl). */
    abstract int posix_spawn_file_actions_addtcsetpgrp_np(long actions, int fd);

    abstract int posix_spawnp(long pid, long file, long actions, long attr, long argv, long envp);

    /** close_range(first, ~0U, flags) through syscall(2) (Linux 5.9+; no C library wraps it everywhere). */
    abstract int close_range(int first, int flags);

    // ---- files

    abstract int open(long path, int flags);

    abstract long read(int fd, long buffer, long count);

    abstract int close(int fd);

    /** fcntl(fd, cmd) for the commands that take no argument (F_GETFD). */
    abstract int fcntl(int fd, int cmd);

    abstract long readlink(long path, long buffer, long size);

    /** A DIR*, or 0. */
    abstract long opendir(long path);

    /** A struct dirent*, or 0 at the end (errno unchanged) or on error. */
    abstract long readdir(long dir);

    abstract int closedir(long dir);

    // ---- Unix-domain sockets (bound on first use)

    abstract int socket(int domain, int type, int protocol);

    abstract int bind(int fd, long address, int length);

    abstract int connect(int fd, long address, int length);

    abstract int listen(int fd, int backlog);

    abstract int accept4(int fd, long address, long length, int flags);

    abstract int getsockopt(int fd, int level, int name, long value, long length);

    abstract int setsockopt(int fd, int level, int name, long value, int length);

    abstract long recvmsg(int fd, long msg, int flags);

    abstract long send(int fd, long buffer, long count, int flags);

    abstract int poll(long fds, long count, int timeout);

    abstract int umask(int mask);
}
