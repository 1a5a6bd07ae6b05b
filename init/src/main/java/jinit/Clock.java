package jinit;

/** The monotonic clock the main loop's deadlines are kept in; the loop's unit tests bring their own. */
class Clock {
    long nanoTime() {
        return System.nanoTime();
    }
}
