package jinit.control;

import jinit.Inbox;
import jinit.LoopState;
import jinit.Request;
import jinit.Signals;
import jinit.sys.Native;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main loop's {@link Inbox} when the sockets are on: requests go in on the socket thread,
 * the loop takes them, carries them out and publishes its state, which is all the socket thread
 * ever reads of it. The socket thread never waits for the loop: it wakes it with a SIGCHLD to
 * jinit itself (the loop takes CHLD anyway and never relays it) and polls for the outcome.
 */
final class RequestQueue implements Inbox {
    private final Native sys;
    private final int self;
    private final Readiness readiness;
    private final ConcurrentLinkedQueue<Request> waiting = new ConcurrentLinkedQueue<>();
    /** Clients' requests that have not had their answer yet: the exit waits a little for them. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile LoopState state = LoopState.initial();
    private volatile long childExitMillis;

    // the main loop's side only
    private final List<Request> taken = new ArrayList<>();
    private boolean stopSeen;

    RequestQueue(Native sys, int self, Readiness readiness) {
        this.sys = sys;
        this.self = self;
        this.readiness = readiness;
    }

    // ---- the socket thread's side

    /** Queues a request and wakes the main loop; a client's counts as unanswered until {@link #answered}. */
    void submit(Request r, boolean client) {
        if (client) unanswered.incrementAndGet();
        waiting.add(r);
        sys.kill(self, Signals.CHLD);
    }

    /** A client's request was answered, or the client went away. */
    void answered() {
        unanswered.decrementAndGet();
    }

    LoopState state() {
        return state;
    }

    /** When the socket thread first saw the main child gone (0 while it runs). */
    long childExitMillis() {
        return childExitMillis;
    }

    // ---- the main loop's side

    @Override
    public Request poll() {
        Request r = waiting.poll();
        if (r != null) taken.add(r);
        return r;
    }

    @Override
    public void publish(LoopState s) {
        if (!s.childAlive && childExitMillis == 0) childExitMillis = System.currentTimeMillis();
        state = s;
        if (s.stopping && !stopSeen) {
            stopSeen = true;
            readiness.jinitStopping(); // before any answer goes out: a client told "stopping" finds the ready file gone
        }
        for (Request r : taken) r.complete();
        taken.clear();
    }

    // ---- at exit, on the main thread

    /**
     * Requests the main loop will never take are answered as such; then waits up to
     * {@code nanos} for the socket thread to answer the clients whose request ended jinit.
     */
    void drain(long nanos) {
        for (Request r; (r = waiting.poll()) != null; ) r.abandon();
        long end = System.nanoTime() + nanos;
        while (unanswered.get() > 0 && System.nanoTime() - end < 0) SocketLoop.pause(1);
    }
}
