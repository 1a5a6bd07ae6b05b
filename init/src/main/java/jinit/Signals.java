package jinit;

import java.util.Locale;

/** Linux signal numbers and names, and the sets of signals jinit takes, relays and stops on. */
public final class Signals {
    private Signals() {}

    public static final int HUP = 1, INT = 2, QUIT = 3, ILL = 4, TRAP = 5, ABRT = 6, BUS = 7,
        FPE = 8, KILL = 9, USR1 = 10, SEGV = 11, USR2 = 12, PIPE = 13, ALRM = 14, TERM = 15,
        STKFLT = 16, CHLD = 17, CONT = 18, STOP = 19, TSTP = 20, TTIN = 21, TTOU = 22, URG = 23,
        XCPU = 24, XFSZ = 25, VTALRM = 26, PROF = 27, WINCH = 28, IO = 29, PWR = 30, SYS = 31;

    /** glibc reserves 32 and 33; applications' real-time signals are 34 (RTMIN) to 64 (RTMAX). */
    public static final int RTMIN = 34, RTMAX = 64;

    /**
     * True on a JVM; false in the native executable (the property is "runtime" there, and
     * "buildtime" while its image is built), which has neither of the JVM's two signals below:
     * there they are relayed like the others.
     */
    public static final boolean JVM = System.getProperty("org.graalvm.nativeimage.imagecode") == null;

    /**
     * HotSpot's suspend/resume signal, moved from USR2 by the launcher (_JAVA_SR_SIGNUM) so
     * that USR2 can be relayed. HotSpot unblocks it in its threads; jinit cannot relay it.
     */
    public static final int JVM_SR = 40;

    /**
     * SIGRTMAX-2: the JDK's own I/O-interruption signal. Loading the JDK's network/NIO library
     * installs a handler for it and unblocks it in the loading thread and in every thread that
     * thread creates later (jnr's cleaner thread, for one). jinit cannot receive it reliably.
     */
    public static final int JDK_IO = 62;

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT",
        "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD",
        "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH",
        "IO", "PWR", "SYS"};

    /** Every signal number, 1-64. */
    public static final long ALL = -1L;
    /** What no process can catch, or jinit must see itself (CHLD). */
    public static final long UNCATCHABLE = bit(KILL) | bit(STOP) | bit(CHLD);
    /** The synchronous faults: a process's own, never relayed. */
    public static final long FAULTS = bit(ILL) | bit(TRAP) | bit(ABRT) | bit(BUS) | bit(FPE) | bit(SEGV) | bit(SYS);
    /** glibc's own real-time signals (NPTL's cancellation and setxid). */
    public static final long GLIBC = bit(32) | bit(33);
    /** The JVM's own signals (the JVM form only: a native executable has none). */
    public static final long JVM_OWN = bit(JVM_SR) | bit(JDK_IO);

    /** Signals jinit relays: all but KILL, STOP, its own CHLD, faults, glibc's and (on a JVM) the JVM's. */
    public static final long RELAYED = ALL & ~UNCATCHABLE & ~FAULTS & ~GLIBC & ~(JVM ? JVM_OWN : 0);
    /** Signals jinit takes with sigtimedwait: the relayed ones and CHLD. */
    public static final long WAITED = RELAYED | bit(CHLD);
    /** Signals that start the stop sequence. */
    public static final long STOPPING = bit(TERM) | bit(INT) | bit(HUP) | bit(QUIT);

    /**
     * Blocked before jinit's JVM starts (the launcher's env --block-signal, or {@link Stage0}):
     * the waited ones, and HotSpot's suspend/resume signal, which the JVM unblocks in its own
     * threads only (blocked in the main thread, it cannot reach jinit's sigtimedwait).
     */
    public static final long BLOCKED_AT_START = WAITED | bit(JVM_SR);
    /**
     * Caught by the launcher's shell while it runs, and handed to jinit to relay: the relayed
     * ones, and the JDK's 62, whose default action would end the launcher.
     */
    public static final long CAUGHT_BY_LAUNCHER = RELAYED | bit(JDK_IO);

    /**
     * The build runs this to fill in the launcher's lists (init/pom.xml: the launcher is filtered
     * with what it prints), so the launcher holds no copy of its own.
     */
    public static void main(String[] args) {
        System.out.println("# the launcher's signal lists, printed by jinit.Signals at build time");
        System.out.println("jinit.signals.caught=" + list(CAUGHT_BY_LAUNCHER, " "));
        System.out.println("jinit.signals.blocked=" + list(BLOCKED_AT_START, ","));
    }

    /** The signal numbers of a set, ascending. */
    public static String list(long set, String separator) {
        StringBuilder b = new StringBuilder();
        for (int sig = 1; sig <= 64; sig++) if (in(set, sig)) b.append(b.length() == 0 ? "" : separator).append(sig);
        return b.toString();
    }

    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    public static boolean in(long set, int sig) {
        return sig >= 1 && sig <= 64 && (set & bit(sig)) != 0;
    }

    /** "TERM", "RTMIN+3", or the number for 32 and 33. */
    public static String name(int sig) {
        if (sig >= 1 && sig < NAMES.length) return NAMES[sig];
        if (sig == RTMIN) return "RTMIN";
        if (sig == RTMAX) return "RTMAX";
        if (sig > RTMIN && sig < RTMAX) return "RTMIN+" + (sig - RTMIN);
        return Integer.toString(sig);
    }

    /**
     * Parses a signal: a name in any case with or without "SIG" (TERM, sigterm, RTMIN+2,
     * RTMAX-1, IOT, POLL, CLD) or a number 1-64. Returns -1 when it is neither.
     */
    public static int parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) return -1;
        if (isDigits(s)) {
            if (s.length() > 2) return -1;
            int n = Integer.parseInt(s);
            return n >= 1 && n <= 64 ? n : -1;
        }
        if (s.startsWith("SIG")) s = s.substring(3);
        switch (s) {
            case "IOT": return ABRT;
            case "POLL": return IO;
            case "CLD": return CHLD;
            default: break;
        }
        for (int i = 1; i < NAMES.length; i++) if (NAMES[i].equals(s)) return i;
        if (s.equals("RTMIN")) return RTMIN;
        if (s.equals("RTMAX")) return RTMAX;
        int offset = rtOffset(s, "RTMIN+");
        if (offset >= 0 && RTMIN + offset <= RTMAX) return RTMIN + offset;
        offset = rtOffset(s, "RTMAX-");
        if (offset >= 0 && RTMAX - offset >= RTMIN) return RTMAX - offset;
        return -1;
    }

    private static int rtOffset(String s, String prefix) {
        if (!s.startsWith(prefix)) return -1;
        String n = s.substring(prefix.length());
        return isDigits(n) && n.length() <= 2 ? Integer.parseInt(n) : -1;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
