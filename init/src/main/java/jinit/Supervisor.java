package jinit;

import jinit.sys.Native;

/**
 * jinit's main loop. Everything happens on this one thread: wait for a signal or the
 * deadline, relay the signal, reap every child that is ready, react to the main child's exit,
 * enforce the deadline. Signals are blocked in every JVM thread and taken here synchronously
 * with sigtimedwait, as tini does, so none is lost to a JVM handler or to PID 1's rules.
 */
final class Supervisor {
    private final Native sys;
    private final Options options;
    private final Shutdown shutdown;
    private final int self;
    private final int child;

    private boolean childAlive = true;
    private int childStatus;
    private boolean noChildrenLeft;
    private boolean leftoversSignalled;

    long orphansReaped;
    final long[] relayed = new long[65];
    /** The control and notify sockets, or null when neither is on. */
    Control control;

    Supervisor(Native sys, Options options, Shutdown shutdown, int self, int child) {
        this.sys = sys;
        this.options = options;
        this.shutdown = shutdown;
        this.self = self;
        this.child = child;
    }

    /** Runs until the main child and every other process below jinit are gone: the exit code. */
    int run() {
        for (;;) {
            int sig = sys.waitSignal(Signals.WAITED, shutdown.nanosToDeadline());
            if (sig != 0 && sig != Signals.CHLD) relay(sig);
            reapAll();
            if (!childAlive) {
                if (noChildrenLeft) return exitCode();
                if (!leftoversSignalled) {
                    leftoversSignalled = true;
                    shutdown.terminateLeftovers(child);
                    shutdown.start("main child exited with " + ExitStatus.of(childStatus));
                }
            }
            if (shutdown.deadlinePassed() && shutdown.expire(childAlive ? child : 0)) {
                return childAlive ? 128 + Signals.KILL : exitCode(); // what is left cannot be killed
            }
            if (control != null) control.serve(this); // requests queued by the socket thread
        }
    }

    /** Relays a received signal (also one the launcher caught before the JVM ran). */
    void relay(int sig) {
        if (sys.lastSignalSender() == self) {
            Log.debug("ignored {} sent by jinit itself", Signals.name(sig));
            return;
        }
        int to = options.rewrite[sig];
        if (to == 0) {
            Log.debug("dropped {} (--rewrite)", Signals.name(sig));
            return;
        }
        if (!childAlive) {
            relayed[to]++;
            int n = shutdown.signalAll(to, child);
            Log.info("relayed {} to {} remaining processes", Signals.name(to), n < 0 ? "all" : n);
            return;
        }
        boolean stopping = Signals.in(Signals.STOPPING, sig);
        int rc = stopping ? relayStop(to) : signalChild(to);
        if (Log.info()) {
            Log.info("relayed {} to {}{}", Signals.name(to) + (to != sig ? " (rewritten from " + Signals.name(sig) + ")" : ""),
                target(to), rc < 0 ? " (errno " + -rc + ")" : "");
        }
        if (stopping) shutdown.start("received " + Signals.name(sig));
    }

    /** Sends {@code to} to the main child's process group (or to the child alone): 0 or -errno. */
    private int signalChild(int to) {
        relayed[to]++;
        return sys.kill(options.singleChild ? child : -child, to);
    }

    /**
     * Relays a stop signal (received, `jinit ctl stop`, the watchdog): {@code to} to the main
     * child's group, CONT after it (a stopped process handles its TERM only once continued, as
     * systemd does), and TERM to the descendants that left the group. As PID 1 a TERM goes to
     * every process of the namespace at once with kill(-1): the group and whatever escaped it,
     * each once, without a scan of /proc. 0 or -errno.
     */
    private int relayStop(int to) {
        if (namespaceWide(to)) {
            relayed[to]++;
            int rc = sys.kill(-1, to);
            sys.kill(-1, Signals.CONT);
            return rc;
        }
        int rc = signalChild(to);
        if (rc == 0 && Signals.in(Signals.STOPPING, to)) sys.kill(options.singleChild ? child : -child, Signals.CONT);
        if (!options.singleChild) shutdown.terminateEscaped(child);
        return rc;
    }

    private boolean namespaceWide(int to) {
        return to == Signals.TERM && self == 1 && !options.singleChild;
    }

    private String target(int to) {
        return namespaceWide(to) ? "every process of the namespace" : options.singleChild ? "child " + child : "process group " + child;
    }

    /** waitpid(-1, WNOHANG) until nothing is ready: SIGCHLD coalesces, one may stand for many. */
    private void reapAll() {
        noChildrenLeft = false;
        for (;;) {
            long r = sys.reapAny();
            if (r == -Native.EINTR) continue;
            if (r == -Native.ECHILD) {
                noChildrenLeft = true;
                return;
            }
            if (r <= 0) return;
            int pid = (int) (r >>> 32), status = (int) r;
            if (pid == child) {
                childAlive = false;
                childStatus = status;
                Log.info("main child {} exited with {}", child, ExitStatus.of(status));
            } else {
                orphansReaped++;
                if (options.warnOnReap) Log.warn("reaped orphan {} ({})", pid, ExitStatus.of(status));
                else if (Log.debug()) Log.debug("reaped orphan {} ({})", pid, ExitStatus.of(status));
            }
        }
    }

    // ---- for Control.serve, which runs on this thread

    boolean childAlive() { return childAlive; }

    int childStatus() { return childStatus; }

    Shutdown shutdown() { return shutdown; }

    /** `jinit ctl stop` and the watchdog: what a received TERM does, with its own grace when >= 0. */
    void stop(String reason, long graceNanos) {
        int to = options.rewrite[Signals.TERM];
        if (childAlive && to != 0) {
            relayStop(to);
            Log.info("{}: relayed {} to {}", reason, Signals.name(to), target(to));
        }
        shutdown.start(reason, graceNanos);
    }

    private int exitCode() {
        int code = ExitStatus.remap(ExitStatus.of(childStatus), options.remapExit);
        Log.info("exiting with {}", code);
        return code;
    }
}
