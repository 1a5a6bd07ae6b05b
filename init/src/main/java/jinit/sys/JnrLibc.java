package jinit.sys;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Variable;
import jnr.ffi.annotations.SaveError;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The JDK 17-21 backend's calls: libc through jnr-ffi, pointers passed as 64-bit addresses.
 * Native memory is direct ByteBuffers (freed by the garbage collector), their addresses from
 * jffi. The socket functions are a binding of their own, generated on first use
 * ({@link Sockets}), so jinit without the sockets never generates it.
 */
final class JnrLibc extends Libc {

    /** The libc functions, as C declares them (pointers as {@code long}). */
    public interface C {
        int getpid();
        int getppid();
        int getuid();
        @SaveError int prctl(int option, long arg2, long arg3, long arg4, long arg5);
        int pthread_sigmask(int how, long set, long old);
        @SaveError int sigaction(int sig, long act, long old);
        @SaveError int sigtimedwait(long set, long info, long timeout);
        @SaveError int kill(int pid, int sig);
        @SaveError int getpgid(int pid);
        @SaveError int waitpid(int pid, long status, int options);
        @SaveError int execve(long path, long argv, long envp);
        int isatty(int fd);
        @SaveError int tcgetpgrp(int fd);
        @SaveError int tcsetpgrp(int fd, int pgrp);
        void _exit(int code);
        long strlen(long s);
        Variable<Long> environ();
        int posix_spawnattr_init(long attr);
        int posix_spawnattr_destroy(long attr);
        int posix_spawnattr_setflags(long attr, short flags);
        int posix_spawnattr_setpgroup(long attr, int pgroup);
        int posix_spawnattr_setsigmask(long attr, long set);
        int posix_spawnattr_setsigdefault(long attr, long set);
        int posix_spawn_file_actions_init(long actions);
        int posix_spawn_file_actions_destroy(long actions);
        int posix_spawn_file_actions_addclose(long actions, int fd);
        int posix_spawn_file_actions_addclosefrom_np(long actions, int from);
        int posix_spawn_file_actions_addtcsetpgrp_np(long actions, int fd);
        /** envp a Pointer: jnr's all-long path for six arguments passes the sixth wrongly (execve got EFAULT). */
        int posix_spawnp(long pid, long file, long actions, long attr, long argv, Pointer envp);
        @SaveError long syscall(long number, long a, long b, long c);
        @SaveError int open(long path, int flags);
        @SaveError long read(int fd, long buffer, long count);
        @SaveError int close(int fd);
        @SaveError int fcntl(int fd, int cmd);
        @SaveError long readlink(long path, long buffer, long size);
        @SaveError long opendir(long path);
        @SaveError long readdir(long dir);
        @SaveError int closedir(long dir);
        int umask(int mask);
    }

    /** The libc socket functions. */
    public interface SocketCalls {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int bind(int fd, long address, int length);
        @SaveError int connect(int fd, long address, int length);
        @SaveError int listen(int fd, int backlog);
        @SaveError int accept4(int fd, long address, long length, int flags);
        @SaveError int getsockopt(int fd, int level, int name, long value, long length);
        @SaveError int setsockopt(int fd, int level, int name, long value, int length);
        @SaveError long recvmsg(int fd, long msg, int flags);
        @SaveError long send(int fd, long buffer, long count, int flags);
        @SaveError int poll(long fds, long count, int timeout);
    }

    /** The socket binding, generated when the first socket call is made. */
    private static final class Sockets {
        static final SocketCalls C = LibraryLoader.create(SocketCalls.class).load("c");
    }

    private static final int ENOSYS = 38, SYS_CLOSE_RANGE = 436;

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
            java.io.File jar = new java.io.File(JnrLibc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.io.File dir = new java.io.File(jar.getParentFile(), "native");
            if (dir.isDirectory()) System.setProperty("jffi.boot.library.path", dir.getPath());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source: jffi extracts its stub as it always does
        }
    }

    private final C c = LibraryLoader.create(C.class).load("c");
    private final Runtime runtime = Runtime.getRuntime(c);
    private final MemoryIO memory = MemoryIO.getInstance();

    @Override String name() { return "jnr"; }

    @Override int errno() { return runtime.getLastError(); }

    // ---- memory

    @Override Block allocate(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes + 16); // zeroed; 16 more to align the start
        long raw = memory.getDirectBufferAddress(buffer), address = (raw + 15) & ~15L;
        ByteBuffer view = buffer.position((int) (address - raw)).slice().order(ByteOrder.nativeOrder());
        return new Block(address, view, buffer);
    }

    @Override void free(Block block) {
        Reference.reachabilityFence(block);
    }

    @Override ByteBuffer view(long address, int bytes) {
        return memory.newDirectByteBuffer(address, bytes).order(ByteOrder.nativeOrder());
    }

    @Override long environ() { return c.environ().get(); }

    @Override long strlen(long s) { return c.strlen(s); }

    // ---- processes and signals

    @Override int getpid() { return c.getpid(); }

    @Override int getppid() { return c.getppid(); }

    @Override int getuid() { return c.getuid(); }

    @Override int prctl(int option, long arg) { return c.prctl(option, arg, 0, 0, 0); }

    @Override int pthread_sigmask(int how, long set, long old) { return c.pthread_sigmask(how, set, old); }

    @Override int sigaction(int sig, long act, long old) { return c.sigaction(sig, act, old); }

    @Override int sigtimedwait(long set, long info, long timeout) { return c.sigtimedwait(set, info, timeout); }

    @Override int kill(int pid, int sig) { return c.kill(pid, sig); }

    @Override int getpgid(int pid) { return c.getpgid(pid); }

    @Override int waitpid(int pid, long status, int options) { return c.waitpid(pid, status, options); }

    @Override int execve(long path, long argv, long envp) { return c.execve(path, argv, envp); }

    @Override int isatty(int fd) { return c.isatty(fd); }

    @Override int tcgetpgrp(int fd) { return c.tcgetpgrp(fd); }

    @Override int tcsetpgrp(int fd, int pgrp) { return c.tcsetpgrp(fd, pgrp); }

    @Override void exit(int code) {
        c._exit(code);
        java.lang.Runtime.getRuntime().halt(code); // not reached
    }

    // ---- posix_spawn

    @Override int posix_spawnattr_init(long attr) { return c.posix_spawnattr_init(attr); }

    @Override int posix_spawnattr_destroy(long attr) { return c.posix_spawnattr_destroy(attr); }

    @Override int posix_spawnattr_setflags(long attr, int flags) { return c.posix_spawnattr_setflags(attr, (short) flags); }

    @Override int posix_spawnattr_setpgroup(long attr, int pgroup) { return c.posix_spawnattr_setpgroup(attr, pgroup); }

    @Override int posix_spawnattr_setsigmask(long attr, long set) { return c.posix_spawnattr_setsigmask(attr, set); }

    @Override int posix_spawnattr_setsigdefault(long attr, long set) { return c.posix_spawnattr_setsigdefault(attr, set); }

    @Override int posix_spawn_file_actions_init(long actions) { return c.posix_spawn_file_actions_init(actions); }

    @Override int posix_spawn_file_actions_destroy(long actions) { return c.posix_spawn_file_actions_destroy(actions); }

    @Override int posix_spawn_file_actions_addclose(long actions, int fd) { return c.posix_spawn_file_actions_addclose(actions, fd); }

    @Override int posix_spawn_file_actions_addclosefrom_np(long actions, int from) {
        try {
            return c.posix_spawn_file_actions_addclosefrom_np(actions, from);
        } catch (UnsatisfiedLinkError e) {
            return ENOSYS; // glibc before 2.34
        }
    }

    @Override int posix_spawn_file_actions_addtcsetpgrp_np(long actions, int fd) {
        try {
            return c.posix_spawn_file_actions_addtcsetpgrp_np(actions, fd);
        } catch (UnsatisfiedLinkError e) {
            return ENOSYS; // glibc before 2.35
        }
    }

    @Override int posix_spawnp(long pid, long file, long actions, long attr, long argv, long envp) {
        return c.posix_spawnp(pid, file, actions, attr, argv, Pointer.wrap(runtime, envp));
    }

    @Override int close_range(int first, int flags) { return (int) c.syscall(SYS_CLOSE_RANGE, first, 0xffffffffL, flags); }

    // ---- files

    @Override int open(long path, int flags) { return c.open(path, flags); }

    @Override long read(int fd, long buffer, long count) { return c.read(fd, buffer, count); }

    @Override int close(int fd) { return c.close(fd); }

    @Override int fcntl(int fd, int cmd) { return c.fcntl(fd, cmd); }

    @Override long readlink(long path, long buffer, long size) { return c.readlink(path, buffer, size); }

    @Override long opendir(long path) { return c.opendir(path); }

    @Override long readdir(long dir) { return c.readdir(dir); }

    @Override int closedir(long dir) { return c.closedir(dir); }

    // ---- Unix-domain sockets

    @Override int socket(int domain, int type, int protocol) { return Sockets.C.socket(domain, type, protocol); }

    @Override int bind(int fd, long address, int length) { return Sockets.C.bind(fd, address, length); }

    @Override int connect(int fd, long address, int length) { return Sockets.C.connect(fd, address, length); }

    @Override int listen(int fd, int backlog) { return Sockets.C.listen(fd, backlog); }

    @Override int accept4(int fd, long address, long length, int flags) { return Sockets.C.accept4(fd, address, length, flags); }

    @Override int getsockopt(int fd, int level, int name, long value, long length) {
        return Sockets.C.getsockopt(fd, level, name, value, length);
    }

    @Override int setsockopt(int fd, int level, int name, long value, int length) {
        return Sockets.C.setsockopt(fd, level, name, value, length);
    }

    @Override long recvmsg(int fd, long msg, int flags) { return Sockets.C.recvmsg(fd, msg, flags); }

    @Override long send(int fd, long buffer, long count, int flags) { return Sockets.C.send(fd, buffer, count, flags); }

    @Override int poll(long fds, long count, int timeout) { return Sockets.C.poll(fds, count, timeout); }

    @Override int umask(int mask) { return c.umask(mask); }
}
