package jinit.sys;

import java.util.ArrayList;
import java.util.List;

/** NUL-separated byte strings, as in /proc/PID/cmdline and /proc/PID/environ. */
public final class Bytes {
    private Bytes() {}

    public static List<byte[]> splitNul(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(java.util.Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        if (start < data.length) out.add(java.util.Arrays.copyOfRange(data, start, data.length));
        return out;
    }

    /**
     * The whole content of a file, read with java.io, for code that has no backend at hand
     * (the JVM-only start path, the control socket's status); the init reads through
     * {@link Native#readFile}, which the native executable needs. Not with NIO's FileChannel:
     * its first use in a thread unblocks and installs a handler for signal 62 (SIGRTMAX-2, the
     * JDK's I/O interrupt signal), which would take that signal away from jinit's sigtimedwait.
     */
    public static byte[] readFile(String path) throws java.io.IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(path)) {
            return in.readAllBytes();
        }
    }

    /** True when {@code entry} is "NAME=..." for this name. */
    public static boolean hasName(byte[] entry, String name) {
        int n = name.length();
        if (entry.length <= n || entry[n] != '=') return false;
        for (int i = 0; i < n; i++) if (entry[i] != name.charAt(i)) return false;
        return true;
    }
}
