package jinit;

import jinit.sys.Bytes;
import jinit.sys.Native;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state jinit was started in, which the child gets back. The launcher (or the stage-0
 * re-exec, {@link Stage0}) records it in JINIT_LAUNCH as "SIGBLK:SIGIGN:FD,...:NAME,...", with
 * the variables sh added that the caller did not have (PWD, and SHLVL under bash and busybox
 * ash) last; it moves the JVM option variables the application owns, and a PWD or SHLVL that sh
 * changed, to JINIT_SAVED_NAME, and sets _JAVA_SR_SIGNUM for jinit's own JVM;
 * {@link #childEnvironment} undoes all of that, byte for byte.
 */
public final class Launch {
    static final String VARIABLE = "JINIT_LAUNCH";
    static final String SAVED_PREFIX = "JINIT_SAVED_";
    static final String STAGE0 = "JINIT_STAGE0";
    static final String SR_SIGNUM = "_JAVA_SR_SIGNUM";
    /** Variables read by every JVM: the application's, never jinit's. */
    static final String[] APP_JVM_VARIABLES = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", SR_SIGNUM};

    /** The signal mask jinit was started with (the child's mask). */
    final long sigmask;
    /** Signals ignored when jinit was started (they stay ignored in the child). */
    final long sigignored;
    /** Inherited descriptors at or above 3, ascending (the child inherits them too). */
    final int[] fds;
    /** True when a launcher recorded the state (otherwise it is jinit's own). */
    final boolean recorded;
    /** Variables the launcher's shell added that the child must not get. */
    final String[] unset;
    /** Standard descriptors (0-2) jinit was started without: closed in the child too. */
    final int[] closedStd;
    /** Signals the launcher caught before the JVM could block them, in order: relayed at start. */
    final int[] pending;
    /** False in the native executable: no launcher ran, so the environment has nothing to undo. */
    private final boolean launcherEnvironment;

    Launch(long sigmask, long sigignored, int[] fds, boolean recorded) {
        this(sigmask, sigignored, fds, recorded, new String[0], new int[0], new int[0]);
    }

    Launch(long sigmask, long sigignored, int[] fds, boolean recorded, String[] unset, int[] closedStd, int[] pending) {
        this(sigmask, sigignored, fds, recorded, unset, closedStd, pending, true);
    }

    private Launch(long sigmask, long sigignored, int[] fds, boolean recorded, String[] unset, int[] closedStd, int[] pending,
                   boolean launcherEnvironment) {
        this.launcherEnvironment = launcherEnvironment;
        this.sigmask = sigmask;
        this.sigignored = sigignored;
        this.fds = fds;
        this.recorded = recorded;
        this.unset = unset;
        this.closedStd = closedStd;
        this.pending = pending;
    }

    /**
     * The state the native executable recorded as its first act (jinit.NativeMain): no
     * launcher, no shell, no JVM option variables moved aside, so the child gets the
     * environment exactly as jinit got it.
     */
    static Launch ofNativeStart(long sigmask, long sigignored, int[] fds, int[] closedStd) {
        return new Launch(sigmask, sigignored, fds, true, new String[0], closedStd, new int[0], false);
    }

    /** Reads JINIT_LAUNCH; without it, the state is this process's own. */
    static Launch fromEnvironment(String value) {
        if (value == null) return new Launch(0, 0, new int[0], false);
        String[] parts = value.split(":", -1);
        try {
            long blk = parts.length > 0 && !parts[0].isEmpty() ? Long.parseUnsignedLong(parts[0], 16) : 0;
            long ign = parts.length > 1 && !parts[1].isEmpty() ? Long.parseUnsignedLong(parts[1], 16) : 0;
            int[] fds = parts.length > 2 && !parts[2].isEmpty()
                ? java.util.Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).filter(fd -> fd > 2).sorted().distinct().toArray()
                : new int[0];
            String[] unset = parts.length > 3 && !parts[3].isEmpty() ? parts[3].split(",") : new String[0];
            int[] closed = parts.length > 4 && !parts[4].isEmpty()
                ? java.util.Arrays.stream(parts[4].split(",")).mapToInt(Integer::parseInt).filter(fd -> fd >= 0 && fd <= 2).sorted().distinct().toArray()
                : new int[0];
            int[] pending = parts.length > 5 && !parts[5].isBlank()
                ? java.util.Arrays.stream(parts[5].trim().split(" +")).mapToInt(Integer::parseInt).filter(sig -> sig >= 1 && sig <= 64).toArray()
                : new int[0];
            return new Launch(blk, ign, fds, true, unset, closed, pending);
        } catch (NumberFormatException e) {
            Log.warn("ignoring malformed " + VARIABLE + "='" + value + "'");
            return new Launch(0, 0, new int[0], false);
        }
    }

    String encode() {
        StringBuilder b = new StringBuilder();
        b.append(Long.toHexString(sigmask)).append(':').append(Long.toHexString(sigignored)).append(':');
        for (int i = 0; i < fds.length; i++) b.append(i == 0 ? "" : ",").append(fds[i]);
        b.append(':').append(String.join(",", unset)).append(':');
        for (int i = 0; i < closedStd.length; i++) b.append(i == 0 ? "" : ",").append(closedStd[i]);
        b.append(':');
        for (int i = 0; i < pending.length; i++) b.append(i == 0 ? "" : " ").append(pending[i]);
        return b.toString();
    }

    /** The environment the child gets: jinit's, with the launcher's changes undone. */
    byte[][] childEnvironment(byte[][] env) {
        if (!launcherEnvironment) return env;
        List<String> replaced = new ArrayList<>(java.util.Arrays.asList(unset));
        for (byte[] e : env) {
            if (startsWith(e, SAVED_PREFIX)) {
                int eq = indexOf(e, (byte) '=');
                if (eq > 0) replaced.add(new String(e, SAVED_PREFIX.length(), eq - SAVED_PREFIX.length(), StandardCharsets.ISO_8859_1));
            }
        }
        List<byte[]> out = new ArrayList<>(env.length);
        for (byte[] e : env) {
            if (Bytes.hasName(e, VARIABLE) || Bytes.hasName(e, STAGE0)) continue;
            if (recorded && Bytes.hasName(e, SR_SIGNUM)) continue;
            if (startsWith(e, SAVED_PREFIX)) {
                out.add(java.util.Arrays.copyOfRange(e, SAVED_PREFIX.length(), e.length));
                continue;
            }
            if (hasAnyName(e, replaced)) continue;
            out.add(e);
        }
        return out.toArray(new byte[0][]);
    }

    /** The value of {@code name} in an environment, in the charset of file names; null when unset. */
    public static String variable(byte[][] env, String name) {
        for (byte[] e : env) {
            if (Bytes.hasName(e, name)) return new String(e, name.length() + 1, e.length - name.length() - 1, jnuCharset());
        }
        return null;
    }

    private static boolean hasAnyName(byte[] e, List<String> names) {
        for (String n : names) if (Bytes.hasName(e, n)) return true;
        return false;
    }

    private static int indexOf(byte[] e, byte b) {
        for (int i = 0; i < e.length; i++) if (e[i] == b) return i;
        return -1;
    }

    static boolean startsWith(byte[] e, String prefix) {
        if (e.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (e[i] != prefix.charAt(i)) return false;
        return true;
    }

    /**
     * jinit's arguments as the bytes the kernel holds. The JVM decodes argv through the
     * locale's charset, which loses bytes that are not valid in it (under LANG=C, anything
     * above 0x7f); /proc/self/cmdline still has them, and its last {@code args.length}
     * entries are ours. Without /proc, the decoded strings are encoded back.
     */
    static byte[][] argumentBytes(Native sys, String[] args) {
        byte[] raw = sys.readFile("/proc/self/cmdline");
        if (raw != null) { // else no /proc
            List<byte[]> cmdline = Bytes.splitNul(raw);
            if (cmdline.size() >= args.length) {
                List<byte[]> ours = cmdline.subList(cmdline.size() - args.length, cmdline.size());
                return ours.toArray(new byte[0][]);
            }
        }
        Charset cs = jnuCharset();
        byte[][] out = new byte[args.length][];
        boolean lossy = false;
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(cs);
            lossy |= args[i].indexOf('\uFFFD') >= 0;
        }
        if (lossy) Log.warn("/proc/self/cmdline is not readable: arguments pass through the {} charset, which lost bytes not valid in it", cs);
        return out;
    }

    /**
     * The environment as {@code System.getenv()} shows it (decoded with the charset of
     * {@link #jnuCharset}; an entry without '=' left out), from the bytes the backend read:
     * the native executable has no JDK environment natives.
     */
    static Map<String, String> variables(byte[][] env) {
        Charset cs = jnuCharset();
        Map<String, String> out = new HashMap<>();
        for (byte[] e : env) {
            int eq = indexOf(e, (byte) '=');
            if (eq > 0) out.put(new String(e, 0, eq, cs), new String(e, eq + 1, e.length - eq - 1, cs));
        }
        return out;
    }

    /** The charset the JVM decodes arguments and file names with (sun.jnu.encoding). */
    static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * Standard descriptors this JVM was started without (java -jar with 2>&-): the JVM's own
     * first files (its modules image, a jar) took their numbers. Read from /proc; none without.
     */
    static int[] closedStandardDescriptors() {
        String javaHome = System.getProperty("java.home") + "/";
        int[] out = new int[3];
        int n = 0;
        for (int fd = 0; fd <= 2; fd++) {
            try {
                java.io.File link = new java.io.File("/proc/self/fd/" + fd);
                String t = link.exists() ? link.getCanonicalPath() : "";
                if (t.startsWith(javaHome) || t.endsWith(".jar")) out[n++] = fd;
            } catch (IOException | RuntimeException e) {
                // not open, or no /proc
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** SigBlk and SigIgn of this process's first thread, which the JVM leaves as exec set it. */
    static Launch ofThisProcess(int pid) {
        long blk = 0, ign = 0;
        try {
            String status = new String(Bytes.readFile("/proc/self/task/" + pid + "/status"), StandardCharsets.ISO_8859_1);
            for (String line : status.split("\n")) {
                if (line.startsWith("SigBlk:")) blk = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                if (line.startsWith("SigIgn:")) ign = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: an empty mask and default dispositions, the conventional start state
        }
        return new Launch(blk, ign, new int[0], true, new String[0], closedStandardDescriptors(), new int[0]);
    }
}
