package jinit.control;

import jinit.Durations;
import jinit.ExitStatus;
import jinit.Log;
import jinit.LoopState;
import jinit.Main;
import jinit.ProcessTree;
import jinit.Signals;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The answer to `status`: jinit, the main child, readiness, the stop deadline, counters and the
 * processes below jinit, as one line of JSON (README.md, "Protocol", lists the members). Built
 * on the socket thread from the main loop's published state and /proc.
 */
final class StatusReport {
    /** At most this many processes are listed (about 150 bytes each). */
    static final int MAX_LISTED = 10_000;

    private final ControlSockets c;
    private long jinitStartMillis;

    StatusReport(ControlSockets c) {
        this.c = c;
    }

    String build(MainChild child, SocketLoop.Counters connections, Notifications notify) {
        LoopState m = c.queue.state();
        long nowMillis = System.currentTimeMillis();
        StringBuilder b = new StringBuilder(2048);
        b.append("\"jinit\":{\"pid\":").append(c.self)
            .append(",\"version\":").append(Json.quote(Main.VERSION))
            .append(",\"backend\":").append(Json.quote(c.sys.name()))
            .append(",\"mode\":").append(c.pid1 ? "\"pid1\"" : "\"subreaper\"")
            .append(",\"started\":").append(Json.quote(instant(started())))
            .append(",\"uptime_ms\":").append(nowMillis - started()).append('}');

        b.append(",\"child\":{\"pid\":").append(child.pid).append(",\"command\":[");
        for (int i = 0; i < child.command.length; i++) b.append(i == 0 ? "" : ",").append(Json.quote(child.command[i]));
        b.append(']');
        if (m.childAlive) {
            ProcessTree.Proc p = ProcessTree.read(c.sys, "/proc/" + child.pid + "/stat");
            boolean stopped = p != null && (p.state == 'T' || p.state == 't');
            b.append(",\"state\":").append(stopped ? "\"stopped\"" : "\"running\"")
                .append(",\"since\":").append(Json.quote(instant(child.startMillis)));
        } else {
            int sig = m.childStatus & 0x7f;
            b.append(",\"state\":\"exited\",\"since\":").append(Json.quote(instant(c.queue.childExitMillis())))
                .append(",\"exit_code\":").append(ExitStatus.of(m.childStatus));
            if (sig != 0) b.append(",\"signal\":").append(Json.quote(Signals.name(sig)));
        }
        b.append('}');

        String readiness = c.readiness.state(m);
        b.append(",\"ready\":").append(readiness.equals("ready"))
            .append(",\"readiness\":{\"state\":").append(Json.quote(readiness))
            .append(",\"notify\":").append(notify != null);
        if (readiness.equals("ready")) b.append(",\"since\":").append(Json.quote(instant(c.readiness.sinceMillis(child.startMillis))));
        if (notify != null) {
            b.append(",\"socket\":").append(Json.quote(c.notifyPath))
                .append(",\"status\":").append(notify.statusText() == null ? "null" : Json.quote(notify.statusText()))
                .append(",\"mainpid\":").append(notify.mainPid() == 0 ? "null" : Integer.toString(notify.mainPid()))
                .append(",\"watchdog_usec\":").append(notify.watchdogNanos() == 0 ? "null" : Long.toString(notify.watchdogNanos() / 1000))
                .append(",\"last_watchdog\":").append(notify.lastPingMillis() == 0 ? "null" : Json.quote(instant(notify.lastPingMillis())));
        }
        if (c.readiness.readyFile() != null) b.append(",\"ready_file\":").append(Json.quote(c.readiness.readyFile()));
        b.append('}');

        b.append(",\"stopping\":").append(m.stopping);
        if (m.stopping) b.append(",\"deadline_ms\":").append(Durations.roundedMillis(m.deadlineNanos - System.nanoTime()));

        b.append(",\"counters\":{\"orphans_reaped\":").append(m.orphansReaped).append(",\"signals_relayed\":{");
        boolean first = true;
        for (int sig = 1; sig < m.relayed.length; sig++) {
            if (m.relayed[sig] == 0) continue;
            b.append(first ? "" : ",").append(Json.quote(Signals.name(sig))).append(':').append(m.relayed[sig]);
            first = false;
        }
        b.append("},\"control\":{\"connections\":").append(connections.accepted)
            .append(",\"refused\":").append(connections.refused)
            .append(",\"bad_requests\":").append(connections.badRequests)
            .append(",\"timeouts\":").append(connections.timeouts).append('}');
        if (notify != null) {
            b.append(",\"notify\":{\"accepted\":").append(notify.accepted)
                .append(",\"other_uid\":").append(notify.otherUid)
                .append(",\"oversize\":").append(notify.oversize)
                .append(",\"malformed\":").append(notify.malformed).append('}');
        }
        b.append(",\"log_lines_dropped\":").append(Log.dropped()).append('}');

        b.append(",\"processes\":").append(tree());
        return Json.ok(b.toString());
    }

    /** The processes below jinit, parents first, as a JSON array (the first MAX_LISTED), and how many there are. */
    private String tree() {
        StringBuilder b = new StringBuilder(256).append('[');
        List<ProcessTree.Proc> all = ProcessTree.descendants(c.sys, c.self);
        int listed = 0;
        for (ProcessTree.Proc p : all) {
            if (listed == MAX_LISTED) break;
            b.append(listed++ == 0 ? "{" : ",{").append("\"pid\":").append(p.pid).append(",\"ppid\":").append(p.ppid)
                .append(",\"pgid\":").append(p.pgid).append(",\"sid\":").append(p.sid)
                .append(",\"state\":").append(Json.quote(String.valueOf(p.state)))
                .append(",\"command\":").append(Json.quote(commandLine(p))).append('}');
        }
        b.append(']');
        if (all.size() > MAX_LISTED) b.append(",\"processes_not_listed\":").append(all.size() - MAX_LISTED);
        return b.toString();
    }

    private String commandLine(ProcessTree.Proc p) {
        byte[] raw = new byte[512];
        int n = c.sys.readFile("/proc/" + p.pid + "/cmdline", raw); // -errno: gone meanwhile
        while (n > 0 && raw[n - 1] == 0) n--;
        if (n <= 0) return "[" + p.comm + "]"; // a zombie, a kernel thread, or gone
        for (int i = 0; i < n; i++) if (raw[i] == 0) raw[i] = ' ';
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * When jinit's process started: the kernel's start time of this process (/proc/self/stat,
     * in clock ticks since boot, 100 a second on Linux) set against /proc/uptime; without
     * /proc, when the sockets were set up.
     */
    private long started() {
        if (jinitStartMillis != 0) return jinitStartMillis;
        jinitStartMillis = c.startMillis;
        byte[] statBytes = c.sys.readFile("/proc/self/stat"), upBytes = c.sys.readFile("/proc/uptime");
        if (statBytes == null || upBytes == null) return jinitStartMillis; // no /proc: the set-up time
        try {
            String stat = new String(statBytes, StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[19]); // field 22, starttime
            String up = new String(upBytes, StandardCharsets.ISO_8859_1);
            double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
            long age = (long) (uptime * 1000) - ticks * 10;
            if (age >= 0 && age < System.currentTimeMillis()) jinitStartMillis = System.currentTimeMillis() - age;
        } catch (RuntimeException e) {
            // not as expected: the set-up time
        }
        return jinitStartMillis;
    }

    private static String instant(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }
}
