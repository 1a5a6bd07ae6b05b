package jinit.control;

import jinit.Inbox;
import jinit.Options;
import jinit.sys.Bytes;
import jinit.sys.Native;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The control socket ({@code --control-socket}, served to {@code jinit ctl}) and the sd_notify
 * socket ({@code --notify}): created before the child is spawned, served by one thread of their
 * own ({@link SocketLoop}), removed at exit. This is what jinit's start-up sees of the feature,
 * and only when one of the sockets is asked for: a jinit without them loads nothing of this
 * package. The main loop sees only the {@link Inbox}.
 */
public final class ControlSockets {
    final Native sys;
    final int self;
    final boolean pid1;
    final int uid;
    /** When the sockets were set up (the status report finds jinit's real start in /proc). */
    final long startMillis = System.currentTimeMillis();
    /** The listening control socket and the notify socket: -1 when off. */
    final int controlFd, notifyFd;
    final String controlPath, notifyPath;
    final Readiness readiness;
    final RequestQueue queue;
    private final long watchdogNanos;
    private SocketLoop loop;
    private volatile MainChild child;
    private final CountDownLatch childKnown = new CountDownLatch(1);

    private ControlSockets(Native sys, Options options, int self, boolean pid1, SocketFiles files) {
        this.sys = sys;
        this.self = self;
        this.pid1 = pid1;
        this.uid = sys.getuid();
        this.controlFd = files.controlFd;
        this.controlPath = files.controlPath;
        this.notifyFd = files.notifyFd;
        this.notifyPath = files.notifyPath;
        this.watchdogNanos = options.watchdogNanos;
        this.readiness = new Readiness(notifyFd >= 0, options.readyFile);
        this.queue = new RequestQueue(sys, self, readiness);
    }

    /**
     * Creates the sockets asked for and their thread, on the main thread before the child is
     * spawned; null, with the reason on {@code err}, when it cannot. (jinit's start-up catches
     * nothing of this package: a catch clause would make the verifier load it when it is off.)
     */
    public static ControlSockets open(Native sys, Options options, int self, PrintStream err) {
        SocketFiles files;
        try {
            files = SocketFiles.create(sys, options.controlSocket, options.notify, self);
        } catch (SocketFiles.SetupException e) {
            err.println("jinit: " + e.getMessage());
            return null;
        }
        ControlSockets c = new ControlSockets(sys, options, self, self == 1, files);
        Notifications notify = c.notifyFd >= 0 ? new Notifications(c.uid, c.watchdogNanos, c.readiness, c.queue) : null;
        c.loop = new SocketLoop(c, notify);
        // the thread is created now, before the child exists: a child that used up the pids
        // (pids.max, RLIMIT_NPROC) could keep jinit from creating it later
        Thread t = new Thread(c.loop, "jinit-control");
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            c.removeFiles();
            err.println("jinit: cannot create the control socket's thread (" + e.getMessage() + ")");
            return null;
        }
        return c;
    }

    /**
     * The child's environment with NOTIFY_SOCKET (and WATCHDOG_USEC with --watchdog) when
     * --notify is on; the NOTIFY_SOCKET and WATCHDOG_* jinit itself may have been given (by a
     * systemd above it) are its own, not the child's.
     */
    public byte[][] childEnvironment(byte[][] env) {
        if (notifyPath == null) return env;
        List<byte[]> out = new ArrayList<>(env.length + 2);
        for (byte[] e : env) {
            if (!Bytes.hasName(e, "NOTIFY_SOCKET") && !Bytes.hasName(e, "WATCHDOG_USEC") && !Bytes.hasName(e, "WATCHDOG_PID")) out.add(e);
        }
        // StringBuilder, not +: javac's string concatenation bootstraps method handles, at start-up
        out.add(new StringBuilder("NOTIFY_SOCKET=").append(notifyPath).toString().getBytes(StandardCharsets.UTF_8));
        if (watchdogNanos > 0) {
            out.add(new StringBuilder("WATCHDOG_USEC=").append(watchdogNanos / 1000).toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toArray(new byte[0][]);
    }

    /** The child runs: the socket thread, waiting in {@link #awaitChild}, starts serving. */
    public void childStarted(int pid, byte[][] argv) {
        child = new MainChild(pid, argv, System.currentTimeMillis());
        childKnown.countDown();
    }

    /** What the main loop takes requests from and publishes its state to. */
    public Inbox inbox() {
        return queue;
    }

    /** On the socket thread: the main child, once spawned. */
    MainChild awaitChild() {
        for (;;) {
            try {
                childKnown.await();
                return child;
            } catch (InterruptedException e) {
                // nobody interrupts this thread; wait on
            }
        }
    }

    /**
     * At exit (before the JVM halts): a client whose `stop` or `signal` ended jinit gets its
     * answer first (the socket thread has up to 200 ms), then the thread stops and the socket
     * files and the ready file go.
     */
    public void close() {
        queue.drain(200_000_000L);
        loop.stop();
        removeFiles();
    }

    private void removeFiles() {
        if (controlPath != null) new File(controlPath).delete();
        if (notifyPath != null) new File(notifyPath).delete();
        readiness.removeReadyFile();
    }

    /** A failed call's errno, as words where jinit's messages need them. */
    static String errno(int rc) {
        switch (-rc) {
            case Native.EACCES: return "permission denied";
            case Native.ENOENT: return "no such file or directory";
            case Native.ENOTDIR: return "not a directory";
            case Native.EADDRINUSE: return "address in use";
            case 30: return "read-only file system";
            default: return "errno " + -rc;
        }
    }
}
