package jinit.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The JDK 22+ backend's calls: libc through java.lang.foreign, with no dependency outside
 * java.base.
 *
 * <p>Every function is called through one downcall handle, {@link #CALL}: six 64-bit integer
 * arguments, a 64-bit integer result, errno captured. Each distinct downcall shape costs the
 * JVM a native stub and generated classes that the AOT cache cannot archive (tens of
 * milliseconds at start-up for the dozen shapes the calls would need); one shape is linked
 * once. On x86-64 SysV and aarch64 Linux this is ABI-safe for the functions called here: int
 * and pointer arguments travel in the same 64-bit registers as longs, the callee ignores the
 * registers of arguments it does not take, and an int result is the low half of the result
 * register (narrowed with {@code (int)}). prctl, fcntl and syscall are variadic: a caller on
 * x86-64 sets %al to the number of vector registers used, which this non-variadic downcall
 * leaves unspecified; their integer-only variadic arguments make that harmless (a prologue
 * that saves vector registers only tests %al against zero), where linking them with
 * {@code firstVariadicArg} cost 8-10 ms of CPU at start-up.
 *
 * <p>Native memory is read and written through {@link ByteBuffer} views rather than
 * {@code MemorySegment.get/set}, whose first use spins method handles. errno is captured
 * into a per-thread segment ({@link Capture}) by the calls that set it; the others pass
 * {@link #NO_ERRNO}. The socket functions are looked up on first use ({@link Sockets}).
 */
final class FfmLibc extends Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final int ERRNO_OFFSET = errnoOffset();

    /** (function, errno capture, a, b, c, d, e, f) -> long: the one downcall handle. */
    private static final MethodHandle CALL = LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
        Linker.Option.captureCallState("errno"));

    /** The capture segment of calls whose errno is never read: threads may share it. */
    private static final MemorySegment NO_ERRNO = Arena.ofAuto().allocate(CAPTURE);

    /** A thread's errno capture segment, and a view of it. */
    private static final class Capture {
        final MemorySegment segment = Arena.ofAuto().allocate(CAPTURE);
        final ByteBuffer view = view(segment);
    }

    private static final ThreadLocal<Capture> ERRNO = new ThreadLocal<>() {
        @Override protected Capture initialValue() {
            return new Capture();
        }
    };

    private static final MemorySegment GETPID = symbol("getpid"), GETPPID = symbol("getppid"), GETUID = symbol("getuid"),
        PRCTL = symbol("prctl"), PTHREAD_SIGMASK = symbol("pthread_sigmask"), SIGACTION = symbol("sigaction"),
        SIGTIMEDWAIT = symbol("sigtimedwait"), KILL = symbol("kill"), GETPGID = symbol("getpgid"), EXIT = symbol("_exit"),
        WAITPID = symbol("waitpid"), EXECVE = symbol("execve"), ISATTY = symbol("isatty"), TCGETPGRP = symbol("tcgetpgrp"),
        TCSETPGRP = symbol("tcsetpgrp"), STRLEN = symbol("strlen"), SYSCALL = symbol("syscall"),
        OPEN = symbol("open"), READ = symbol("read"), CLOSE = symbol("close"), FCNTL = symbol("fcntl"), READLINK = symbol("readlink"),
        OPENDIR = symbol("opendir"), READDIR = symbol("readdir"), CLOSEDIR = symbol("closedir"), UMASK = symbol("umask");
    private static final MemorySegment SPAWNATTR_INIT = symbol("posix_spawnattr_init"),
        SPAWNATTR_DESTROY = symbol("posix_spawnattr_destroy"), SPAWNATTR_SETFLAGS = symbol("posix_spawnattr_setflags"),
        SPAWNATTR_SETPGROUP = symbol("posix_spawnattr_setpgroup"), SPAWNATTR_SETSIGMASK = symbol("posix_spawnattr_setsigmask"),
        SPAWNATTR_SETSIGDEFAULT = symbol("posix_spawnattr_setsigdefault"),
        ACTIONS_INIT = symbol("posix_spawn_file_actions_init"), ACTIONS_DESTROY = symbol("posix_spawn_file_actions_destroy"),
        ACTIONS_ADDCLOSE = symbol("posix_spawn_file_actions_addclose"), POSIX_SPAWNP = symbol("posix_spawnp");
    /** glibc 2.34+ and 2.35+; null where the C library lacks them (LibcNative then does without). */
    private static final MemorySegment ACTIONS_ADDCLOSEFROM = LIBC.find("posix_spawn_file_actions_addclosefrom_np").orElse(null),
        ACTIONS_ADDTCSETPGRP = LIBC.find("posix_spawn_file_actions_addtcsetpgrp_np").orElse(null);
    /** The address of libc's {@code char **environ} variable. */
    private static final long ENVIRON = symbol("environ").address();
    private static final int ENOSYS = 38, SYS_CLOSE_RANGE = 436;

    /** The socket functions, looked up when the first socket call is made. */
    private static final class Sockets {
        static final MemorySegment SOCKET = symbol("socket"), BIND = symbol("bind"), CONNECT = symbol("connect"),
            LISTEN = symbol("listen"), ACCEPT4 = symbol("accept4"), GETSOCKOPT = symbol("getsockopt"),
            SETSOCKOPT = symbol("setsockopt"), RECVMSG = symbol("recvmsg"), SEND = symbol("send"), POLL = symbol("poll");
    }

    @Override String name() { return "ffm"; }

    @Override int errno() {
        return ERRNO.get().view.getInt(ERRNO_OFFSET);
    }

    // ---- memory: Arena.ofAuto, freed by the garbage collector once the block is unreachable

    @Override Block allocate(int bytes) {
        MemorySegment segment = Arena.ofAuto().allocate(bytes, 16);
        return new Block(segment.address(), view(segment), segment);
    }

    @Override void free(Block block) {
        Reference.reachabilityFence(block);
    }

    @Override ByteBuffer view(long address, int bytes) {
        return view(MemorySegment.ofAddress(address).reinterpret(bytes));
    }

    @Override long environ() { return view(ENVIRON, 8).getLong(0); }

    @Override long strlen(long s) { return call(STRLEN, s); }

    // ---- processes and signals

    @Override int getpid() { return (int) call(GETPID, 0); }

    @Override int getppid() { return (int) call(GETPPID, 0); }

    @Override int getuid() { return (int) call(GETUID, 0); }

    @Override int prctl(int option, long arg) { return (int) callErrno(PRCTL, option, arg, 0, 0, 0); }

    @Override int pthread_sigmask(int how, long set, long old) { return (int) call(PTHREAD_SIGMASK, how, set, old); }

    @Override int sigaction(int sig, long act, long old) { return (int) callErrno(SIGACTION, sig, act, old, 0, 0); }

    @Override int sigtimedwait(long set, long info, long timeout) { return (int) call(SIGTIMEDWAIT, set, info, timeout); }

    @Override int kill(int pid, int sig) { return (int) callErrno(KILL, pid, sig, 0, 0, 0); }

    @Override int getpgid(int pid) { return (int) callErrno(GETPGID, pid, 0, 0, 0, 0); }

    @Override int waitpid(int pid, long status, int options) { return (int) callErrno(WAITPID, pid, status, options, 0, 0); }

    @Override int execve(long path, long argv, long envp) { return (int) callErrno(EXECVE, path, argv, envp, 0, 0); }

    @Override int isatty(int fd) { return (int) call(ISATTY, fd); }

    @Override int tcgetpgrp(int fd) { return (int) callErrno(TCGETPGRP, fd, 0, 0, 0, 0); }

    @Override int tcsetpgrp(int fd, int pgrp) { return (int) callErrno(TCSETPGRP, fd, pgrp, 0, 0, 0); }

    @Override void exit(int code) {
        call(EXIT, code);
        Runtime.getRuntime().halt(code); // not reached
    }

    // ---- posix_spawn

    @Override int posix_spawnattr_init(long attr) { return (int) call(SPAWNATTR_INIT, attr); }

    @Override int posix_spawnattr_destroy(long attr) { return (int) call(SPAWNATTR_DESTROY, attr); }

    @Override int posix_spawnattr_setflags(long attr, int flags) { return (int) call(SPAWNATTR_SETFLAGS, attr, flags, 0); }

    @Override int posix_spawnattr_setpgroup(long attr, int pgroup) { return (int) call(SPAWNATTR_SETPGROUP, attr, pgroup, 0); }

    @Override int posix_spawnattr_setsigmask(long attr, long set) { return (int) call(SPAWNATTR_SETSIGMASK, attr, set, 0); }

    @Override int posix_spawnattr_setsigdefault(long attr, long set) { return (int) call(SPAWNATTR_SETSIGDEFAULT, attr, set, 0); }

    @Override int posix_spawn_file_actions_init(long actions) { return (int) call(ACTIONS_INIT, actions); }

    @Override int posix_spawn_file_actions_destroy(long actions) { return (int) call(ACTIONS_DESTROY, actions); }

    @Override int posix_spawn_file_actions_addclose(long actions, int fd) { return (int) call(ACTIONS_ADDCLOSE, actions, fd, 0); }

    @Override int posix_spawn_file_actions_addclosefrom_np(long actions, int from) {
        return ACTIONS_ADDCLOSEFROM == null ? ENOSYS : (int) call(ACTIONS_ADDCLOSEFROM, actions, from, 0);
    }

    @Override int posix_spawn_file_actions_addtcsetpgrp_np(long actions, int fd) {
        return ACTIONS_ADDTCSETPGRP == null ? ENOSYS : (int) call(ACTIONS_ADDTCSETPGRP, actions, fd, 0);
    }

    @Override int posix_spawnp(long pid, long file, long actions, long attr, long argv, long envp) {
        return (int) call(NO_ERRNO, POSIX_SPAWNP, pid, file, actions, attr, argv, envp);
    }

    @Override int close_range(int first, int flags) { return (int) callErrno(SYSCALL, SYS_CLOSE_RANGE, first, 0xffffffffL, flags, 0); }

    // ---- files

    @Override int open(long path, int flags) { return (int) callErrno(OPEN, path, flags, 0, 0, 0); }

    @Override long read(int fd, long buffer, long count) { return callErrno(READ, fd, buffer, count, 0, 0); }

    @Override int close(int fd) { return (int) callErrno(CLOSE, fd, 0, 0, 0, 0); }

    @Override int fcntl(int fd, int cmd) { return (int) callErrno(FCNTL, fd, cmd, 0, 0, 0); }

    @Override long readlink(long path, long buffer, long size) { return callErrno(READLINK, path, buffer, size, 0, 0); }

    @Override long opendir(long path) { return callErrno(OPENDIR, path, 0, 0, 0, 0); }

    @Override long readdir(long dir) { return callErrno(READDIR, dir, 0, 0, 0, 0); }

    @Override int closedir(long dir) { return (int) callErrno(CLOSEDIR, dir, 0, 0, 0, 0); }

    // ---- Unix-domain sockets

    @Override int socket(int domain, int type, int protocol) { return (int) callErrno(Sockets.SOCKET, domain, type, protocol, 0, 0); }

    @Override int bind(int fd, long address, int length) { return (int) callErrno(Sockets.BIND, fd, address, length, 0, 0); }

    @Override int connect(int fd, long address, int length) { return (int) callErrno(Sockets.CONNECT, fd, address, length, 0, 0); }

    @Override int listen(int fd, int backlog) { return (int) callErrno(Sockets.LISTEN, fd, backlog, 0, 0, 0); }

    @Override int accept4(int fd, long address, long length, int flags) { return (int) callErrno(Sockets.ACCEPT4, fd, address, length, flags, 0); }

    @Override int getsockopt(int fd, int level, int name, long value, long length) {
        return (int) callErrno(Sockets.GETSOCKOPT, fd, level, name, value, length);
    }

    @Override int setsockopt(int fd, int level, int name, long value, int length) {
        return (int) callErrno(Sockets.SETSOCKOPT, fd, level, name, value, length);
    }

    @Override long recvmsg(int fd, long msg, int flags) { return callErrno(Sockets.RECVMSG, fd, msg, flags, 0, 0); }

    @Override long send(int fd, long buffer, long count, int flags) { return callErrno(Sockets.SEND, fd, buffer, count, flags, 0); }

    @Override int poll(long fds, long count, int timeout) { return (int) callErrno(Sockets.POLL, fds, count, timeout, 0, 0); }

    @Override int umask(int mask) { return (int) call(UMASK, mask); }

    // ---- the downcall

    /** fn(a, b, c), its errno not wanted (and the arguments it does not take ignored). */
    private static long call(MemorySegment fn, long a, long b, long c) {
        return call(NO_ERRNO, fn, a, b, c, 0, 0, 0);
    }

    private static long call(MemorySegment fn, long a) {
        return call(NO_ERRNO, fn, a, 0, 0, 0, 0, 0);
    }

    /** fn(a, b, c, d, e), its errno captured for {@link #errno()}. */
    private static long callErrno(MemorySegment fn, long a, long b, long c, long d, long e) {
        return call(ERRNO.get().segment, fn, a, b, c, d, e, 0);
    }

    /** fn(a, b, c, d, e, f) through {@link #CALL}, its errno left in {@code capture}. */
    private static long call(MemorySegment capture, MemorySegment fn, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) CALL.invokeExact(fn, capture, a, b, c, d, e, f);
        } catch (Throwable t) {
            if (t instanceof Error err) throw err;
            throw t instanceof RuntimeException r ? r : new IllegalStateException("native call failed", t);
        }
    }

    /**
     * errno's offset in {@link #CAPTURE}, found by walking its members: the same as
     * {@code byteOffset(groupElement("errno"))}, which spins method handles at start-up.
     */
    private static int errnoOffset() {
        long at = 0;
        for (MemoryLayout member : ((StructLayout) CAPTURE).memberLayouts()) {
            if ("errno".equals(member.name().orElse(null))) return (int) at;
            at += member.byteSize();
        }
        throw new IllegalStateException("no errno in " + CAPTURE);
    }

    private static MemorySegment symbol(String name) {
        MemorySegment symbol = LIBC.find(name).orElse(null);
        if (symbol == null) throw new UnsatisfiedLinkError("libc has no " + name);
        return symbol;
    }

    /** A native-order ByteBuffer over the segment: absolute get and put without spinning method handles. */
    private static ByteBuffer view(MemorySegment segment) {
        return segment.asByteBuffer().order(ByteOrder.nativeOrder());
    }
}
