package jinit.control;

import jinit.Durations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What `jinit ctl` prints of jinit's JSON answers without --json: lines for a person. */
final class ReadableAnswer {
    private ReadableAnswer() {}

    @SuppressWarnings("unchecked")
    static String status(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> j = map(m.get("jinit"));
        b.append("jinit ").append(j.get("version")).append(": pid ").append(j.get("pid")).append(" (")
            .append("pid1".equals(j.get("mode")) ? "PID 1" : "subreaper").append(", ").append(j.get("backend"))
            .append(" backend), up ").append(Durations.formatMillis(number(j.get("uptime_ms")))).append('\n');

        Map<String, Object> c = map(m.get("child"));
        b.append("main child: pid ").append(c.get("pid")).append(", ").append(c.get("state"));
        if ("exited".equals(c.get("state"))) {
            b.append(" with ").append(c.get("exit_code"));
            if (c.get("signal") != null) b.append(" (killed by ").append(c.get("signal")).append(')');
        }
        b.append(" since ").append(c.get("since")).append(": ").append(command((List<Object>) c.get("command"))).append('\n');

        Map<String, Object> r = map(m.get("readiness"));
        b.append("readiness: ").append(r.get("state"));
        if (r.get("since") != null) b.append(" since ").append(r.get("since"));
        if (Boolean.TRUE.equals(r.get("notify"))) {
            b.append(" (sd_notify");
            if (r.get("status") != null) b.append(", STATUS=").append(r.get("status"));
            if (r.get("mainpid") != null) b.append(", MAINPID=").append(r.get("mainpid"));
            if (r.get("watchdog_usec") != null) {
                b.append(", watchdog ").append(Durations.formatMillis(number(r.get("watchdog_usec")) / 1000));
                if (r.get("last_watchdog") != null) b.append(", last ping ").append(r.get("last_watchdog"));
            }
            b.append(')');
        } else {
            b.append(" (no --notify: ready while the main child runs)");
        }
        b.append('\n');

        b.append("stopping: ").append(Boolean.TRUE.equals(m.get("stopping"))
            ? "yes, deadline in " + Durations.formatMillis(number(m.get("deadline_ms"))) : "no").append('\n');

        Map<String, Object> k = map(m.get("counters"));
        b.append("orphans reaped: ").append(k.get("orphans_reaped")).append('\n');
        Map<String, Object> relayed = map(k.get("signals_relayed"));
        b.append("signals relayed: ");
        if (relayed.isEmpty()) b.append("none");
        boolean first = true;
        for (Map.Entry<String, Object> e : relayed.entrySet()) {
            b.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
            first = false;
        }
        b.append('\n');
        Map<String, Object> ctl = map(k.get("control"));
        b.append("control connections: ").append(ctl.get("connections")).append(" served, ").append(ctl.get("refused"))
            .append(" refused, ").append(ctl.get("bad_requests")).append(" bad requests, ").append(ctl.get("timeouts"))
            .append(" timed out\n");
        if (k.get("notify") != null) {
            Map<String, Object> n = map(k.get("notify"));
            b.append("notify datagrams: ").append(n.get("accepted")).append(" accepted; ignored: ").append(n.get("other_uid"))
                .append(" from other uids, ").append(n.get("oversize")).append(" oversize, ").append(n.get("malformed"))
                .append(" malformed\n");
        }
        if (number(k.get("log_lines_dropped")) > 0) b.append("log lines dropped: ").append(k.get("log_lines_dropped")).append('\n');

        List<Object> procs = (List<Object>) m.get("processes");
        b.append("processes below jinit: ").append(procs == null ? 0 : procs.size()).append('\n');
        if (procs != null && !procs.isEmpty()) {
            b.append(String.format("%8s %8s %8s %8s %s %s%n", "PID", "PPID", "PGID", "SID", "S", "COMMAND"));
            for (Object o : procs) {
                Map<String, Object> p = map(o);
                b.append(String.format("%8s %8s %8s %8s %s %s%n", p.get("pid"), p.get("ppid"), p.get("pgid"), p.get("sid"),
                    p.get("state"), p.get("command")));
            }
        }
        return b.toString();
    }

    static String signalled(Map<String, Object> m) {
        Object target = m.get("target");
        if ("all".equals(target)) {
            Object n = m.get("processes");
            return "sent " + m.get("signal") + " to " + (n == null ? "every process (kill -1)" : n + " processes below jinit");
        }
        return "sent " + m.get("signal") + " to " + ("child".equals(target) ? "the main child " : "the process group of the main child ") + m.get("pid");
    }

    static String stopped(Map<String, Object> m) {
        String when = "deadline in " + Durations.formatMillis(number(m.get("deadline_ms")));
        if (Boolean.TRUE.equals(m.get("already"))) return "already stopping; " + when;
        return "stopping: " + m.get("signal") + " sent to the main child; " + when;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : new LinkedHashMap<>();
    }

    private static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    /** The command line as a shell would take it back. */
    static String command(List<Object> argv) {
        if (argv == null) return "";
        List<String> out = new ArrayList<>();
        for (Object o : argv) {
            String a = String.valueOf(o);
            boolean plain = !a.isEmpty();
            for (int i = 0; i < a.length() && plain; i++) {
                char ch = a.charAt(i);
                plain = Character.isLetterOrDigit(ch) || "-_./=:,+@%".indexOf(ch) >= 0;
            }
            out.add(plain ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", out);
    }
}
