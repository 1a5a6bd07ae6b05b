package jinit.control;

import jinit.Launch;
import jinit.sys.Native;

import java.io.File;
import java.nio.charset.StandardCharsets;

/**
 * Creates the socket files: the control socket at its path, listening; the notify socket at
 * $TMPDIR/jinit-notify.PID.RANDOM (/tmp when TMPDIR is unset or not a directory), with the
 * senders' credentials asked for. Both mode 0600 from the start, owned by jinit's user.
 */
final class SocketFiles {

    /** jinit could not create a socket it was asked for: the message, and exit code 1. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message, null, false, false);
        }
    }

    int controlFd = -1, notifyFd = -1;
    String controlPath, notifyPath;

    private SocketFiles() {}

    static SocketFiles create(Native sys, String controlPath, boolean notify, int self) throws SetupException {
        SocketFiles f = new SocketFiles();
        try {
            if (controlPath != null) {
                f.controlFd = bind(sys, controlPath, Native.SOCK_STREAM, "control socket");
                f.controlPath = controlPath;
                int rc = sys.listen(f.controlFd, 512);
                if (rc < 0) throw new SetupException("cannot listen on the control socket " + controlPath + ": " + ControlSockets.errno(rc));
            }
            if (notify) f.bindNotify(sys, self);
        } catch (SetupException e) {
            if (f.controlPath != null) new File(f.controlPath).delete();
            if (f.notifyPath != null) new File(f.notifyPath).delete();
            throw e;
        }
        return f;
    }

    private void bindNotify(Native sys, int self) throws SetupException {
        String dir = Launch.variable(sys.environment(), "TMPDIR");
        if (dir == null || dir.isEmpty() || !new File(dir).isDirectory()) dir = "/tmp";
        SetupException last = null;
        for (int attempt = 0; attempt < 4 && notifyFd < 0; attempt++) {
            String path = new StringBuilder(dir).append("/jinit-notify.").append(self).append('.')
                .append(Long.toHexString(System.nanoTime() & 0xffffffffL)).toString(); // no indy concat on the start path
            try {
                notifyFd = bind(sys, path, Native.SOCK_DGRAM, "notify socket");
                notifyPath = path;
            } catch (SetupException e) {
                last = e;
            }
        }
        if (notifyFd < 0) throw last;
        int rc = sys.passCredentials(notifyFd);
        if (rc < 0) throw new SetupException("cannot ask for the senders' credentials on the notify socket: " + ControlSockets.errno(rc));
    }

    /**
     * A socket bound to {@code path} under umask 0177. A socket file that nobody listens on any
     * more (left by a jinit that was killed) is replaced; anything else at that path is an error.
     */
    private static int bind(Native sys, String path, int type, String what) throws SetupException {
        byte[] address = path.getBytes(StandardCharsets.UTF_8);
        int fd = sys.unixSocket(type);
        if (fd < 0) throw new SetupException("cannot create the " + what + ": " + ControlSockets.errno(fd));
        for (int attempt = 0; ; attempt++) {
            int old = sys.umask(0177);
            int rc = sys.bind(fd, address);
            sys.umask(old);
            if (rc == 0) return fd;
            if (rc == -Native.EADDRINUSE && attempt == 0 && type == Native.SOCK_STREAM && stale(sys, path, address)) {
                new File(path).delete();
                continue;
            }
            sys.close(fd);
            if (rc == -Native.EADDRINUSE) {
                throw new SetupException("cannot create the " + what + " " + path + ": "
                    + (special(path) ? "a running process listens on it" : "the path exists and is not a socket"));
            }
            throw new SetupException("cannot create the " + what + " " + path + ": " + ControlSockets.errno(rc));
        }
    }

    /** True when {@code path} is a socket that refuses connections: nobody listens on it. */
    private static boolean stale(Native sys, String path, byte[] address) {
        if (!special(path)) return false;
        int probe = sys.unixSocket(Native.SOCK_STREAM);
        if (probe < 0) return false;
        int rc = sys.connect(probe, address);
        sys.close(probe);
        return rc == -Native.ECONNREFUSED;
    }

    /** Neither a regular file nor a directory: a socket (java.io cannot tell it from a FIFO). */
    static boolean special(String path) {
        File f = new File(path);
        return f.exists() && !f.isFile() && !f.isDirectory();
    }
}
