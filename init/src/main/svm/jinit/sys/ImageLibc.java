package jinit.sys;

import org.graalvm.nativeimage.UnmanagedMemory;
import org.graalvm.nativeimage.c.function.CFunction;
import org.graalvm.nativeimage.c.type.CIntPointer;
import org.graalvm.nativeimage.c.type.CTypeConversion;
import org.graalvm.word.PointerBase;
import org.graalvm.word.WordFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native executable's calls: the C library through GraalVM's C interface
 * ({@code @CFunction}), linked into the executable (fully static with musl). Used only in the
 * image: these classes cannot run on a JVM. Native memory is malloc'd ({@link UnmanagedMemory})
 * and read through direct ByteBuffers over it.
 *
 * <p>musl has neither of glibc's closefrom and tcsetpgrp spawn actions: they answer ENOSYS
 * here, and {@link LibcNative} does without them. errno is read through
 * {@code __errno_location}, which glibc and musl both have, right after the call.
 */
final class ImageLibc extends Libc {
    private static final int ENOSYS = 38, SYS_CLOSE_RANGE = 436, AT_BASE = 7, CS_GNU_LIBC_VERSION = 2;

    /** The C functions, as C declares them (pointers as 64-bit addresses). */
    private static final class C {
        @CFunction(value = "__errno_location", transition = CFunction.Transition.NO_TRANSITION)
        static native CIntPointer errnoLocation();

        /** svm's own C helper (libchelper, linked into every image): the value of {@code environ}. */
        @CFunction(value = "getEnviron", transition = CFunction.Transition.NO_TRANSITION)
        static native long environ();

        @CFunction static native long strlen(long s);
        @CFunction static native long getauxval(long type);
        @CFunction static native long confstr(int name, long buffer, long length);
        @CFunction static native int getpid();
        @CFunction static native int getppid();
        @CFunction static native int getuid();
        @CFunction static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);
        @CFunction static native int pthread_sigmask(int how, long set, long old);
        @CFunction static native int sigaction(int sig, long act, long old);
        @CFunction static native int sigtimedwait(long set, long info, long timeout);
        @CFunction static native int kill(int pid, int sig);
        @CFunction static native int getpgid(int pid);
        @CFunction static native int waitpid(int pid, long status, int options);
        @CFunction static native int execve(long path, long argv, long envp);
        @CFunction static native int isatty(int fd);
        @CFunction static native int tcgetpgrp(int fd);
        @CFunction static native int tcsetpgrp(int fd, int pgrp);
        @CFunction("_exit") static native void exit(int code);
        @CFunction static native int posix_spawnattr_init(long attr);
        @CFunction static native int posix_spawnattr_destroy(long attr);
        @CFunction static native int posix_spawnattr_setflags(long attr, short flags);
        @CFunction static native int posix_spawnattr_setpgroup(long attr, int pgroup);
        @CFunction static native int posix_spawnattr_setsigmask(long attr, long set);
        @CFunction static native int posix_spawnattr_setsigdefault(long attr, long set);
        @CFunction static native int posix_spawn_file_actions_init(long actions);
        @CFunction static native int posix_spawn_file_actions_destroy(long actions);
        @CFunction static native int posix_spawn_file_actions_addclose(long actions, int fd);
        @CFunction static native int posix_spawnp(long pid, long file, long actions, long attr, long argv, long envp);
        @CFunction static native long syscall(long number, long a, long b, long c);
        @CFunction static native int open(long path, int flags);
        @CFunction static native long read(int fd, long buffer, long count);
        @CFunction static native int close(int fd);
        @CFunction static native int fcntl(int fd, int cmd);
        @CFunction static native long readlink(long path, long buffer, long size);
        @CFunction static native long opendir(long path);
        @CFunction static native long readdir(long dir);
        @CFunction static native int closedir(long dir);
        @CFunction static native int socket(int domain, int type, int protocol);
        @CFunction static native int bind(int fd, long address, int length);
        @CFunction static native int connect(int fd, long address, int length);
        @CFunction static native int listen(int fd, int backlog);
        @CFunction static native int accept4(int fd, long address, long length, int flags);
        @CFunction static native int getsockopt(int fd, int level, int name, long value, long length);
        @CFunction static native int setsockopt(int fd, int level, int name, long value, int length);
        @CFunction static native long recvmsg(int fd, long msg, int flags);
        @CFunction static native long send(int fd, long buffer, long count, int flags);
        @CFunction static native int poll(long fds, long count, int timeout);
        @CFunction static native int umask(int mask);
    }

    @Override String name() { return "native"; }

    /** "native executable, static musl": whether a dynamic loader ran us (AT_BASE), and which C library. */
    @Override String runtime() {
        String linking = C.getauxval(AT_BASE) == 0 ? "static" : "dynamic";
        Block b = allocate(64);
        try {
            long n = C.confstr(CS_GNU_LIBC_VERSION, b.address, 64); // "glibc 2.36"; musl has no such name
            String libc = n > 1 && n <= 64 ? new String(bytes(b, (int) n - 1), java.nio.charset.StandardCharsets.US_ASCII) : "musl";
            return "native executable, " + linking + " " + libc;
        } finally {
            free(b);
        }
    }

    @Override int errno() { return C.errnoLocation().read(); }

    // ---- memory

    @Override Block allocate(int bytes) {
        PointerBase p = UnmanagedMemory.calloc(bytes);
        if (p.isNull()) throw new OutOfMemoryError("calloc(" + bytes + ")");
        return new Block(p.rawValue(), CTypeConversion.asByteBuffer(p, bytes).order(ByteOrder.nativeOrder()), null);
    }

    @Override void free(Block block) {
        UnmanagedMemory.free(WordFactory.pointer(block.address));
    }

    @Override ByteBuffer view(long address, int bytes) {
        return CTypeConversion.asByteBuffer(WordFactory.pointer(address), bytes).order(ByteOrder.nativeOrder());
    }

    @Override long environ() { return C.environ(); }

    @Override long strlen(long s) { return C.strlen(s); }

    // ---- processes and signals

    @Override int getpid() { return C.getpid(); }

    @Override int getppid() { return C.getppid(); }

    @Override int getuid() { return C.getuid(); }

    @Override int prctl(int option, long arg) { return C.prctl(option, arg, 0, 0, 0); }

    @Override int pthread_sigmask(int how, long set, long old) { return C.pthread_sigmask(how, set, old); }

    @Override int sigaction(int sig, long act, long old) { return C.sigaction(sig, act, old); }

    @Override int sigtimedwait(long set, long info, long timeout) { return C.sigtimedwait(set, info, timeout); }

    @Override int kill(int pid, int sig) { return C.kill(pid, sig); }

    @Override int getpgid(int pid) { return C.getpgid(pid); }

    @Override int waitpid(int pid, long status, int options) { return C.waitpid(pid, status, options); }

    @Override int execve(long path, long argv, long envp) { return C.execve(path, argv, envp); }

    @Override int isatty(int fd) { return C.isatty(fd); }

    @Override int tcgetpgrp(int fd) { return C.tcgetpgrp(fd); }

    @Override int tcsetpgrp(int fd, int pgrp) { return C.tcsetpgrp(fd, pgrp); }

    @Override void exit(int code) { C.exit(code); }

    // ---- posix_spawn

    @Override int posix_spawnattr_init(long attr) { return C.posix_spawnattr_init(attr); }

    @Override int posix_spawnattr_destroy(long attr) { return C.posix_spawnattr_destroy(attr); }

    @Override int posix_spawnattr_setflags(long attr, int flags) { return C.posix_spawnattr_setflags(attr, (short) flags); }

    @Override int posix_spawnattr_setpgroup(long attr, int pgroup) { return C.posix_spawnattr_setpgroup(attr, pgroup); }

    @Override int posix_spawnattr_setsigmask(long attr, long set) { return C.posix_spawnattr_setsigmask(attr, set); }

    @Override int posix_spawnattr_setsigdefault(long attr, long set) { return C.posix_spawnattr_setsigdefault(attr, set); }

    @Override int posix_spawn_file_actions_init(long actions) { return C.posix_spawn_file_actions_init(actions); }

    @Override int posix_spawn_file_actions_destroy(long actions) { return C.posix_spawn_file_actions_destroy(actions); }

    @Override int posix_spawn_file_actions_addclose(long actions, int fd) { return C.posix_spawn_file_actions_addclose(actions, fd); }

    /** musl has none: LibcNative does without. */
    @Override int posix_spawn_file_actions_addclosefrom_np(long actions, int from) { return ENOSYS; }

    /** musl has none: LibcNative does without. */
    @Override int posix_spawn_file_actions_addtcsetpgrp_np(long actions, int fd) { return ENOSYS; }

    @Override int posix_spawnp(long pid, long file, long actions, long attr, long argv, long envp) {
        return C.posix_spawnp(pid, file, actions, attr, argv, envp);
    }

    @Override int close_range(int first, int flags) { return (int) C.syscall(SYS_CLOSE_RANGE, first, 0xffffffffL, flags); }

    // ---- files

    @Override int open(long path, int flags) { return C.open(path, flags); }

    @Override long read(int fd, long buffer, long count) { return C.read(fd, buffer, count); }

    @Override int close(int fd) { return C.close(fd); }

    @Override int fcntl(int fd, int cmd) { return C.fcntl(fd, cmd); }

    @Override long readlink(long path, long buffer, long size) { return C.readlink(path, buffer, size); }

    @Override long opendir(long path) { return C.opendir(path); }

    @Override long readdir(long dir) { return C.readdir(dir); }

    @Override int closedir(long dir) { return C.closedir(dir); }

    // ---- Unix-domain sockets

    @Override int socket(int domain, int type, int protocol) { return C.socket(domain, type, protocol); }

    @Override int bind(int fd, long address, int length) { return C.bind(fd, address, length); }

    @Override int connect(int fd, long address, int length) { return C.connect(fd, address, length); }

    @Override int listen(int fd, int backlog) { return C.listen(fd, backlog); }

    @Override int accept4(int fd, long address, long length, int flags) { return C.accept4(fd, address, length, flags); }

    @Override int getsockopt(int fd, int level, int name, long value, long length) { return C.getsockopt(fd, level, name, value, length); }

    @Override int setsockopt(int fd, int level, int name, long value, int length) { return C.setsockopt(fd, level, name, value, length); }

    @Override long recvmsg(int fd, long msg, int flags) { return C.recvmsg(fd, msg, flags); }

    @Override long send(int fd, long buffer, long count, int flags) { return C.send(fd, buffer, count, flags); }

    @Override int poll(long fds, long count, int timeout) { return C.poll(fds, count, timeout); }

    @Override int umask(int mask) { return C.umask(mask); }

    private static byte[] bytes(Block b, int n) {
        byte[] out = new byte[n];
        b.view.get(0, out);
        return out;
    }
}
