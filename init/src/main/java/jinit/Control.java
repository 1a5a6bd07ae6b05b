package jinit;

import jinit.sys.Native;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control socket ({@code --control-socket}, served to {@code jinit ctl}) and the sd_notify
 * socket ({@code --notify}). Main creates this only when one of them is asked for, so a jinit
 * without them never loads this class or anything it uses.
 *
 * <p>Both sockets are served by one thread of their own ({@link ControlServer}), created at
 * start-up. It never holds up the main loop: what has to happen on the main loop (a signal to
 * relay, a stop) is queued here, and the socket thread wakes the main loop by sending SIGCHLD
 * to jinit itself (the main loop takes CHLD anyway and never relays a signal jinit sent).
 * After every wake-up the main loop runs {@link #serve}: it carries out the queued requests
 * and publishes an immutable snapshot of its state ({@link MainState}) through a volatile
 * field, which is all the socket thread reads of it.
 */
final class Control {

    /** jinit could not create a socket it was asked for: the message, and exit code 1. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message, null, false, false);
        }
    }

    /** A request for the main loop. The main loop sets {@link #answer}, the response line, when done. */
    static final class Action {
        static final int SIGNAL = 1, STOP = 2;
        final int kind;
        final int sig;
        final boolean all;
        final long graceNanos;
        final String reason;
        /** The response line, set on the main loop; {@link #answer} publishes it. */
        String result;
        volatile String answer;

        Action(int kind, int sig, boolean all, long graceNanos, String reason) {
            this.kind = kind;
            this.sig = sig;
            this.all = all;
            this.graceNanos = graceNanos;
            this.reason = reason;
        }
    }

    /** The main loop's state as the socket thread sees it; a new one after every wake-up. */
    static final class MainState {
        final boolean childAlive;
        final int childStatus;
        final long childExitMillis;
        final boolean stopping;
        final long deadlineNanos;
        final long orphansReaped;
        final long[] relayed;

        MainState(boolean childAlive, int childStatus, long childExitMillis, boolean stopping, long deadlineNanos,
                  long orphansReaped, long[] relayed) {
            this.childAlive = childAlive;
            this.childStatus = childStatus;
            this.childExitMillis = childExitMillis;
            this.stopping = stopping;
            this.deadlineNanos = deadlineNanos;
            this.orphansReaped = orphansReaped;
            this.relayed = relayed;
        }
    }

    final Native sys;
    final Options options;
    final int self;
    final boolean pid1;
    final int uid;
    /** When the sockets were set up; {@link ControlServer} finds jinit's real start in /proc. */
    final long startMillis = System.currentTimeMillis();
    /** The listening control socket and the notify socket: -1 when off. */
    final int controlFd, notifyFd;
    final String controlPath, notifyPath;

    // set by start(); the socket thread waits for it (childKnown) before it serves anything
    int child;
    String[] command;
    long childStartMillis;
    private final CountDownLatch childKnown = new CountDownLatch(1);

    private final ConcurrentLinkedQueue<Action> queue = new ConcurrentLinkedQueue<>();
    /** Requests of clients that have not had their answer yet (close() lets them have it). */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile MainState state = new MainState(true, 0, 0, false, -1, 0, new long[65]);
    private long childExitMillis;
    private boolean stopSeen;

    // readiness: written by the socket thread (sd_notify) and the main loop (stop), under this lock
    private boolean readyReceived, reloading, appStopping, jinitStopping;
    private long readySinceMillis;
    private boolean readyFileWarned;

    private Control(Native sys, Options options, int self, boolean pid1, int controlFd, String controlPath,
                    int notifyFd, String notifyPath) {
        this.sys = sys;
        this.options = options;
        this.self = self;
        this.pid1 = pid1;
        this.uid = sys.getuid();
        this.controlFd = controlFd;
        this.controlPath = controlPath;
        this.notifyFd = notifyFd;
        this.notifyPath = notifyPath;
    }

    /**
     * Creates the sockets asked for (on the main thread, before the child is spawned); null,
     * with the reason on {@code err}, when it cannot. (Main catches nothing of this class:
     * a catch clause would make the verifier load it even when the sockets are off.)
     */
    static Control open(Native sys, Options options, int self, boolean pid1, java.io.PrintStream err) {
        Control c;
        try {
            c = open(sys, options, self, pid1);
        } catch (SetupException e) {
            err.println("jinit: " + e.getMessage());
            return null;
        }
        // the socket thread is created now, before the child exists: a child that used up the
        // pids (pids.max, RLIMIT_NPROC) could keep jinit from creating it later
        Thread t = new Thread(new ControlServer(c), "jinit-control");
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            c.close();
            err.println("jinit: cannot create the control socket's thread (" + e.getMessage() + ")");
            return null;
        }
        return c;
    }

    private static Control open(Native sys, Options options, int self, boolean pid1) throws SetupException {
        int controlFd = -1, notifyFd = -1;
        String notifyPath = null;
        try {
            if (options.controlSocket != null) {
                controlFd = bindSocket(sys, options.controlSocket, Native.SOCK_STREAM, "control socket");
                int rc = sys.listen(controlFd, 512);
                if (rc < 0) throw new SetupException("cannot listen on the control socket " + options.controlSocket + ": " + errno(rc));
            }
            if (options.notify) {
                String dir = System.getenv("TMPDIR");
                if (dir == null || dir.isEmpty() || !new File(dir).isDirectory()) dir = "/tmp";
                SetupException last = null;
                for (int attempt = 0; attempt < 4 && notifyFd < 0; attempt++) {
                    String path = new StringBuilder(dir).append("/jinit-notify.").append(self).append('.')
                        .append(Long.toHexString(System.nanoTime() & 0xffffffffL)).toString(); // no indy concat on the start path
                    try {
                        notifyFd = bindSocket(sys, path, Native.SOCK_DGRAM, "notify socket");
                        notifyPath = path;
                    } catch (SetupException e) {
                        last = e;
                    }
                }
                if (notifyFd < 0) throw last;
                int rc = sys.passCredentials(notifyFd);
                if (rc < 0) throw new SetupException("cannot ask for the senders' credentials on the notify socket: " + errno(rc));
            }
        } catch (SetupException e) {
            if (controlFd >= 0) new File(options.controlSocket).delete();
            if (notifyPath != null) new File(notifyPath).delete();
            throw e;
        }
        return new Control(sys, options, self, pid1, controlFd, options.controlSocket, notifyFd, notifyPath);
    }

    /**
     * A socket bound to {@code path}, mode 0600 from the start (umask), owned by jinit's user. A
     * socket file that nobody listens on any more (left by a jinit that was killed) is replaced;
     * anything else at that path is an error.
     */
    private static int bindSocket(Native sys, String path, int type, String what) throws SetupException {
        byte[] address = path.getBytes(StandardCharsets.UTF_8);
        int fd = sys.unixSocket(type);
        if (fd < 0) throw new SetupException("cannot create the " + what + ": " + errno(fd));
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
                    + (isSocket(path) ? "a running process listens on it" : "the path exists and is not a socket"));
            }
            throw new SetupException("cannot create the " + what + " " + path + ": " + errno(rc));
        }
    }

    /** True when {@code path} is a socket that refuses connections: nobody listens on it. */
    private static boolean stale(Native sys, String path, byte[] address) {
        if (!isSocket(path)) return false;
        int probe = sys.unixSocket(Native.SOCK_STREAM);
        if (probe < 0) return false;
        int rc = sys.connect(probe, address);
        sys.close(probe);
        return rc == -Native.ECONNREFUSED;
    }

    private static boolean isSocket(String path) {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isOther();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

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

    /**
     * The child's environment with NOTIFY_SOCKET (and WATCHDOG_USEC with --watchdog) when
     * --notify is on; the NOTIFY_SOCKET and WATCHDOG_* jinit itself may have been given (by a
     * systemd above it) are its own, not the child's.
     */
    byte[][] childEnvironment(byte[][] env) {
        if (notifyPath == null) return env;
        List<byte[]> out = new ArrayList<>(env.length + 2);
        for (byte[] e : env) {
            if (jinit.sys.Bytes.hasName(e, "NOTIFY_SOCKET") || jinit.sys.Bytes.hasName(e, "WATCHDOG_USEC")
                || jinit.sys.Bytes.hasName(e, "WATCHDOG_PID")) continue;
            out.add(e);
        }
        // StringBuilder, not +: javac's string concatenation bootstraps method handles, at start-up
        out.add(new StringBuilder("NOTIFY_SOCKET=").append(notifyPath).toString().getBytes(StandardCharsets.UTF_8));
        if (options.watchdogNanos > 0) {
            out.add(new StringBuilder("WATCHDOG_USEC=").append(options.watchdogNanos / 1000).toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toArray(new byte[0][]);
    }

    /** The child runs: the socket thread (waiting in {@link #awaitChild}) starts serving. */
    void start(int child, byte[][] argv) {
        this.child = child;
        this.childStartMillis = System.currentTimeMillis();
        String[] command = new String[argv.length];
        for (int i = 0; i < argv.length; i++) command[i] = new String(argv[i], StandardCharsets.UTF_8);
        this.command = command;
        childKnown.countDown(); // publishes the fields above to the socket thread
    }

    /** On the socket thread: waits until the child was spawned. */
    void awaitChild() {
        for (;;) {
            try {
                childKnown.await();
                return;
            } catch (InterruptedException e) {
                // nobody interrupts this thread; wait on
            }
        }
    }

    // ---- the main loop's side

    /** Runs on the main loop after every wake-up: the queued requests, then a new snapshot. */
    void serve(Supervisor s) {
        List<Action> done = null;
        for (Action a; (a = queue.poll()) != null; ) {
            String answer = perform(s, a);
            if (done == null) done = new ArrayList<>();
            done.add(a);
            a.result = answer;
        }
        if (!s.childAlive() && childExitMillis == 0) childExitMillis = System.currentTimeMillis();
        Shutdown shutdown = s.shutdown();
        if (shutdown.started() && !stopSeen) {
            stopSeen = true;
            jinitStopping(); // before any answer goes out: a client told "stopping" finds the ready file gone
        }
        if (done != null) for (Action a : done) a.answer = a.result; // volatile: published to the socket thread
        long[] relayed = state.relayed;
        if (!java.util.Arrays.equals(relayed, s.relayed)) relayed = s.relayed.clone();
        state = new MainState(s.childAlive(), s.childStatus(), childExitMillis, shutdown.started(),
            shutdown.started() ? System.nanoTime() + shutdown.nanosToDeadline() : -1, s.orphansReaped, relayed);
    }

    private String perform(Supervisor s, Action a) {
        if (a.kind == Action.STOP) {
            boolean already = s.shutdown().started();
            s.stop(a.reason, a.graceNanos);
            long left = s.shutdown().nanosToDeadline();
            return Json.ok("\"stopping\":true,\"already\":" + already + ",\"signal\":" + Json.quote(Signals.name(options.rewrite[Signals.TERM]))
                + ",\"deadline_ms\":" + (left < 0 ? 0 : left / 1_000_000));
        }
        String name = Json.quote(Signals.name(a.sig));
        s.relayed[a.sig]++;
        if (a.all || !s.childAlive()) {
            int n = s.shutdown().signalAll(a.sig, child);
            Log.info("control: sent {} to {}", Signals.name(a.sig), n < 0 ? "every process" : n + " processes");
            return Json.ok("\"signal\":" + name + ",\"target\":\"all\",\"processes\":" + (n < 0 ? "null" : Integer.toString(n)));
        }
        int target = options.singleChild ? child : -child;
        int rc = sys.kill(target, a.sig);
        String what = options.singleChild ? "child " + child : "process group " + child;
        if (rc < 0) return Json.error("cannot send " + Signals.name(a.sig) + " to " + what + ": " + (rc == -Native.ESRCH ? "no such process" : errno(rc)));
        Log.info("control: sent {} to {}", Signals.name(a.sig), what);
        return Json.ok("\"signal\":" + name + ",\"target\":" + Json.quote(options.singleChild ? "child" : "group") + ",\"pid\":" + child);
    }

    // ---- the socket thread's side

    /** Queues a request and wakes the main loop (a SIGCHLD from jinit itself). */
    void submit(Action a, boolean client) {
        if (client) unanswered.incrementAndGet();
        queue.add(a);
        sys.kill(self, Signals.CHLD);
    }

    /** A client's request was answered (or the client went away). */
    void answered() {
        unanswered.decrementAndGet();
    }

    MainState state() {
        return state;
    }

    // ---- readiness

    /** READY=1. */
    synchronized void ready() {
        if (jinitStopping || appStopping) return;
        if (!readyReceived || reloading) readySinceMillis = System.currentTimeMillis();
        readyReceived = true;
        reloading = false;
        if (options.readyFile != null) {
            try {
                new FileOutputStream(options.readyFile).close();
            } catch (IOException e) {
                if (!readyFileWarned) Log.warn("cannot create the ready file {}: {}", options.readyFile, e.getMessage());
                readyFileWarned = true;
            }
        }
    }

    /** RELOADING=1: not ready until the next READY=1. */
    synchronized void reloading() {
        reloading = true;
        removeReadyFile();
    }

    /** STOPPING=1 from the child. */
    synchronized void appStopping() {
        appStopping = true;
        removeReadyFile();
    }

    /** jinit's stop sequence started. */
    private synchronized void jinitStopping() {
        jinitStopping = true;
        removeReadyFile();
    }

    private void removeReadyFile() {
        if (options.readyFile != null) new File(options.readyFile).delete();
    }

    /** "ready", "starting", "reloading", "stopping" or "exited". */
    synchronized String readiness(MainState m) {
        if (!m.childAlive) return "exited";
        if (m.stopping || jinitStopping || appStopping) return "stopping";
        if (reloading) return "reloading";
        if (notifyFd < 0 || readyReceived) return "ready";
        return "starting";
    }

    synchronized long readySinceMillis() {
        return notifyFd < 0 ? childStartMillis : readySinceMillis;
    }

    /**
     * At exit (Main, before halt): the socket files and the ready file go. A client whose
     * `stop` or `signal` ended jinit gets its answer first (the socket thread has up to 200 ms).
     */
    void close() {
        for (Action a; (a = queue.poll()) != null; ) a.answer = Json.error("jinit exited before it could do this");
        long end = System.nanoTime() + 200_000_000L;
        while (unanswered.get() > 0 && System.nanoTime() - end < 0) pause();
        stopServer();
        if (controlPath != null) new File(controlPath).delete();
        if (notifyPath != null) new File(notifyPath).delete();
        removeReadyFile();
    }

    /**
     * {@link #closing}: set by close(), the socket thread stops serving. {@link #inPoll}: the
     * socket thread is in (or about to enter) poll(); it checks {@link #closing} after setting it.
     */
    volatile boolean closing, inPoll;

    /**
     * Gets the socket thread out of poll() before the JVM halts: HotSpot's exit waits up to
     * 300 ms for threads that are in native code, and poll() is native. A connection to the
     * control socket (or a datagram to the notify socket) wakes it, and it sees {@link #closing}.
     * Both flags are volatile: either the thread sees closing before it polls, or this sees
     * inPoll and wakes it. Waits for it at most 100 ms.
     */
    private void stopServer() {
        closing = true;
        if (!inPoll) return; // in Java code (or parked): the JVM's exit does not wait for it
        boolean stream = controlPath != null;
        int fd = sys.unixSocket(stream ? Native.SOCK_STREAM : Native.SOCK_DGRAM);
        if (fd >= 0) {
            byte[] address = (stream ? controlPath : notifyPath).getBytes(StandardCharsets.UTF_8);
            if (sys.connect(fd, address) == 0 && !stream) sys.send(fd, new byte[] {'\n'}, 0, 1);
        }
        long end = System.nanoTime() + 100_000_000L;
        while (inPoll && System.nanoTime() - end < 0) pause();
        if (fd >= 0) sys.close(fd);
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
