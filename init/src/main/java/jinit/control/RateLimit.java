package jinit.control;

/** At most one log line a second for a repeated event; the rest are counted into the next line. */
final class RateLimit {
    private long last = Long.MIN_VALUE / 2;
    private long suppressed;

    /** -1: do not log now; otherwise how many were left unlogged since the last line. */
    long take(long now) {
        if (now - last < 1_000_000_000L) {
            suppressed++;
            return -1;
        }
        last = now;
        long s = suppressed;
        suppressed = 0;
        return s;
    }

    /** " (N more SINCE the last message)", or nothing when none were skipped. */
    static String more(long skipped, String what) {
        return skipped > 0 ? " (" + skipped + " more " + what + " since the last message)" : "";
    }
}
