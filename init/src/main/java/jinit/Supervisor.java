package jinit;

import jinit.sys.Native;

/**
 * jinit's main loop. Everything happens on this one thread: wait for a signal or the
 * deadline, relay the signal, reap every child that is ready, react to the main child's exit,
 * enforce the deadline, carry out what another thread asked for. Signals are blocked in every
 * JVM thread and taken here synchronously with sigtimedwait, as tini does, so none is lost to
 * a JVM handler or to PID 1's rules. Every signal jinit sends to a process is sent from here.
 */
final class Supervisor {
    private final Native sys;
    private final Options options;
    private final Shutdown shutdown;
    private final int self;
    private final int child;
    private final Inbox inbox;

    private boolean childAlive = true;
    private int childStatus;
    private boolean noChildrenLeft;
    private boolean leftoversSignalled;
    private long orphansReaped;
    /** relayed[sig]: how often sig went to the main child's group (or every process); copied when published. */
    private long[] relayed = new long[65];
    private boolean relayedChanged;

    Supervisor(Native sys, Options options, Shutdown shutdown, int self, int child, Inbox inbox) {
        this.sys = sys;
        this.options = options;
        this.shutdown = shutdown;
        this.self = self;
        this.child = child;
        this.inbox = inbox;
    }

    /** Runs until the main child and every other process below jinit are gone: the exit code. */
    int run() {
        for (;;) {
            int sig = sys.waitSignal(Signals.WAITED, shutdown.nanosToDeadline());
            if (sig != 0 && sig != Signals.CHLD) received(sig);
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
            serveInbox();
        }
    }

    /** A signal sigtimedwait took: relayed, unless jinit sent it itself (a SIGPIPE of its own stderr, say). */
    private void received(int sig) {
        if (sys.lastSignalSender() == self) {
            Log.debug("ignored {} sent by jinit itself", Signals.name(sig));
            return;
        }
        relay(sig);
    }

    /** Relays a signal jinit received (also one the launcher caught before the JVM ran), after --rewrite. */
    void relay(int sig) {
        int to = options.rewrite[sig];
        if (to == 0) {
            Log.debug("dropped {} (--rewrite)", Signals.name(sig));
            return;
        }
        if (!childAlive) {
            int n = signalEveryone(to);
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

    /** `jinit ctl stop` and the watchdog: what a received TERM does, with a grace of its own when >= 0. */
    private void stop(String reason, long graceNanos) {
        int to = options.rewrite[Signals.TERM];
        if (childAlive && to != 0) {
            relayStop(to);
            Log.info("{}: relayed {} to {}", reason, Signals.name(to), target(to));
        }
        shutdown.start(reason, graceNanos);
    }

    /** Sends {@code to} to the main child's process group (or to the child alone): 0 or -errno. */
    private int signalChild(int to) {
        count(to);
        return sys.kill(options.singleChild ? child : -child, to);
    }

    /** Sends {@code to} to every process below jinit: how many, or -1 when kill(-1) did it. */
    private int signalEveryone(int to) {
        count(to);
        return shutdown.signalAll(to, child);
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
            count(to);
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

    /** Where a relayed {@code to} went, for the log. */
    private String target(int to) {
        return namespaceWide(to) ? "every process of the namespace" : childTarget();
    }

    private String childTarget() {
        return options.singleChild ? "child " + child : "process group " + child;
    }

    private void count(int sig) {
        relayed[sig]++;
        relayedChanged = true;
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

    // ---- requests from another thread (the control socket's)

    /** Carries out what is waiting in the inbox, then publishes the loop's state. */
    private void serveInbox() {
        if (inbox == Inbox.NONE) return; // the sockets are off: no state to build for nobody
        for (Request r; (r = inbox.poll()) != null; ) carryOut(r);
        if (relayedChanged) {
            relayed = relayed.clone(); // the published array is never written again
            relayedChanged = false;
        }
        inbox.publish(new LoopState(childAlive, childStatus, shutdown.started(), shutdown.deadline(), orphansReaped, relayed));
    }

    private void carryOut(Request r) {
        if (r.kind == Request.STOP) {
            long asked = shutdown.now(); // the deadline as seen when the request was taken, not after the relay's /proc scan
            r.alreadyStopping = shutdown.started();
            stop(r.reason, r.graceNanos);
            r.stopSignal = options.rewrite[Signals.TERM];
            r.nanosToDeadline = Math.max(0, shutdown.deadline() - asked);
            return;
        }
        String name = Signals.name(r.signal);
        r.pid = child;
        if (r.all || !childAlive) {
            r.target = Request.ALL;
            r.processes = signalEveryone(r.signal);
            Log.info("control: sent {} to {}", name, r.processes < 0 ? "every process" : r.processes + " processes");
            return;
        }
        r.target = options.singleChild ? Request.CHILD : Request.GROUP;
        int rc = signalChild(r.signal);
        r.errno = -rc;
        if (rc == 0) Log.info("control: sent {} to {}", name, childTarget());
    }

    private int exitCode() {
        int code = ExitStatus.remap(ExitStatus.of(childStatus), options.remapExit);
        Log.info("exiting with {}", code);
        return code;
    }
}
