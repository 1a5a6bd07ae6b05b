package jinit.control;

import jinit.Durations;
import jinit.Options;
import jinit.Signals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's requests, for both ends: one line of ASCII words, the command first,
 * at most {@value #MAX_REQUEST} bytes; the answer is one line of JSON ({@link Json}).
 * {@link #parse} is the one parser and {@link #COMMANDS} the one command list: jinit's socket
 * thread parses each request line with it, and `jinit ctl` its arguments, before it connects.
 * README.md, "Looking into a running jinit", describes the protocol.
 */
public final class Protocol {
    private Protocol() {}

    public static final String STATUS = "status", READY = "ready", SIGNAL = "signal", STOP = "stop";
    static final String ALL = "--all", GRACE = "--grace";
    public static final int MAX_REQUEST = 1024;

    /** The commands: name, arguments, what it does. The usage of `jinit ctl` and every error name them from here. */
    private static final String[][] TABLE = {
        {STATUS, "", "pid, uptime, mode, main child, readiness, counters, processes"},
        {READY, "", "exit 0 when the application is ready, 1 when it is not"},
        {SIGNAL, " SIG [" + ALL + "]", "send SIG to the main child's process group (" + ALL + ": every process below jinit)"},
        {STOP, " [" + GRACE + " DURATION]", "stop as a TERM would, with this grace period if given"},
    };

    /** "status, ready, signal SIG [--all], stop [--grace DURATION]". */
    public static final String COMMANDS = commands();

    /** A request that is none: why, in one line. */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** One well-formed request. */
    public static final class Command {
        public final String name;
        /** SIGNAL: the signal; STOP with --grace: the grace period, else -1. */
        public final int signal;
        public final boolean all;
        public final long graceNanos;
        private final String graceText;

        private Command(String name, int signal, boolean all, long graceNanos, String graceText) {
            this.name = name;
            this.signal = signal;
            this.all = all;
            this.graceNanos = graceNanos;
            this.graceText = graceText;
        }

        /** The request line that asks for it, without its newline. */
        public String line() {
            if (name.equals(SIGNAL)) return SIGNAL + " " + Signals.name(signal) + (all ? " " + ALL : "");
            if (name.equals(STOP) && graceText != null) return STOP + " " + GRACE + " " + graceText;
            return name;
        }
    }

    /** The command the words ask for: checked whole, or one line saying what is wrong. */
    public static Command parse(List<String> w) throws BadRequest {
        if (w.isEmpty()) throw new BadRequest("no command (" + COMMANDS + ")");
        String name = w.get(0);
        int n = w.size();
        switch (name) {
            case STATUS:
            case READY:
                if (n == 1) return new Command(name, 0, false, -1, null);
                break;
            case SIGNAL:
                if (n == 2 || (n == 3 && w.get(2).equals(ALL))) {
                    int sig = Signals.parse(w.get(1));
                    if (sig < 0) throw new BadRequest("unknown signal '" + abbreviate(w.get(1)) + "'");
                    return new Command(name, sig, n == 3, -1, null);
                }
                break;
            case STOP:
                if (n == 1) return new Command(name, 0, false, -1, null);
                String grace = n == 3 && w.get(1).equals(GRACE) ? w.get(2)
                    : n == 2 && w.get(1).startsWith(GRACE + "=") ? w.get(1).substring(GRACE.length() + 1) : null;
                if (grace == null) break;
                try {
                    return new Command(name, 0, false, Durations.parse(GRACE, grace), grace.trim());
                } catch (Options.UsageException e) {
                    throw new BadRequest(e.getMessage());
                }
            default:
                throw new BadRequest("unknown command '" + abbreviate(name) + "' (" + COMMANDS + ")");
        }
        throw new BadRequest("bad arguments for " + name + " (" + COMMANDS + ")");
    }

    /** The words of a request line, or BadRequest when it is not text (UTF-8 beyond ASCII is never a command). */
    public static List<String> words(byte[] line, int length) throws BadRequest {
        if (length > 0 && line[length - 1] == '\r') length--;
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if ((b < 0x20 && b != '\t') || b == 0x7f) throw new BadRequest("bad request: not a text command");
        }
        return words(new String(line, 0, length, StandardCharsets.ISO_8859_1));
    }

    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
            if (i > start) out.add(line.substring(start, i));
        }
        return out;
    }

    /** The commands, one a line, for `jinit ctl --help`. */
    static String usage() {
        StringBuilder b = new StringBuilder();
        for (String[] c : TABLE) {
            String syntax = c[0] + c[1];
            b.append("  ").append(syntax).append(" ".repeat(Math.max(1, 24 - syntax.length()))).append(c[2]).append('\n');
        }
        return b.toString();
    }

    private static String commands() {
        StringBuilder b = new StringBuilder();
        for (String[] c : TABLE) b.append(b.length() == 0 ? "" : ", ").append(c[0]).append(c[1]);
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
