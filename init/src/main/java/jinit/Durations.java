package jinit;

import java.math.BigDecimal;

/** Durations as users write them (-t 10s, --grace 500ms) and as jinit prints them: one format everywhere. */
public final class Durations {
    private Durations() {}

    private static final long MS = 1_000_000L, S = 1_000_000_000L, MIN = 60 * S, H = 60 * MIN;

    /**
     * A decimal number with an optional unit ms, s, m or h (seconds without one): 10s, 500ms,
     * 2m, 1.5, 0. {@code what} names the option or variable in the message.
     */
    public static long parse(String what, String text) throws Options.UsageException {
        String t = text.trim();
        long unit = S;
        String number = t;
        if (t.endsWith("ms")) { unit = MS; number = t.substring(0, t.length() - 2); }
        else if (t.endsWith("s")) { number = t.substring(0, t.length() - 1); }
        else if (t.endsWith("m")) { unit = MIN; number = t.substring(0, t.length() - 1); }
        else if (t.endsWith("h")) { unit = H; number = t.substring(0, t.length() - 1); }
        if (!number.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new Options.UsageException(what + ": not a duration: '" + text + "' (try 10s, 500ms, 2m or 8)");
        }
        BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 4)) > 0) {
            throw new Options.UsageException(what + ": duration too long: '" + text + "'");
        }
        return nanos.longValue();
    }

    /**
     * Rounded to the millisecond, then: 850ms below a second, 12.3s below a minute (tenths,
     * rounded), 4m05s below an hour, 2h03m above. A 1 s grace read back a few microseconds
     * later is 1.0s, not 999ms.
     */
    public static String format(long nanos) {
        long ms = (Math.max(0, nanos) + MS / 2) / MS;
        StringBuilder b = new StringBuilder(8); // not +: javac's string concatenation bootstraps method handles on first use
        if (ms < 1000) return b.append(ms).append("ms").toString();
        long tenths = (ms + 50) / 100;
        if (tenths < 600) return b.append(tenths / 10).append('.').append(tenths % 10).append('s').toString();
        long s = (ms + 500) / 1000;
        if (s < 3600) return twoDigits(b.append(s / 60).append('m'), s % 60).append('s').toString();
        long m = (s + 30) / 60;
        return twoDigits(b.append(m / 60).append('h'), m % 60).append('m').toString();
    }

    /** {@link #format} of a number of milliseconds. */
    public static String formatMillis(long millis) {
        return format(millis * MS);
    }

    /** Nanoseconds as whole milliseconds, rounded (the JSON answers' *_ms fields). */
    public static long roundedMillis(long nanos) {
        return (Math.max(0, nanos) + MS / 2) / MS;
    }

    private static StringBuilder twoDigits(StringBuilder b, long n) {
        return b.append(n < 10 ? "0" : "").append(n);
    }
}
