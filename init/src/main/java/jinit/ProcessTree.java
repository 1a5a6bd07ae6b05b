package jinit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The processes below jinit, read from /proc (only when shutting down or when asked). */
final class ProcessTree {

    /** One line of /proc/PID/stat. */
    static final class Proc {
        final int pid, ppid, pgid, sid;
        final char state;
        final String comm;

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
    static boolean available(int self) {
        try {
            return new File("/proc/self").getCanonicalPath().equals("/proc/" + self) && new File("/proc/" + self + "/stat").canRead();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every process /proc shows; empty when /proc is missing. */
    static List<Proc> all() {
        List<Proc> out = new ArrayList<>();
        String[] names = new File("/proc").list();
        if (names == null) return out; // no /proc: the caller falls back to process groups
        for (String name : names) {
            if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') continue;
            Proc p = read("/proc/" + name + "/stat");
            if (p != null) out.add(p);
        }
        return out;
    }

    /** The processes below {@code root}, parents before their children. */
    static List<Proc> descendants(int root) {
        Map<Integer, List<Proc>> children = new HashMap<>();
        for (Proc p : all()) children.computeIfAbsent(p.ppid, k -> new ArrayList<>()).add(p);
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

    static Proc read(String stat) {
        try {
            String s = new String(jinit.sys.Bytes.readFile(stat), StandardCharsets.ISO_8859_1);
            int open = s.indexOf('('), close = s.lastIndexOf(')');
            if (open < 0 || close < open) return null;
            String[] f = s.substring(close + 2).split(" ");
            return new Proc(Integer.parseInt(s.substring(0, open).trim()), Integer.parseInt(f[1]),
                Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[0].charAt(0), s.substring(open + 1, close));
        } catch (IOException | RuntimeException e) {
            return null; // it exited meanwhile
        }
    }
}
