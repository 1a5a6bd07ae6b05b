package jinit;

import jinit.sys.Native;

/**
 * The stop sequence. A stop signal, or the main child's exit, starts the grace period; what
 * is still running below jinit gets SIGTERM (and SIGCONT, so that a stopped process can handle
 * it); at the deadline everything left gets SIGKILL. As PID 1 "everything" is kill(-1): every
 * process of the namespace. As a subreaper it is every descendant found in /proc, including
 * those that left the main child's group or session.
 */
final class Shutdown {
    private static final long NONE = Long.MIN_VALUE;
    /** After the deadline, SIGKILL is repeated at this interval for what forked meanwhile. */
    private static final long KILL_REPEAT_NANOS = 100_000_000L;
    /**
     * What SIGKILL has not ended this long after the deadline is left behind: a process jinit may
     * not signal (another user's, as a non-root jinit), one it cannot see (no /proc), or one stuck
     * in the kernel. jinit exits; as PID 1 the kernel then kills what is left of the namespace.
     */
    private static final long GIVE_UP_NANOS = 2_000_000_000L;

    private final Native sys;
    private final Clock clock;
    private final int self;
    private final boolean pid1;
    private final long grace;
    private final boolean procVisible;
    private long deadline = NONE;
    /** The grace period the deadline was set with (-t, or `jinit ctl stop --grace`). */
    private long appliedGrace;
    private boolean expired;
    private long expiredAt;
    private boolean warnedBlind;

    Shutdown(Native sys, int self, boolean pid1, long graceNanos, Clock clock) {
        this.sys = sys;
        this.clock = clock;
        this.self = self;
        this.pid1 = pid1;
        this.grace = graceNanos;
        this.procVisible = ProcessTree.available(sys, self);
    }

    /** Starts the grace period, once. */
    void start(String reason) {
        if (deadline != NONE) return;
        deadline = clock.nanoTime() + grace;
        appliedGrace = grace;
        if (Log.info()) Log.info("{}: stopping; grace period {}", reason, Durations.format(grace));
    }

    /**
     * Starts the grace period with a grace of its own ({@code jinit ctl stop --grace}); once the
     * stop sequence runs, it can only bring the deadline closer. A negative grace: the default.
     */
    void start(String reason, long graceNanos) {
        if (graceNanos < 0) {
            start(reason);
            return;
        }
        long at = clock.nanoTime() + graceNanos;
        if (expired || (deadline != NONE && deadline - at <= 0)) return;
        deadline = at;
        appliedGrace = graceNanos;
        if (Log.info()) Log.info("{}: stopping; grace period {}", reason, Durations.format(graceNanos));
    }

    boolean started() {
        return deadline != NONE;
    }

    /** Nanoseconds until the deadline, or -1 when there is none. */
    long nanosToDeadline() {
        return deadline == NONE ? -1 : Math.max(0, deadline - clock.nanoTime());
    }

    /** The clock's time. */
    long now() {
        return clock.nanoTime();
    }

    /** The deadline in the clock's terms (meaningful once {@link #started}). */
    long deadline() {
        return deadline;
    }

    boolean deadlinePassed() {
        return deadline != NONE && clock.nanoTime() - deadline >= 0;
    }

    /**
     * A stop signal reached the main child's group: TERM what escaped it (own group or session).
     * As PID 1 that is every other process of the namespace outside the group (what kill(-1)
     * reaches later), as a subreaper every descendant outside it.
     */
    void terminateEscaped(int childGroup) {
        if (!procVisible) {
            warnBlind();
            return;
        }
        int n = 0;
        if (pid1) {
            // every process of the namespace but jinit: getpgid, not a read of /proc/PID/stat each
            for (int pid : ProcessTree.pids(sys)) {
                if (pid != self && escaped(sys.getpgid(pid), childGroup) && terminate(pid)) n++;
            }
        } else {
            for (ProcessTree.Proc p : ProcessTree.descendants(sys, self)) {
                if (p.state != 'Z' && escaped(p.pgid, childGroup) && terminate(p.pid)) n++;
            }
        }
        if (n > 0) Log.info("sent TERM to {} processes outside the main child's process group", n);
    }

    /** TERM, then CONT (a stopped process handles its TERM once continued): false when it is gone. */
    private boolean terminate(int pid) {
        if (sys.kill(pid, Signals.TERM) != 0) return false;
        sys.kill(pid, Signals.CONT);
        return true;
    }

    /** A process group (or -errno: the process is gone) outside the main child's. */
    private static boolean escaped(int pgid, int childGroup) {
        return pgid > 0 && pgid != childGroup;
    }

    /** The main child is gone: TERM (then CONT) everything left. */
    void terminateLeftovers(int childGroup) {
        int n = signalAll(Signals.TERM, childGroup);
        signalAll(Signals.CONT, childGroup);
        if (n != 0) Log.info("main child gone: sent TERM to {}", n < 0 ? "every remaining process" : n + " remaining processes");
    }

    /**
     * The deadline passed: KILL the main child's group and everything left, again until none
     * remain. True when jinit should give up and exit: something is still there
     * {@link #GIVE_UP_NANOS} after the first KILL.
     */
    boolean expire(int childGroup) {
        long now = clock.nanoTime();
        if (!expired) {
            Log.warn("grace period of {} is over: killing what is left", Durations.format(appliedGrace));
            expired = true;
            expiredAt = now;
        } else if (now - expiredAt >= GIVE_UP_NANOS) {
            Log.warn("{} still there {} after SIGKILL (not permitted, not visible or stuck): exiting without them",
                remaining(childGroup), Durations.format(GIVE_UP_NANOS));
            return true;
        }
        if (childGroup > 0) sys.kill(-childGroup, Signals.KILL);
        signalAll(Signals.KILL, childGroup);
        deadline = clock.nanoTime() + KILL_REPEAT_NANOS;
        return false;
    }

    /** What is left below jinit, for the give-up warning. */
    private String remaining(int childGroup) {
        if (!procVisible) return "processes jinit cannot see without /proc" + (childGroup > 0 ? " (and the main child " + childGroup + ")" : "") + " are";
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (ProcessTree.Proc p : pid1 ? ProcessTree.all(sys) : ProcessTree.descendants(sys, self)) {
            if (p.pid == self || p.state == 'Z') continue;
            if (n++ < 10) b.append(n == 1 ? "" : ", ").append(p.pid).append(' ').append(p.comm);
        }
        return n + (n == 1 ? " process (" : " processes (") + b + (n > 10 ? ", ..." : "") + (n == 1 ? ") is" : ") are");
    }

    private void warnBlind() {
        if (warnedBlind) return;
        warnedBlind = true;
        Log.warn("/proc is not available: processes that left the main child's process group cannot be seen or stopped");
    }

    /**
     * Sends {@code sig} to every process below jinit: the number signalled, or -1 when kill(-1)
     * did it (the kernel does not say how many).
     */
    int signalAll(int sig, int childGroup) {
        if (pid1) return sys.kill(-1, sig) == 0 ? -1 : 0;
        if (!procVisible) {
            warnBlind();
            return childGroup > 0 && sys.kill(-childGroup, sig) == 0 ? -1 : 0;
        }
        int n = 0;
        for (ProcessTree.Proc p : ProcessTree.descendants(sys, self)) {
            if (p.state != 'Z' && sys.kill(p.pid, sig) == 0) n++;
        }
        return n;
    }
}
