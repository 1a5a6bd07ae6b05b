package jinit.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * {@link JnrNative}'s Unix-domain socket calls (the control and notify sockets): a jnr-ffi
 * binding of its own, generated only when a socket is on, so jinit without them never loads
 * it. Each thread that uses these calls gets one native buffer for all of them.
 */
final class JnrSockets {
    private JnrSockets() {}

    /** The libc socket calls. */
    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int bind(int fd, Pointer addr, int length);
        @SaveError int connect(int fd, Pointer addr, int length);
        @SaveError int listen(int fd, int backlog);
        @SaveError int accept4(int fd, Pointer addr, Pointer length, int flags);
        @SaveError int getsockopt(int fd, int level, int name, Pointer value, Pointer length);
        @SaveError int setsockopt(int fd, int level, int name, Pointer value, int length);
        @SaveError long recvmsg(int fd, Pointer msg, int flags);
        @SaveError long read(int fd, Pointer buffer, long count);
        @SaveError long send(int fd, Pointer buffer, long count, int flags);
        @SaveError int close(int fd);
        @SaveError int poll(Pointer fds, long count, int timeout);
        int umask(int mask);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    /** One thread's buffers: sockaddr_un, msghdr + iovec, ucred, control, data. */
    private static final class Buffers {
        static final int ADDR = 0, MSG = ADDR + 112, IOV = MSG + 64, CRED = IOV + 16, LEN = CRED + 16,
            CONTROL = LEN + 16, DATA = CONTROL + UnixSockets.CONTROL_BYTES;
        final Pointer block = Memory.allocateDirect(RUNTIME, DATA + UnixSockets.IO_BYTES, true);
        Pointer pollfds = Memory.allocateDirect(RUNTIME, 64 * 8, true);
        int pollCapacity = 64;

        Pointer sockaddr(byte[] path, int[] length) {
            byte[] a = UnixSockets.sockaddr(path, length);
            block.put(ADDR, a, 0, a.length);
            return block.slice(ADDR, a.length);
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>() {
        @Override protected Buffers initialValue() {
            return new Buffers();
        }
    };

    private static int check(int rc) {
        return rc < 0 ? -RUNTIME.getLastError() : rc;
    }

    static int socket(int type) {
        return check(LIBC.socket(UnixSockets.AF_UNIX, type | UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC, 0));
    }

    static int bind(int fd, byte[] path) {
        int[] len = new int[1];
        Pointer addr = BUFFERS.get().sockaddr(path, len);
        return check(LIBC.bind(fd, addr, len[0]));
    }

    static int connect(int fd, byte[] path) {
        int[] len = new int[1];
        Pointer addr = BUFFERS.get().sockaddr(path, len);
        return check(LIBC.connect(fd, addr, len[0]));
    }

    static int listen(int fd, int backlog) {
        return check(LIBC.listen(fd, backlog));
    }

    static int accept(int fd) {
        return check(LIBC.accept4(fd, null, null, UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC));
    }

    static int peerCredentials(int fd, int[] out) {
        Pointer b = BUFFERS.get().block;
        b.putInt(Buffers.LEN, 12);
        int rc = check(LIBC.getsockopt(fd, UnixSockets.SOL_SOCKET, UnixSockets.SO_PEERCRED, b.slice(Buffers.CRED, 12), b.slice(Buffers.LEN, 4)));
        if (rc < 0) return rc;
        out[0] = b.getInt(Buffers.CRED);
        out[1] = b.getInt(Buffers.CRED + 4);
        out[2] = b.getInt(Buffers.CRED + 8);
        return 0;
    }

    static int passCredentials(int fd) {
        Pointer b = BUFFERS.get().block;
        b.putInt(Buffers.LEN, 1);
        return check(LIBC.setsockopt(fd, UnixSockets.SOL_SOCKET, UnixSockets.SO_PASSCRED, b.slice(Buffers.LEN, 4), 4));
    }

    static int receive(int fd, byte[] buffer, int[] credentials) {
        Pointer b = BUFFERS.get().block;
        int room = Math.min(buffer.length, UnixSockets.IO_BYTES);
        b.setMemory(Buffers.MSG, UnixSockets.MSGHDR_BYTES, (byte) 0);
        b.setMemory(Buffers.CONTROL, UnixSockets.CONTROL_BYTES, (byte) 0);
        b.putAddress(Buffers.IOV, b.address() + Buffers.DATA);
        b.putLong(Buffers.IOV + 8, room);
        b.putAddress(Buffers.MSG + UnixSockets.MSG_IOV, b.address() + Buffers.IOV);
        b.putLong(Buffers.MSG + UnixSockets.MSG_IOVLEN, 1);
        b.putAddress(Buffers.MSG + UnixSockets.MSG_CONTROL, b.address() + Buffers.CONTROL);
        b.putLong(Buffers.MSG + UnixSockets.MSG_CONTROLLEN, UnixSockets.CONTROL_BYTES);
        long n = LIBC.recvmsg(fd, b.slice(Buffers.MSG, UnixSockets.MSGHDR_BYTES),
            UnixSockets.MSG_TRUNC | UnixSockets.MSG_DONTWAIT | UnixSockets.MSG_CMSG_CLOEXEC);
        if (n < 0) return -RUNTIME.getLastError();
        int controlLength = (int) Math.min(b.getLong(Buffers.MSG + UnixSockets.MSG_CONTROLLEN), UnixSockets.CONTROL_BYTES);
        byte[] c = new byte[controlLength];
        b.get(Buffers.CONTROL, c, 0, controlLength);
        for (int passed : UnixSockets.parseControl(c, controlLength, credentials)) LIBC.close(passed);
        b.get(Buffers.DATA, buffer, 0, (int) Math.min(n, room));
        boolean truncated = (b.getInt(Buffers.MSG + UnixSockets.MSG_FLAGS) & UnixSockets.MSG_TRUNC) != 0;
        return truncated && n <= room ? room + 1 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    static int read(int fd, byte[] buffer, int length) {
        Pointer b = BUFFERS.get().block;
        int room = Math.min(length, UnixSockets.IO_BYTES);
        long n = LIBC.read(fd, b.slice(Buffers.DATA, room), room);
        if (n < 0) return -RUNTIME.getLastError();
        b.get(Buffers.DATA, buffer, 0, (int) n);
        return (int) n;
    }

    static int send(int fd, byte[] buffer, int offset, int length) {
        Pointer b = BUFFERS.get().block;
        int count = Math.min(length, UnixSockets.IO_BYTES);
        b.put(Buffers.DATA, buffer, offset, count);
        long n = LIBC.send(fd, b.slice(Buffers.DATA, count), count, UnixSockets.MSG_NOSIGNAL | UnixSockets.MSG_DONTWAIT);
        return n < 0 ? -RUNTIME.getLastError() : (int) n;
    }

    static int close(int fd) {
        return check(LIBC.close(fd));
    }

    static int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        Buffers buffers = BUFFERS.get();
        if (buffers.pollCapacity < count) {
            buffers.pollCapacity = count * 2;
            buffers.pollfds = Memory.allocateDirect(RUNTIME, buffers.pollCapacity * 8L, true);
        }
        Pointer p = buffers.pollfds;
        for (int i = 0; i < count; i++) {
            p.putInt(i * 8L, fds[i]);
            p.putShort(i * 8L + 4, events[i]);
            p.putShort(i * 8L + 6, (short) 0);
        }
        int n = LIBC.poll(p, count, timeoutMillis);
        if (n < 0) return -RUNTIME.getLastError();
        for (int i = 0; i < count; i++) revents[i] = p.getShort(i * 8L + 6);
        return n;
    }

    static int umask(int mask) {
        return LIBC.umask(mask);
    }
}
