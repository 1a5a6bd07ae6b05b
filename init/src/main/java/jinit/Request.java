package jinit;

/**
 * Something another thread asks of the main loop (`jinit ctl signal`, `jinit ctl stop`, the
 * sd_notify watchdog), and what the loop did about it. The loop fills in the outcome; the
 * {@link Inbox} publishes it with the loop's next state ({@link #complete}).
 */
public final class Request {
    public static final int SIGNAL = 1, STOP = 2;
    /** Where a signal went: the main child's process group, the main child alone, every process below jinit. */
    public static final int GROUP = 1, CHILD = 2, ALL = 3;

    public final int kind;
    /** SIGNAL: the signal, sent as it is (no --rewrite, no stop sequence). */
    public final int signal;
    /** SIGNAL: to every process below jinit rather than the main child's group. */
    public final boolean all;
    /** STOP: the grace period, or -1 for jinit's own. */
    public final long graceNanos;
    /** STOP: why, for the log. */
    public final String reason;

    // ---- the outcome, set on the main loop

    /** SIGNAL: GROUP, CHILD or ALL. */
    public int target;
    /** SIGNAL: the main child's pid. */
    public int pid;
    /** SIGNAL to ALL: how many processes got it, -1 when kill(-1) did it. */
    public int processes;
    /** SIGNAL: 0, or the errno of kill(). */
    public int errno;
    /** STOP: the stop sequence was already running. */
    public boolean alreadyStopping;
    /** STOP: the signal the main child got (TERM after --rewrite; 0 when it was dropped). */
    public int stopSignal;
    /** STOP: nanoseconds from the stop to the deadline. */
    public long nanosToDeadline;

    /** jinit exited before the main loop took the request: nothing was done. */
    public boolean abandoned;

    private volatile boolean complete;

    private Request(int kind, int signal, boolean all, long graceNanos, String reason) {
        this.kind = kind;
        this.signal = signal;
        this.all = all;
        this.graceNanos = graceNanos;
        this.reason = reason;
    }

    public static Request signal(int signal, boolean all) {
        return new Request(SIGNAL, signal, all, -1, null);
    }

    public static Request stop(long graceNanos, String reason) {
        return new Request(STOP, 0, false, graceNanos, reason);
    }

    /** The outcome is set and may be read by any thread. */
    public boolean isComplete() {
        return complete;
    }

    /** Publishes the outcome (a volatile write after the fields). */
    public void complete() {
        complete = true;
    }

    /** jinit exits without carrying it out. */
    public void abandon() {
        abandoned = true;
        complete();
    }
}
