package jinit.sys;

import java.nio.ByteBuffer;

/**
 * The Unix-domain socket calls of {@link Native} (the control and notify sockets), once for
 * every backend: sockaddr_un, msghdr and its control messages, pollfd arrays, on top of a
 * backend's bare calls. Linux's constants and 64-bit layouts are the same on x86-64 and
 * aarch64, with glibc and with musl. Loaded only when a socket is on; each thread that uses
 * it gets one block of native memory for all of its calls.
 */
final class UnixSockets {
    static final int AF_UNIX = 1, SOL_SOCKET = 1, SO_PASSCRED = 16, SO_PEERCRED = 17;
    static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    static final int MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000,
        MSG_CMSG_CLOEXEC = 0x40000000;

    /** struct sockaddr_un: sa_family_t (2 bytes) and sun_path[108]. */
    static final int SOCKADDR_BYTES = 110, PATH_MAX = 108;
    /** struct msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
    static final int MSGHDR_BYTES = 56, MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32,
        MSG_CONTROLLEN = 40, MSG_FLAGS = 48;
    /** Room for SCM_CREDENTIALS and a few descriptors a sender might pass (which are closed). */
    static final int CONTROL_BYTES = 256;
    /** The largest datagram or read handled in one call. */
    static final int IO_BYTES = 65536;

    /** Offsets in a thread's block: sockaddr_un, msghdr, iovec, ucred, a length, control, data. */
    private static final int ADDR = 0, MSG = ADDR + 112, IOV = MSG + 64, CRED = IOV + 16, LEN = CRED + 16,
        CONTROL = LEN + 16, DATA = CONTROL + CONTROL_BYTES, BLOCK_BYTES = DATA + IO_BYTES;

    /** One thread's memory: the block, and a pollfd array grown as needed. */
    private static final class Buffers {
        final Block block;
        Block pollfds;
        int pollCapacity;

        Buffers(Block block) {
            this.block = block;
        }
    }

    private final Libc c;
    private final ThreadLocal<Buffers> buffers = new ThreadLocal<>() {
        @Override protected Buffers initialValue() {
            return new Buffers(c.allocate(BLOCK_BYTES));
        }
    };

    UnixSockets(Libc c) {
        this.c = c;
    }

    /** A call's result, or -errno when it returned -1. */
    private int check(long result) {
        return result < 0 ? -c.errno() : (int) result;
    }

    int socket(int type) {
        return check(c.socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    }

    int bind(int fd, byte[] path) {
        Block b = buffers.get().block;
        int length = sockaddr(b, path);
        return check(c.bind(fd, b.address + ADDR, length));
    }

    int connect(int fd, byte[] path) {
        Block b = buffers.get().block;
        int length = sockaddr(b, path);
        return check(c.connect(fd, b.address + ADDR, length));
    }

    int listen(int fd, int backlog) {
        return check(c.listen(fd, backlog));
    }

    int accept(int fd) {
        return check(c.accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC));
    }

    int peerCredentials(int fd, int[] out) {
        Block b = buffers.get().block;
        b.view.putInt(LEN, 12);
        int rc = check(c.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, b.address + CRED, b.address + LEN));
        if (rc < 0) return rc;
        out[0] = b.view.getInt(CRED);
        out[1] = b.view.getInt(CRED + 4);
        out[2] = b.view.getInt(CRED + 8);
        return 0;
    }

    int passCredentials(int fd) {
        Block b = buffers.get().block;
        b.view.putInt(LEN, 1);
        return check(c.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, b.address + LEN, 4));
    }

    /** See {@link Native#receive}. */
    int receive(int fd, byte[] buffer, int[] credentials) {
        Block b = buffers.get().block;
        ByteBuffer v = b.view;
        int room = Math.min(buffer.length, IO_BYTES);
        b.clear(MSG, MSGHDR_BYTES);
        b.clear(CONTROL, CONTROL_BYTES);
        v.putLong(IOV, b.address + DATA);
        v.putLong(IOV + 8, room);
        v.putLong(MSG + MSG_IOV, b.address + IOV);
        v.putLong(MSG + MSG_IOVLEN, 1);
        v.putLong(MSG + MSG_CONTROL, b.address + CONTROL);
        v.putLong(MSG + MSG_CONTROLLEN, CONTROL_BYTES);
        long n = c.recvmsg(fd, b.address + MSG, MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0) return -c.errno();
        int controlLength = (int) Math.min(v.getLong(MSG + MSG_CONTROLLEN), CONTROL_BYTES);
        control(v, controlLength, credentials);
        v.get(DATA, buffer, 0, (int) Math.min(n, room));
        boolean truncated = (v.getInt(MSG + MSG_FLAGS) & MSG_TRUNC) != 0;
        return truncated && n <= room ? room + 1 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    int read(int fd, byte[] buffer, int length) {
        Block b = buffers.get().block;
        int room = Math.min(length, IO_BYTES);
        long n = c.read(fd, b.address + DATA, room);
        if (n < 0) return -c.errno();
        b.view.get(DATA, buffer, 0, (int) n);
        return (int) n;
    }

    int send(int fd, byte[] buffer, int offset, int length) {
        Block b = buffers.get().block;
        int count = Math.min(length, IO_BYTES);
        b.view.put(DATA, buffer, offset, count);
        return check(c.send(fd, b.address + DATA, count, MSG_NOSIGNAL | MSG_DONTWAIT));
    }

    int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        Buffers buffers = this.buffers.get();
        if (buffers.pollCapacity < count) {
            if (buffers.pollfds != null) c.free(buffers.pollfds);
            buffers.pollCapacity = Math.max(64, count * 2);
            buffers.pollfds = c.allocate(buffers.pollCapacity * 8);
        }
        ByteBuffer p = buffers.pollfds.view;
        for (int i = 0; i < count; i++) {
            p.putInt(i * 8, fds[i]);
            p.putShort(i * 8 + 4, events[i]);
            p.putShort(i * 8 + 6, (short) 0);
        }
        int n = check(c.poll(buffers.pollfds.address, count, timeoutMillis));
        if (n < 0) return n;
        for (int i = 0; i < count; i++) revents[i] = p.getShort(i * 8 + 6);
        return n;
    }

    /** The sockaddr_un for a path (a leading NUL: an abstract address) at ADDR: its length. */
    private static int sockaddr(Block b, byte[] path) {
        if (path.length == 0 || path.length >= PATH_MAX) throw new IllegalArgumentException("socket path length " + path.length);
        b.clear(ADDR, 112);
        b.view.putShort(ADDR, (short) AF_UNIX);
        b.view.put(ADDR + 2, path);
        return 2 + path.length + (path[0] == 0 ? 0 : 1);
    }

    /**
     * Reads the control messages recvmsg left at CONTROL: the SCM_CREDENTIALS into {@code cred}
     * ({pid, uid, gid}, left at -1 when there are none); descriptors passed with SCM_RIGHTS are
     * closed at once.
     */
    private void control(ByteBuffer v, int length, int[] cred) {
        cred[0] = cred[1] = cred[2] = -1;
        for (int off = 0; off + 16 <= length; ) {
            long len = v.getLong(CONTROL + off); // struct cmsghdr: cmsg_len, cmsg_level, cmsg_type, data
            int level = v.getInt(CONTROL + off + 8), type = v.getInt(CONTROL + off + 12);
            if (len < 16 || off + len > length) break;
            if (level == SOL_SOCKET && type == SCM_CREDENTIALS && len >= 16 + 12) {
                for (int i = 0; i < 3; i++) cred[i] = v.getInt(CONTROL + off + 16 + 4 * i);
            } else if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (int k = 0; k < (len - 16) / 4; k++) c.close(v.getInt(CONTROL + off + 16 + 4 * k));
            }
            off += (int) ((len + 7) & ~7L);
        }
    }
}
