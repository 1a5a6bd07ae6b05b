package jinit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Logging through slf4j-simple on stderr, one line per event. Levels: warnings only by default;
 * -v (info) adds the main child's spawn and exit, each relayed signal and the stop sequence;
 * -vv (debug) adds each orphan reaped, signals ignored or dropped, and timestamps. slf4j is
 * initialised only when the first enabled event is written, so a quiet jinit never pays for it.
 * Once {@link #startWriter()} ran, events are written by a thread of their own: a stderr whose
 * reader is gone, or a full pipe, can lose log lines (counted: {@link #dropped()}, shown by
 * `jinit ctl status`) but never block or kill the main loop.
 */
public final class Log {
    static final int WARN = 0, INFO = 1, DEBUG = 2;
    private static final int QUEUE = 4096;

    private static int level = WARN;
    private static String name = "jinit";
    private static Logger logger;
    private static ArrayBlockingQueue<Object[]> queue;
    private static volatile long dropped;
    private static volatile long queued, written;

    private Log() {}

    static void configure(int verbosity, int pid) {
        level = Math.min(verbosity, DEBUG);
        name = "jinit[" + pid + "]";
    }

    public static boolean info() { return level >= INFO; }

    public static boolean debug() { return level >= DEBUG; }

    public static void warn(String format) { emit(WARN, format); }

    public static void warn(String format, Object a) { emit(WARN, format, a); }

    public static void warn(String format, Object a, Object b) { emit(WARN, format, a, b); }

    public static void info(String format, Object a) { if (level >= INFO) emit(INFO, format, a); }

    public static void info(String format, Object a, Object b) { if (level >= INFO) emit(INFO, format, a, b); }

    public static void info(String format, Object a, Object b, Object c) { if (level >= INFO) emit(INFO, format, a, b, c); }

    public static void debug(String format) { if (level >= DEBUG) emit(DEBUG, format); }

    public static void debug(String format, Object a) { if (level >= DEBUG) emit(DEBUG, format, a); }

    public static void debug(String format, Object a, Object b) { if (level >= DEBUG) emit(DEBUG, format, a, b); }

    /**
     * From now on events are written by their own thread. Called once, at start-up, before
     * the child is spawned: a child that uses up the pids (pids.max, RLIMIT_NPROC) cannot keep
     * jinit from having it. Where no thread can be created even then, logging stays synchronous.
     */
    static synchronized void startWriter() {
        if (queue != null) return;
        ArrayBlockingQueue<Object[]> q = new ArrayBlockingQueue<>(QUEUE);
        Thread t = new Thread(() -> drain(q), "jinit-log");
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            debug("cannot create the log writer thread ({}): logging synchronously", e.getMessage());
            return;
        }
        queue = q;
    }

    /**
     * Gives the writer thread up to {@code millis} to write what is queued (at exit). Without
     * a writer thread, flushes stderr; with one, never touches stderr: the writer may be blocked
     * on a full pipe while holding its lock, and jinit must still exit.
     */
    static void flush(long millis) {
        if (queue == null) {
            System.err.flush();
            return;
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (written < queued && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void emit(int lvl, String format, Object... args) {
        Object[] event = {lvl, format, args};
        ArrayBlockingQueue<Object[]> q = queue;
        if (q == null) write(event);
        else if (q.offer(event)) queued++;
        else countDropped();
    }

    private static synchronized void countDropped() {
        dropped++; // rare, and from the main loop or the socket thread: under the lock
    }

    private static void drain(ArrayBlockingQueue<Object[]> queue) {
        for (;;) {
            Object[] event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                write(event);
            } catch (RuntimeException e) {
                // a broken stderr must not end logging
            }
            written++;
        }
    }

    private static void write(Object[] event) {
        Logger l = logger();
        int lvl = (Integer) event[0];
        String format = (String) event[1];
        Object[] args = (Object[]) event[2];
        switch (lvl) {
            case WARN: l.warn(format, args); break;
            case INFO: l.info(format, args); break;
            default: l.debug(format, args); break;
        }
    }

    private static synchronized Logger logger() {
        if (logger == null) {
            String[] levels = {"warn", "info", "debug"};
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", levels[Math.max(0, level)]);
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
            System.setProperty("org.slf4j.simpleLogger.showDateTime", level >= DEBUG ? "true" : "false");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
            logger = LoggerFactory.getLogger(name);
        }
        return logger;
    }

    /**
     * Why jinit failed, in one line. A thread that cannot be created (pids.max, RLIMIT_NPROC)
     * surfaces as an OutOfMemoryError, possibly wrapped by a class initialiser.
     */
    static String failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError && String.valueOf(c.getMessage()).contains("native thread")) {
                return "cannot start: no thread can be created (process limit reached?)";
            }
        }
        return "internal error: " + t;
    }

    /** Log lines lost to a full or stuck stderr since jinit started. */
    public static long dropped() {
        return dropped;
    }
}
