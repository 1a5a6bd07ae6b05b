package jinit.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;


/**
 * {@link FfmNative}'s Unix-domain socket calls (the control and notify sockets). A class of its
 * own, so that jinit without the sockets never loads it.
 *
 * <p>It calls libc as FfmNative does: through one downcall handle of FfmNative's shape (six
 * 64-bit arguments, a 64-bit result, errno captured; see FfmNative for why that is ABI-safe
 * for these non-variadic functions). The linker caches stubs by shape, so linking it generates
 * nothing new, where a handle per socket call cost about 6 ms each at start-up. Native memory
 * is read and written through a ByteBuffer view, not MemorySegment.get/set (whose first use
 * spins method handles). Each thread that uses these calls gets one buffer for all of them (the
 * socket thread is the only one in jinit, after the main thread's set-up).
 */
final class FfmSockets {
    private FfmSockets() {}

    /** FfmNative's one downcall handle and errno layout: no new stub for the sockets. */
    private static final MemoryLayout CAPTURE = FfmNative.CAPTURE;
    private static final int ERRNO_OFFSET = (int) FfmNative.ERRNO_OFFSET;
    private static final MethodHandle CALL = FfmNative.CALL;

    private static final MemorySegment SOCKET = symbol("socket"), BIND = symbol("bind"), CONNECT = symbol("connect"),
        LISTEN = symbol("listen"), ACCEPT4 = symbol("accept4"), GETSOCKOPT = symbol("getsockopt"),
        SETSOCKOPT = symbol("setsockopt"), RECVMSG = symbol("recvmsg"), RECV = symbol("recv"), SEND = symbol("send"),
        CLOSE = symbol("close"), POLL = symbol("poll"), UMASK = symbol("umask");

    /** One thread's buffers: errno capture, sockaddr_un, msghdr + iovec, ucred, control, data. */
    private static final class Buffers {
        static final int ADDR = 32, MSG = ADDR + 112, IOV = MSG + 64, CRED = IOV + 16, LEN = CRED + 16,
            CONTROL = LEN + 16, DATA = CONTROL + UnixSockets.CONTROL_BYTES;
        final MemorySegment block = Arena.ofAuto().allocate(DATA + UnixSockets.IO_BYTES, 16);
        final long at = block.address();
        final ByteBuffer view = view(block);
        final MemorySegment capture = block.asSlice(0, CAPTURE.byteSize());
        long pollAt;
        ByteBuffer pollView;
        int pollCapacity;

        int errno() {
            return view.getInt(ERRNO_OFFSET);
        }

        /** The sockaddr_un for path in the block: its address; its length in length[0]. */
        long sockaddr(byte[] path, int[] length) {
            byte[] a = UnixSockets.sockaddr(path, length);
            view.put(ADDR, a);
            return at + ADDR;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>() {
        @Override protected Buffers initialValue() {
            return new Buffers();
        }
    };

    /** fn(a..f) with errno captured into the thread's buffer. */
    private static long call(Buffers b, MemorySegment fn, long a, long c, long d, long e, long f, long g) {
        try {
            return (long) CALL.invokeExact(fn, b.capture, a, c, d, e, f, g);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** An int result (the low half of the result register), or -errno when it is -1. */
    private static int check(long result, Buffers b) {
        int rc = (int) result;
        return rc < 0 ? -b.errno() : rc;
    }

    static int socket(int type) {
        Buffers b = BUFFERS.get();
        return check(call(b, SOCKET, UnixSockets.AF_UNIX, type | UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC, 0, 0, 0, 0), b);
    }

    static int bind(int fd, byte[] path) {
        Buffers b = BUFFERS.get();
        int[] len = new int[1];
        long addr = b.sockaddr(path, len);
        return check(call(b, BIND, fd, addr, len[0], 0, 0, 0), b);
    }

    static int connect(int fd, byte[] path) {
        Buffers b = BUFFERS.get();
        int[] len = new int[1];
        long addr = b.sockaddr(path, len);
        return check(call(b, CONNECT, fd, addr, len[0], 0, 0, 0), b);
    }

    static int listen(int fd, int backlog) {
        Buffers b = BUFFERS.get();
        return check(call(b, LISTEN, fd, backlog, 0, 0, 0, 0), b);
    }

    static int accept(int fd) {
        Buffers b = BUFFERS.get();
        return check(call(b, ACCEPT4, fd, 0, 0, UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC, 0, 0), b);
    }

    static int peerCredentials(int fd, int[] out) {
        Buffers b = BUFFERS.get();
        b.view.putInt(Buffers.LEN, 12);
        int rc = check(call(b, GETSOCKOPT, fd, UnixSockets.SOL_SOCKET, UnixSockets.SO_PEERCRED, b.at + Buffers.CRED, b.at + Buffers.LEN, 0), b);
        if (rc < 0) return rc;
        out[0] = b.view.getInt(Buffers.CRED);
        out[1] = b.view.getInt(Buffers.CRED + 4);
        out[2] = b.view.getInt(Buffers.CRED + 8);
        return 0;
    }

    static int passCredentials(int fd) {
        Buffers b = BUFFERS.get();
        b.view.putInt(Buffers.LEN, 1);
        return check(call(b, SETSOCKOPT, fd, UnixSockets.SOL_SOCKET, UnixSockets.SO_PASSCRED, b.at + Buffers.LEN, 4, 0), b);
    }

    static int receive(int fd, byte[] buffer, int[] credentials) {
        Buffers b = BUFFERS.get();
        ByteBuffer v = b.view;
        int room = Math.min(buffer.length, UnixSockets.IO_BYTES);
        for (int i = 0; i < UnixSockets.MSGHDR_BYTES; i += 8) v.putLong(Buffers.MSG + i, 0);
        for (int i = 0; i < UnixSockets.CONTROL_BYTES; i += 8) v.putLong(Buffers.CONTROL + i, 0);
        v.putLong(Buffers.IOV, b.at + Buffers.DATA);
        v.putLong(Buffers.IOV + 8, room);
        v.putLong(Buffers.MSG + UnixSockets.MSG_IOV, b.at + Buffers.IOV);
        v.putLong(Buffers.MSG + UnixSockets.MSG_IOVLEN, 1);
        v.putLong(Buffers.MSG + UnixSockets.MSG_CONTROL, b.at + Buffers.CONTROL);
        v.putLong(Buffers.MSG + UnixSockets.MSG_CONTROLLEN, UnixSockets.CONTROL_BYTES);
        long n = call(b, RECVMSG, fd, b.at + Buffers.MSG,
            UnixSockets.MSG_TRUNC | UnixSockets.MSG_DONTWAIT | UnixSockets.MSG_CMSG_CLOEXEC, 0, 0, 0);
        if (n < 0) return -b.errno();
        int controlLength = (int) Math.min(v.getLong(Buffers.MSG + UnixSockets.MSG_CONTROLLEN), UnixSockets.CONTROL_BYTES);
        byte[] control = new byte[controlLength];
        v.get(Buffers.CONTROL, control, 0, controlLength);
        for (int passed : UnixSockets.parseControl(control, controlLength, credentials)) call(b, CLOSE, passed, 0, 0, 0, 0, 0);
        v.get(Buffers.DATA, buffer, 0, (int) Math.min(n, room));
        boolean truncated = (v.getInt(Buffers.MSG + UnixSockets.MSG_FLAGS) & UnixSockets.MSG_TRUNC) != 0;
        return truncated && n <= room ? room + 1 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    static int read(int fd, byte[] buffer, int length) {
        Buffers b = BUFFERS.get();
        int room = Math.min(length, UnixSockets.IO_BYTES);
        long n = call(b, RECV, fd, b.at + Buffers.DATA, room, 0, 0, 0);
        if (n < 0) return -b.errno();
        b.view.get(Buffers.DATA, buffer, 0, (int) n);
        return (int) n;
    }

    static int send(int fd, byte[] buffer, int offset, int length) {
        Buffers b = BUFFERS.get();
        int count = Math.min(length, UnixSockets.IO_BYTES);
        b.view.put(Buffers.DATA, buffer, offset, count);
        long n = call(b, SEND, fd, b.at + Buffers.DATA, count, UnixSockets.MSG_NOSIGNAL | UnixSockets.MSG_DONTWAIT, 0, 0);
        return n < 0 ? -b.errno() : (int) n;
    }

    static int close(int fd) {
        Buffers b = BUFFERS.get();
        return check(call(b, CLOSE, fd, 0, 0, 0, 0, 0), b);
    }

    static int poll(int[] fds, short[] events, short[] revents, int count, int timeoutMillis) {
        Buffers b = BUFFERS.get();
        if (b.pollCapacity < count) {
            b.pollCapacity = Math.max(64, count * 2);
            MemorySegment s = Arena.ofAuto().allocate(b.pollCapacity * 8L, 8);
            b.pollAt = s.address();
            b.pollView = view(s);
        }
        ByteBuffer p = b.pollView;
        for (int i = 0; i < count; i++) {
            p.putInt(i * 8, fds[i]);
            p.putShort(i * 8 + 4, events[i]);
            p.putShort(i * 8 + 6, (short) 0);
        }
        int n = check(call(b, POLL, b.pollAt, count, timeoutMillis, 0, 0, 0), b);
        if (n < 0) return n;
        for (int i = 0; i < count; i++) revents[i] = p.getShort(i * 8 + 6);
        return n;
    }

    static int umask(int mask) {
        Buffers b = BUFFERS.get();
        return (int) call(b, UMASK, mask, 0, 0, 0, 0, 0);
    }

    private static ByteBuffer view(MemorySegment segment) {
        return segment.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** errno's offset in the capture state, found by walking its members (no method handles spun). */

    private static MemorySegment symbol(String name) {
        return FfmNative.symbol(name);
    }

    private static RuntimeException fatal(Throwable t) {
        if (t instanceof Error e) throw e;
        return t instanceof RuntimeException e ? e : new IllegalStateException("native call failed", t);
    }
}
