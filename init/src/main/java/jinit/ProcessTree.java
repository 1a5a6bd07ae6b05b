package jinit;

import jinit.sys.Native;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The processes below jinit, read from /proc (only when shutting down or when asked). */
public final class ProcessTree {

    /** One line of /proc/PID/stat. */
    public static final class Proc {
        public final int pid, ppid, pgid, sid;
        public final char state;
        public final String comm;

        Proc(int pid, int ppid, int pgid, int sid, char state, String comm) {
            this.pid = pid;
            this.ppid = ppid;
            this.pgid = pgid;
            this.sid = sid;
            this.state = state;
            this.comm = comm;
        }
    }

    private ProcessTree() {}

    /**
     * True when /proc shows this process under its own pid: not when /proc is missing, nor when
     * it belongs to another PID namespace (unshare --pid without a new /proc), where the same
     * numbers are other processes.
     */
    static boolean available(Native sys, int self) {
        byte[] link = sys.readLink("/proc/self"); // "PID" of the reader, in /proc's namespace
        return link != null && new String(link, StandardCharsets.ISO_8859_1).equals(Integer.toString(self))
            && sys.readFile("/proc/" + self + "/stat", new byte[1]) == 1;
    }

    /** The pid of every process /proc shows; none when /proc is missing. */
    static int[] pids(Native sys) {
        return pids(sys.listDirectory("/proc"));
    }

    private static int[] pids(String[] names) {
        if (names == null) return new int[0];
        int[] out = new int[names.length];
        int n = 0;
        for (String name : names) {
            int pid = 0, i = 0;
            for (; i < name.length() && name.charAt(i) >= '0' && name.charAt(i) <= '9'; i++) pid = pid * 10 + (name.charAt(i) - '0');
            if (i > 0 && i == name.length()) out[n++] = pid;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Every process /proc shows; empty when /proc is missing. */
    static List<Proc> all(Native sys) {
        List<Proc> out = new ArrayList<>(); // empty without /proc: the caller falls back to process groups
        byte[] buf = new byte[STAT_BYTES]; // one buffer for the whole scan: no garbage per process
        for (int pid : pids(sys)) {
            Proc p = read(sys, "/proc/" + pid + "/stat", buf);
            if (p != null) out.add(p);
        }
        return out;
    }

    /** The processes below {@code root}, parents before their children. */
    public static List<Proc> descendants(Native sys, int root) {
        Map<Integer, List<Proc>> children = new HashMap<>();
        for (Proc p : all(sys)) {
            List<Proc> siblings = children.get(p.ppid);
            if (siblings == null) children.put(p.ppid, siblings = new ArrayList<>());
            siblings.add(p);
        }
        List<Proc> out = new ArrayList<>();
        List<Integer> queue = new ArrayList<>();
        queue.add(root);
        for (int i = 0; i < queue.size(); i++) {
            for (Proc c : children.getOrDefault(queue.get(i), List.of())) {
                out.add(c);
                queue.add(c.pid);
            }
        }
        return out;
    }

    /** More than a /proc/PID/stat line takes (52 numbers and a comm of at most 64 bytes). */
    private static final int STAT_BYTES = 2048;

    /** One /proc/PID/stat, read through the backend: null when it cannot be read or parsed. */
    public static Proc read(Native sys, String stat) {
        return read(sys, stat, new byte[STAT_BYTES]);
    }

    /**
     * Reads and parses one /proc/PID/stat into {@code buf}; null when it cannot be read (the
     * process exited meanwhile) or parsed. Parsed from the bytes, without Strings per field: a
     * scan reads every process of the machine and runs mostly interpreted.
     */
    static Proc read(Native sys, String stat, byte[] buf) {
        int n = sys.readFile(stat, buf);
        return n < 0 ? null : parse(buf, n);
    }

    /** "PID (COMM) S PPID PGRP SESSION ...": COMM may hold spaces and parentheses, so the last ')' ends it. */
    static Proc parse(byte[] b, int n) {
        int close = n - 1;
        while (close >= 0 && b[close] != ')') close--;
        int open = 0;
        while (open < n && b[open] != '(') open++;
        if (close < open + 1 || close + 3 >= n) return null;
        char state = (char) b[close + 2];
        int[] f = new int[3]; // ppid, pgrp, session
        int at = close + 3;
        for (int i = 0; i < 3; i++) {
            if (at >= n || b[at] != ' ') return null;
            at++;
            boolean negative = at < n && b[at] == '-';
            if (negative) at++;
            int v = 0, digits = 0;
            for (; at < n && b[at] >= '0' && b[at] <= '9'; at++, digits++) v = v * 10 + (b[at] - '0');
            if (digits == 0) return null;
            f[i] = negative ? -v : v;
        }
        int pid = 0, i = 0;
        for (; i < open && b[i] >= '0' && b[i] <= '9'; i++) pid = pid * 10 + (b[i] - '0');
        if (i == 0) return null;
        return new Proc(pid, f[0], f[1], f[2], state, new String(b, open + 1, close - open - 1, StandardCharsets.ISO_8859_1));
    }
}
