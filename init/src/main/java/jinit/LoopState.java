package jinit;

/** The main loop's state as another thread may see it: immutable, a new one after every round. */
public final class LoopState {
    public final boolean childAlive;
    /** The main child's wait status, once it exited. */
    public final int childStatus;
    public final boolean stopping;
    /** When the stop deadline falls, in {@link System#nanoTime()}'s terms; meaningful while stopping. */
    public final long deadlineNanos;
    public final long orphansReaped;
    /** relayed[sig]: how often sig was sent to the main child's group (relayed or asked for). Not to be written. */
    public final long[] relayed;

    public LoopState(boolean childAlive, int childStatus, boolean stopping, long deadlineNanos, long orphansReaped, long[] relayed) {
        this.childAlive = childAlive;
        this.childStatus = childStatus;
        this.stopping = stopping;
        this.deadlineNanos = deadlineNanos;
        this.orphansReaped = orphansReaped;
        this.relayed = relayed;
    }

    /** Before the main loop's first round. */
    public static LoopState initial() {
        return new LoopState(true, 0, false, 0, 0, new long[65]);
    }
}
