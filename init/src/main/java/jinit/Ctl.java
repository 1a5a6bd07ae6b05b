package jinit;

import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jinit ctl}: the control socket's client. The launcher runs it in a plain JVM when its
 * first argument is {@code ctl}. It sends one request line and prints the answer, readable or
 * as the JSON jinit sent ({@code --json}). Exit status: 0, or for {@code ready} 0 when the
 * application is ready and 1 when not; 2 for any error, with one line on stderr.
 */
public final class Ctl {
    static final int ERROR = 2;
    private static final long TIMEOUT_MILLIS = 10_000;
    static final String COMMANDS = "status, ready, signal SIG [--all], stop [--grace DURATION]";
    static final String USAGE = String.join("\n",
        "usage: jinit ctl [--socket PATH] [--json] COMMAND",
        "  status                  pid, uptime, mode, main child, readiness, counters, processes",
        "  ready                   exit 0 when the application is ready, 1 when it is not",
        "  signal SIG [--all]      send SIG to the main child's process group (--all: every process below jinit)",
        "  stop [--grace DURATION] stop as a TERM would, with this grace period if given",
        "  --socket PATH           the control socket (default: $JINIT_CONTROL_SOCKET)",
        "  --json                  print jinit's answer as JSON");

    /** A usage or connection error: one line, exit 2. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private Ctl() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv("JINIT_CONTROL_SOCKET"), System.out);
        } catch (Failure e) {
            System.err.println("jinit ctl: " + e.getMessage());
            code = ERROR;
        } catch (Throwable t) {
            System.err.println("jinit ctl: internal error: " + t);
            code = ERROR;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    static int run(String[] args, String socketFromEnv, PrintStream out) throws Failure {
        String socket = socketFromEnv;
        boolean json = false;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--socket")) {
                if (++i >= args.length) throw new Failure("--socket needs a path");
                socket = args[i];
            } else if (a.startsWith("--socket=")) {
                socket = a.substring("--socket=".length());
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("-")) {
                throw new Failure("unknown option '" + a + "' (jinit ctl --help)");
            } else {
                break;
            }
        }
        String request = request(java.util.Arrays.copyOfRange(args, i, args.length));
        if (socket == null || socket.isEmpty()) {
            throw new Failure("no control socket: give --socket PATH or set JINIT_CONTROL_SOCKET");
        }
        String answer = exchange(socket, request);
        Map<String, Object> m = parse(answer);
        String command = request.split(" ")[0];
        if (!Boolean.TRUE.equals(m.get("ok"))) {
            if (json) out.print(answer);
            Object error = m.get("error");
            throw new Failure(error == null ? "jinit answered: " + answer.trim() : error.toString());
        }
        if (json) out.print(answer);
        switch (command) {
            case "ready": {
                boolean ready = Boolean.TRUE.equals(m.get("ready"));
                if (!json) out.println(ready ? "ready" : "not ready (" + m.get("readiness") + ")");
                return ready ? 0 : 1;
            }
            case "status":
                if (!json) out.print(status(m));
                return 0;
            case "signal":
                if (!json) out.println(signalled(m));
                return 0;
            default:
                if (!json) out.println(stopped(m));
                return 0;
        }
    }

    /** The request line for the command words, checked here so that a typo needs no jinit. */
    static String request(String[] w) throws Failure {
        if (w.length == 0) throw new Failure("no command (" + COMMANDS + ")");
        switch (w[0]) {
            case "status":
            case "ready":
                if (w.length == 1) return w[0];
                break;
            case "signal":
                if (w.length == 2 || (w.length == 3 && w[2].equals("--all"))) {
                    if (Signals.parse(w[1]) < 0 || w[1].indexOf(' ') >= 0) throw new Failure("unknown signal '" + w[1] + "'");
                    return "signal " + w[1] + (w.length == 3 ? " --all" : "");
                }
                break;
            case "stop":
                if (w.length == 1) return "stop";
                if (w.length == 3 && w[1].equals("--grace")) {
                    try {
                        Options.duration("--grace", w[2]);
                    } catch (Options.UsageException e) {
                        throw new Failure(e.getMessage());
                    }
                    return "stop --grace " + w[2];
                }
                if (w.length == 2 && w[1].startsWith("--grace=")) return request(new String[] {"stop", "--grace", w[1].substring(8)});
                break;
            default:
                throw new Failure("unknown command '" + w[0] + "' (" + COMMANDS + ")");
        }
        throw new Failure("bad arguments for " + w[0] + " (" + COMMANDS + ")");
    }

    /** Sends the request and reads the answer line; gives up after {@link #TIMEOUT_MILLIS}. */
    static String exchange(String socket, String request) throws Failure {
        Thread timer = new Thread("jinit-ctl-timeout") { // not a lambda: no bootstrap cost at start
            @Override public void run() {
                timeout();
            }
        };
        timer.setDaemon(true);
        timer.start();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new Failure("cannot connect to " + socket + ": " + reason(e));
            }
            ByteBuffer req = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (req.hasRemaining()) ch.write(req);
            } catch (IOException e) {
                // refused peers are answered and closed at once: read what jinit said
            }
            ByteBuffer buf = ByteBuffer.allocate(8192);
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            for (;;) {
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    if (answer.size() > 0) break;
                    throw new Failure("lost the connection to " + socket + ": " + reason(e));
                }
                if (n < 0) break;
                buf.flip();
                boolean line = false;
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    answer.write(b);
                    if (b == '\n') line = true;
                }
                buf.clear();
                if (line) break;
                if (answer.size() > 64 << 20) throw new Failure("answer from jinit too long");
            }
            if (answer.size() == 0) throw new Failure("jinit closed the connection without an answer");
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("cannot connect to " + socket + ": " + reason(e));
        }
    }

    private static void timeout() {
        try {
            Thread.sleep(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("jinit ctl: no answer from jinit within " + TIMEOUT_MILLIS / 1000 + " s");
        System.err.flush();
        Runtime.getRuntime().halt(ERROR);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        String l = m.toLowerCase(java.util.Locale.ROOT);
        if (l.contains("no such file")) return "no such socket (is jinit running with --control-socket?)";
        if (l.contains("connection refused")) return "connection refused (nobody listens: is jinit still running?)";
        if (l.contains("permission denied")) return "permission denied (only jinit's user and root may use it)";
        return e instanceof SocketException ? m : e.getClass().getSimpleName() + ": " + m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String answer) throws Failure {
        try {
            Object o = Json.parse(answer.trim());
            if (o instanceof Map) return (Map<String, Object>) o;
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new Failure("not an answer from jinit: " + abbreviate(answer.trim()));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    // ---- readable output

    @SuppressWarnings("unchecked")
    static String status(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> j = map(m.get("jinit"));
        b.append("jinit ").append(j.get("version")).append(": pid ").append(j.get("pid")).append(" (")
            .append("pid1".equals(j.get("mode")) ? "PID 1" : "subreaper").append(", ").append(j.get("backend"))
            .append(" backend), up ").append(duration(number(j.get("uptime_ms")))).append('\n');

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
                b.append(", watchdog ").append(duration(number(r.get("watchdog_usec")) / 1000));
                if (r.get("last_watchdog") != null) b.append(", last ping ").append(r.get("last_watchdog"));
            }
            b.append(')');
        } else {
            b.append(" (no --notify: ready while the main child runs)");
        }
        b.append('\n');

        b.append("stopping: ").append(Boolean.TRUE.equals(m.get("stopping"))
            ? "yes, deadline in " + duration(number(m.get("deadline_ms"))) : "no").append('\n');

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
        String when = "deadline in " + duration(number(m.get("deadline_ms")));
        if (Boolean.TRUE.equals(m.get("already"))) return "already stopping; " + when;
        return "stopping: " + m.get("signal") + " sent to the main child; " + when;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : new java.util.LinkedHashMap<>();
    }

    private static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    /** 850ms, 12.3s, 4m05s, 2h03m. */
    static String duration(long millis) {
        if (millis < 1000) return millis + "ms";
        if (millis < 60_000) return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        long s = millis / 1000;
        if (s < 3600) return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
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
