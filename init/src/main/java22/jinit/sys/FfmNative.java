package jinit.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The JDK 22+ backend: libc through java.lang.foreign, with no dependency outside java.base.
 *
 * <p>Every libc function is called through one downcall handle, {@link #CALL}: six 64-bit
 * integer arguments, a 64-bit integer result, errno captured. Each distinct downcall shape costs
 * the JVM a native stub and a set of generated classes that the AOT cache cannot archive (tens
 * of milliseconds at start-up for the dozen shapes the calls would need), while one shape is
 * linked once. On x86-64 SysV and aarch64 Linux this is ABI-safe for the non-variadic functions
 * called here: int and pointer arguments travel in the same 64-bit registers as longs (ints are
 * passed sign-extended, pointers as addresses), the callee ignores the registers of unused
 * trailing arguments, and an int result is the low half of the result register, so it is
 * narrowed with {@code (int)}. prctl is variadic; see {@link #prctl}.
 *
 * <p>Native memory is read and written through {@link ByteBuffer} views ({@link #view}) rather
 * than {@code MemorySegment.get/set}, whose first use spins method handles too.
 *
 * <p>errno is captured ({@code captureCallState("errno")}) into a per-thread segment, allocated
 * once per thread with the other small buffers the calls need; calls whose errno is never read
 * pass {@link #NO_ERRNO}. The main loop's buffers (sigtimedwait's set, siginfo and timespec) are
 * allocated once, like {@link JnrNative}'s, for the one thread that waits. spawn and execve use
 * a confined arena per call.
 */
final class FfmNative implements Native {

    private static final int SIG_BLOCK = 0, PR_SET_PDEATHSIG = 1, PR_SET_CHILD_SUBREAPER = 36;
    private static final int SIGSET_BYTES = 128, SIGINFO_BYTES = 128, SI_PID = 16, WNOHANG = 1;
    private static final int ENOSYS = 38; // returned by spawn when libc lacks a spawn action
    /** Generous sizes for glibc's posix_spawnattr_t (336 bytes) and posix_spawn_file_actions_t (80). */
    private static final int SPAWNATTR_BYTES = 1024, FILE_ACTIONS_BYTES = 512;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    static final long ERRNO_OFFSET = errnoOffset();

    /** (function, errno capture, a, b, c, d, e, f) -> long: the one downcall handle. */
    static final MethodHandle CALL = LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
        Linker.Option.captureCallState("errno"));

    /** The capture segment of calls whose errno is never read: threads may share it. */
    private static final MemorySegment NO_ERRNO = Arena.ofAuto().allocate(CAPTURE);

    private static final MemorySegment GETPID = symbol("getpid"), GETPPID = symbol("getppid"), GETUID = symbol("getuid"),
        PRCTL = symbol("prctl"), PTHREAD_SIGMASK = symbol("pthread_sigmask"), SIGNAL = symbol("signal"),
        SIGTIMEDWAIT = symbol("sigtimedwait"), KILL = symbol("kill"), GETPGID = symbol("getpgid"), EXIT = symbol("_exit"), WAITPID = symbol("waitpid"),
        EXECVE = symbol("execve"), ISATTY = symbol("isatty"), TCGETPGRP = symbol("tcgetpgrp"), STRLEN = symbol("strlen");
    private static final MemorySegment SPAWNATTR_INIT = symbol("posix_spawnattr_init"),
        SPAWNATTR_DESTROY = symbol("posix_spawnattr_destroy"), SPAWNATTR_SETFLAGS = symbol("posix_spawnattr_setflags"),
        SPAWNATTR_SETPGROUP = symbol("posix_spawnattr_setpgroup"), SPAWNATTR_SETSIGMASK = symbol("posix_spawnattr_setsigmask"),
        SPAWNATTR_SETSIGDEFAULT = symbol("posix_spawnattr_setsigdefault"),
        ACTIONS_INIT = symbol("posix_spawn_file_actions_init"), ACTIONS_DESTROY = symbol("posix_spawn_file_actions_destroy"),
        ACTIONS_ADDCLOSE = symbol("posix_spawn_file_actions_addclose"), POSIX_SPAWNP = symbol("posix_spawnp");
    /** The address of libc's {@code char **environ} variable. */
    private static final long ENVIRON = symbol("environ").address();
    /** glibc 2.34+; null where the C library lacks it (spawn then fails with ENOSYS). */
    private static final MemorySegment ACTIONS_ADDCLOSEFROM = LIBC.find("posix_spawn_file_actions_addclosefrom_np").orElse(null);
    /** glibc 2.35+; null where the C library lacks it (spawn with a terminal then fails with ENOSYS). */
    private static final MemorySegment ACTIONS_ADDTCSETPGRP = LIBC.find("posix_spawn_file_actions_addtcsetpgrp_np").orElse(null);

    /** A thread's buffers for the calls that need one: no allocation per call. */
    private static final class Scratch {
        /** Offsets in the block: a sigset_t at 0, then an int status, then the errno capture. */
        static final int STATUS = SIGSET_BYTES, CAPTURED = SIGSET_BYTES + 8;
        final MemorySegment block = Arena.ofAuto().allocate(CAPTURED + CAPTURE.byteSize(), 8);
        final ByteBuffer view = view(block);
        final MemorySegment capture = block.asSlice(CAPTURED, CAPTURE.byteSize());

        /** errno as captured by the last call that was given {@link #capture}. */
        int errno() {
            return view.getInt(CAPTURED + (int) ERRNO_OFFSET);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>() {
        @Override protected Scratch initialValue() {
            return new Scratch();
        }
    };

    // the main loop's, reused for every signal: sigtimedwait's set, siginfo and timespec
    private static final int WAIT_INFO = SIGSET_BYTES, WAIT_TIMEOUT = SIGSET_BYTES + SIGINFO_BYTES;
    private final MemorySegment waitBlock = Arena.ofAuto().allocate(WAIT_TIMEOUT + 16, 8);
    private final ByteBuffer wait = view(waitBlock);
    private int lastSender;

    @Override public String name() { return "ffm"; }

    @Override public int getpid() { return (int) call(GETPID, 0, 0, 0); }

    @Override public int getppid() { return (int) call(GETPPID, 0, 0, 0); }

    @Override public int getuid() { return (int) call(GETUID, 0, 0, 0); }

    @Override public int setChildSubreaper() {
        return prctl(PR_SET_CHILD_SUBREAPER, 1);
    }

    @Override public int setParentDeathSignal(int sig) {
        return prctl(PR_SET_PDEATHSIG, sig);
    }

    /**
     * prctl(option, arg, 0, 0, 0). prctl is variadic, and {@link #CALL} is not: on x86-64 a C
     * caller of a variadic function sets %al to the number of vector registers used, which the
     * non-variadic downcall (JDK 22-25) leaves unspecified. That is harmless in practice: libc's
     * prctl is a system call stub or a small C function that takes only unsigned long variadic
     * arguments, which compilers build without reading %al (glibc 2.36's saves no vector
     * registers at all); a prologue that does save them tests %al against zero only, so any
     * value is safe. On aarch64 Linux variadic arguments are passed like the others. Linking
     * with {@code firstVariadicArg(1)}, as CALL's option or as a handle of its own, was measured
     * at 8-10 ms more CPU at start-up, where prctl is called whenever jinit is not PID 1.
     */
    private static int prctl(int option, long arg) {
        Scratch s = SCRATCH.get();
        return check((int) call(s.capture, PRCTL, option, arg, 0, 0, 0, 0), s);
    }

    @Override public long blockedSignals() {
        Scratch s = SCRATCH.get();
        sigset(s.view, 0);
        int rc = (int) call(PTHREAD_SIGMASK, SIG_BLOCK, 0 /* NULL */, s.block.address());
        return rc == 0 ? s.view.getLong(0) : 0;
    }

    @Override public int blockSignals(long set) {
        Scratch s = SCRATCH.get();
        sigset(s.view, set);
        int rc = (int) call(PTHREAD_SIGMASK, SIG_BLOCK, s.block.address(), 0 /* NULL */);
        return rc == 0 ? 0 : -rc;
    }

    @Override public int ignoreSignal(int sig) {
        Scratch s = SCRATCH.get();
        long old = call(s.capture, SIGNAL, sig, 1 /* SIG_IGN */, 0, 0, 0, 0);
        return old == -1L /* SIG_ERR */ ? -s.errno() : 0;
    }

    @Override public int waitSignal(long set, long timeoutNanos) {
        long at = waitBlock.address();
        wait.putLong(0, set); // the rest of the set stays zero
        long timeout = 0; // NULL: no limit
        if (timeoutNanos >= 0) {
            wait.putLong(WAIT_TIMEOUT, timeoutNanos / 1_000_000_000L);
            wait.putLong(WAIT_TIMEOUT + 8, timeoutNanos % 1_000_000_000L);
            timeout = at + WAIT_TIMEOUT;
        }
        int sig = (int) call(SIGTIMEDWAIT, at, at + WAIT_INFO, timeout);
        if (sig <= 0) return 0; // EAGAIN (timeout) or EINTR
        lastSender = wait.getInt(WAIT_INFO + SI_PID);
        return sig;
    }

    @Override public int lastSignalSender() { return lastSender; }

    @Override public int kill(int pid, int sig) {
        Scratch s = SCRATCH.get();
        return check((int) call(s.capture, KILL, pid, sig, 0, 0, 0, 0), s);
    }

    @Override public void exit(int code) {
        call(EXIT, code, 0, 0);
        Runtime.getRuntime().halt(code); // not reached
    }

    @Override public int getpgid(int pid) {
        Scratch s = SCRATCH.get();
        return check((int) call(s.capture, GETPGID, pid, 0, 0, 0, 0, 0), s);
    }

    @Override public long reapAny() {
        Scratch s = SCRATCH.get();
        int pid = (int) call(s.capture, WAITPID, -1, s.block.address() + Scratch.STATUS, WNOHANG, 0, 0, 0);
        if (pid < 0) return -s.errno();
        return pid == 0 ? 0 : Native.reaped(pid, s.view.getInt(Scratch.STATUS));
    }

    @Override public int spawn(SpawnRequest r) {
        if (ACTIONS_ADDCLOSEFROM == null || (r.ttyFd() >= 0 && ACTIONS_ADDTCSETPGRP == null)) return -ENOSYS;
        try (Arena arena = Arena.ofConfined()) {
            long attr = arena.allocate(SPAWNATTR_BYTES, 16).address();
            long actions = arena.allocate(FILE_ACTIONS_BYTES, 16).address();
            int rc = (int) call(SPAWNATTR_INIT, attr, 0, 0);
            if (rc != 0) return -rc;
            rc = (int) call(ACTIONS_INIT, actions, 0, 0);
            if (rc != 0) {
                call(SPAWNATTR_DESTROY, attr, 0, 0);
                return -rc;
            }
            try {
                rc = (int) call(SPAWNATTR_SETFLAGS, attr, r.flags(), 0);
                if (rc == 0) rc = (int) call(SPAWNATTR_SETSIGMASK, attr, sigset(arena, r.sigmask()), 0);
                if (rc == 0) rc = (int) call(SPAWNATTR_SETSIGDEFAULT, attr, sigset(arena, r.sigdefault()), 0);
                if (rc == 0 && r.ownGroup()) rc = (int) call(SPAWNATTR_SETPGROUP, attr, 0, 0);
                for (int fd : r.closeBelow()) if (rc == 0) rc = (int) call(ACTIONS_ADDCLOSE, actions, fd, 0);
                if (rc == 0) rc = (int) call(ACTIONS_ADDCLOSEFROM, actions, r.closeFrom(), 0);
                if (rc == 0 && r.ttyFd() >= 0) rc = (int) call(ACTIONS_ADDTCSETPGRP, actions, r.ttyFd(), 0);
                if (rc != 0) return -rc;
                MemorySegment pid = arena.allocate(4, 4);
                rc = (int) call(NO_ERRNO, POSIX_SPAWNP, pid.address(), cString(arena, r.program()), actions, attr,
                    cStrings(arena, r.argv()), cStrings(arena, r.envp()));
                return rc == 0 ? view(pid).getInt(0) : -rc;
            } finally {
                call(ACTIONS_DESTROY, actions, 0, 0);
                call(SPAWNATTR_DESTROY, attr, 0, 0);
            }
        }
    }

    @Override public int execve(byte[] path, byte[][] argv, byte[][] envp) {
        Scratch s = SCRATCH.get();
        try (Arena arena = Arena.ofConfined()) {
            call(s.capture, EXECVE, cString(arena, path), cStrings(arena, argv), cStrings(arena, envp), 0, 0, 0);
            return -s.errno();
        }
    }

    @Override public boolean isatty(int fd) {
        return (int) call(ISATTY, fd, 0, 0) == 1;
    }

    @Override public int tcgetpgrp(int fd) {
        Scratch s = SCRATCH.get();
        return check((int) call(s.capture, TCGETPGRP, fd, 0, 0, 0, 0, 0), s);
    }

    @Override public byte[][] environment() {
        List<byte[]> out = new ArrayList<>();
        long env = view(ENVIRON, 8).getLong(0); // char **environ, NULL-terminated
        for (long at = env, entry; env != 0 && (entry = view(at, 8).getLong(0)) != 0; at += 8) {
            byte[] bytes = new byte[(int) call(STRLEN, entry, 0, 0)];
            view(entry, bytes.length).get(0, bytes);
            out.add(bytes);
        }
        return out.toArray(new byte[0][]);
    }

    // ---- Unix-domain sockets: FfmSockets, loaded on first use (never when the sockets are off)

    @Override public int unixSocket(int type) { return FfmSockets.socket(type); }

    @Override public int bind(int fd, byte[] path) { return FfmSockets.bind(fd, path); }

    @Override public int connect(int fd, byte[] path) { return FfmSockets.connect(fd, path); }

    @Override public int listen(int fd, int backlog) { return FfmSockets.listen(fd, backlog); }

    @Override public int accept(int fd) { return FfmSockets.accept(fd); }

    @Override public int peerCredentials(int fd, int[] out) { return FfmSockets.peerCredentials(fd, out); }

    @Override public int passCredentials(int fd) { return FfmSockets.passCredentials(fd); }

    @Override public int receive(int fd, byte[] buffer, int[] credentials) { return FfmSockets.receive(fd, buffer, credentials); }

    @Override public int read(int fd, byte[] buffer, int length) { return FfmSockets.read(fd, buffer, length); }

    @Override public int send(int fd, byte[] buffer, int offset, int length) { return FfmSockets.send(fd, buffer, offset, length); }

    @Override public int close(int fd) { return FfmSockets.close(fd); }

    @Override public int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        return FfmSockets.poll(fds, events, revents, count, timeoutMillis);
    }

    @Override public int umask(int mask) { return FfmSockets.umask(mask); }

    /** fn(a, b, c), its errno not wanted (and the arguments it does not take ignored). */
    private static long call(MemorySegment fn, long a, long b, long c) {
        return call(NO_ERRNO, fn, a, b, c, 0, 0, 0);
    }

    /** fn(a, b, c, d, e, f) through {@link #CALL}, its errno left in {@code capture}. */
    private static long call(MemorySegment capture, MemorySegment fn, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) CALL.invokeExact(fn, capture, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /**
     * errno's offset in {@link #CAPTURE}, found by walking its members: the same as
     * {@code byteOffset(groupElement("errno"))}, which spins method handles at start-up.
     */
    private static long errnoOffset() {
        long at = 0;
        for (MemoryLayout member : ((StructLayout) CAPTURE).memberLayouts()) {
            if ("errno".equals(member.name().orElse(null))) return at;
            at += member.byteSize();
        }
        throw new IllegalStateException("no errno in " + CAPTURE);
    }

    static MemorySegment symbol(String name) {
        MemorySegment symbol = LIBC.find(name).orElse(null);
        if (symbol == null) throw new UnsatisfiedLinkError("libc has no " + name);
        return symbol;
    }

    /** A call's result, or -errno when it returned -1. */
    private static int check(int rc, Scratch scratch) {
        return rc < 0 ? -scratch.errno() : rc;
    }

    /** A downcall threw: a linker or JVM failure, never a failed system call (that is -errno). */
    private static RuntimeException fatal(Throwable t) {
        if (t instanceof Error e) throw e;
        return t instanceof RuntimeException e ? e : new IllegalStateException("native call failed", t);
    }

    /**
     * A native-order ByteBuffer over the segment (or the size bytes at address): its absolute
     * get and put reach memory without the method handles MemorySegment.get and set spin.
     */
    private static ByteBuffer view(MemorySegment segment) {
        return segment.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private static ByteBuffer view(long address, long size) {
        return view(MemorySegment.ofAddress(address).reinterpret(size));
    }

    /** Fill the sigset_t at the start of the view with the signals of mask (see {@link Native}). */
    private static void sigset(ByteBuffer view, long mask) {
        view.putLong(0, mask);
        for (int at = 8; at < SIGSET_BYTES; at += 8) view.putLong(at, 0);
    }

    /** A sigset_t with the signals of mask: its address, valid while the arena is open. */
    private static long sigset(Arena arena, long mask) {
        MemorySegment set = arena.allocate(SIGSET_BYTES, 8);
        sigset(view(set), mask);
        return set.address();
    }

    /** A NUL-terminated copy of s: its address, valid while the arena is open. */
    private static long cString(Arena arena, byte[] s) {
        MemorySegment p = arena.allocate(s.length + 1L);
        view(p).put(0, s);
        return p.address();
    }

    /** A NULL-terminated char*[] whose strings live in the same block: its address, valid while the arena is open. */
    private static long cStrings(Arena arena, byte[][] strings) {
        int table = (strings.length + 1) * 8, size = table;
        for (byte[] s : strings) size += s.length + 1;
        MemorySegment block = arena.allocate(size, 8); // zeroed: the NULL entry and the NULs
        ByteBuffer view = view(block);
        int at = table;
        for (int i = 0; i < strings.length; i++) {
            view.put(at, strings[i]);
            view.putLong(i * 8, block.address() + at);
            at += strings[i].length + 1;
        }
        return block.address();
    }
}
