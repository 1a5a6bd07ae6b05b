package jinit;

/**
 * Where the main loop takes requests from another thread (the control socket's) and tells it
 * its state. The loop carries a request out through its own relay and stop paths, then
 * publishes a new {@link LoopState}; the other side never reaches into the loop.
 */
public interface Inbox {
    /** The sockets are off: nothing to take, nobody to tell. */
    Inbox NONE = new Inbox() {
        @Override public Request poll() { return null; }

        @Override public void publish(LoopState state) {}
    };

    /** The next request waiting for the main loop, or null. Called on the main loop. */
    Request poll();

    /**
     * The main loop's state after a round, with every request it took since the last call
     * carried out. Called on the main loop, after every wake-up.
     */
    void publish(LoopState state);
}
