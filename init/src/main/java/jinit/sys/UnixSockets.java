package jinit.sys;

/**
 * Linux constants and struct layouts of the Unix-domain socket calls in {@link Native}, shared
 * by both backends (x86_64 and aarch64 Linux use the same values and 64-bit layouts). Loaded
 * only when the control or notify socket is on.
 */
final class UnixSockets {
    private UnixSockets() {}

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

    /** sockaddr_un for a path (a leading NUL: an abstract address); its length in [0]. */
    static byte[] sockaddr(byte[] path, int[] length) {
        if (path.length == 0 || path.length >= PATH_MAX) throw new IllegalArgumentException("socket path length " + path.length);
        byte[] a = new byte[SOCKADDR_BYTES];
        a[0] = AF_UNIX; // little-endian sa_family_t
        System.arraycopy(path, 0, a, 2, path.length);
        length[0] = 2 + path.length + (path[0] == 0 ? 0 : 1);
        return a;
    }

    /**
     * Reads the control messages recvmsg returned: the SCM_CREDENTIALS into {@code cred}
     * ({pid, uid, gid}, left at -1 when there are none); descriptors passed with SCM_RIGHTS are
     * returned so that the caller closes them.
     */
    static int[] parseControl(byte[] control, int length, int[] cred) {
        cred[0] = cred[1] = cred[2] = -1;
        int[] fds = new int[0];
        int off = 0;
        while (off + 16 <= length) {
            long len = getLong(control, off);
            int level = getInt(control, off + 8), type = getInt(control, off + 12);
            if (len < 16 || off + len > length) break;
            if (level == SOL_SOCKET && type == SCM_CREDENTIALS && len >= 16 + 12) {
                cred[0] = getInt(control, off + 16);
                cred[1] = getInt(control, off + 20);
                cred[2] = getInt(control, off + 24);
            } else if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                int n = (int) (len - 16) / 4, at = fds.length;
                fds = java.util.Arrays.copyOf(fds, at + n);
                for (int k = 0; k < n; k++) fds[at + k] = getInt(control, off + 16 + 4 * k);
            }
            off += (int) ((len + 7) & ~7L);
        }
        return fds;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int off) {
        return (getInt(b, off) & 0xffffffffL) | (long) getInt(b, off + 4) << 32;
    }
}
