package jinit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The command line and the environment variables that configure jinit. Parsing stops at the
 * first argument that is not an option (PROGRAM) or after "--", so a program's own flags are
 * never taken for jinit's. Flags win over environment variables. Every option is one entry of
 * {@link Option}: its names, its value, its help line and what it sets; --help is made from them.
 */
public final class Options {

    /** A usage error: one line for the user, exit code 2. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    public static final long DEFAULT_GRACE_NANOS = 8_000_000_000L;

    public boolean subreaper;
    public boolean singleChild;
    public long graceNanos = DEFAULT_GRACE_NANOS;
    /** rewrite[received] = signal to relay instead; 0 drops it. Identity by default. */
    public final int[] rewrite = new int[65];
    public final boolean[] remapExit = new boolean[256];
    public int parentDeathSignal;
    /** --child-pdeathsig: the main child's parent-death signal; 0 none; -1 the default (see {@link #childDeathSignal(boolean)}). */
    public int childDeathSignal = -1;
    public int verbosity;
    public boolean warnOnReap;
    public boolean version;
    public boolean help;
    public boolean license;
    /** --control-socket (or JINIT_CONTROL_SOCKET): the control socket's path; null when off. */
    public String controlSocket;
    /** --notify: give the child an sd_notify socket (NOTIFY_SOCKET); implied by --watchdog and --ready-file. */
    public boolean notify;
    /** --watchdog: the child must send WATCHDOG=1 at least this often once it pings or is ready; 0: off. */
    public long watchdogNanos;
    /** --ready-file: created when the child sends READY=1, removed when jinit stops; null when off. */
    public String readyFile;
    /** Index in the argument array of PROGRAM, or args.length when there is none. */
    public int programIndex;

    private static final char NO_SHORT = 0;

    /** jinit's options: short name, long name, value (null: a flag), help (lines after the first indented), what it sets. */
    private enum Option {
        SUBREAPER('s', "subreaper", null, "register as child subreaper (automatic when not PID 1)") {
            @Override void apply(Options o, String name, String value) { o.subreaper = true; }
        },
        PGROUP('g', "pgroup", null, "relay signals to the child's whole process group (the default)") {
            @Override void apply(Options o, String name, String value) { o.singleChild = false; }
        },
        SINGLE_CHILD('c', "single-child", null, "relay signals to the main child only (dumb-init's -c)") {
            @Override void apply(Options o, String name, String value) { o.singleChild = true; }
        },
        GRACE('t', "grace", "DURATION", "stop deadline: 10s, 500ms, 2m, or a bare number of seconds\n(default 8s)") {
            @Override void apply(Options o, String name, String value) throws UsageException { o.graceNanos = Durations.parse(name, value); }
        },
        REWRITE('r', "rewrite", "FROM:TO", "rewrite a received signal before relaying (TERM, SIGTERM or 15);\nTO=0 drops it; repeatable") {
            @Override void apply(Options o, String name, String value) throws UsageException {
                int colon = value.indexOf(':');
                if (colon < 0) throw new UsageException(name + ": expected FROM:TO, got '" + value + "'");
                String to = value.substring(colon + 1);
                o.rewrite[signal(name, value.substring(0, colon))] = to.trim().equals("0") ? 0 : signal(name, to);
            }
        },
        REMAP_EXIT('e', "remap-exit", "CODE", "exit 0 when the child exits with CODE; repeatable") {
            @Override void apply(Options o, String name, String value) throws UsageException {
                int code = number(name, value);
                if (code > 255) throw new UsageException(name + ": exit code must be 0-255, got '" + value + "'");
                o.remapExit[code] = true;
            }
        },
        PDEATHSIG('p', "pdeathsig", "SIG", "signal jinit receives when its parent dies") {
            @Override void apply(Options o, String name, String value) throws UsageException { o.parentDeathSignal = signal(name, value); }
        },
        CHILD_PDEATHSIG(NO_SHORT, "child-pdeathsig", "SIG|none",
                "signal the main child receives when jinit dies, even\nby SIGKILL (default KILL as a subreaper, none as PID 1)") {
            @Override void apply(Options o, String name, String value) throws UsageException {
                o.childDeathSignal = value.trim().equalsIgnoreCase("none") ? 0 : signal(name, value);
                if (o.childDeathSignal == 32 || o.childDeathSignal == 33) throw new UsageException(name + ": signal " + value + " is glibc's own");
            }
        },
        VERBOSE('v', "verbose", null, "more logging: -v the child's spawn and exit, relayed signals,\nthe stop sequence; -vv also every orphan reaped, and times") {
            @Override void apply(Options o, String name, String value) { o.verbosity++; }
        },
        WARN_ON_REAP('w', "warn-on-reap", null, "warn for every orphan reaped") {
            @Override void apply(Options o, String name, String value) { o.warnOnReap = true; }
        },
        CONTROL_SOCKET(NO_SHORT, "control-socket", "PATH", "serve `jinit ctl` (status, signal, stop, ready) on this\nUnix socket (mode 0600; jinit's uid and root only)") {
            @Override void apply(Options o, String name, String value) throws UsageException { o.controlSocket = socketPath(name, value); }
        },
        NOTIFY(NO_SHORT, "notify", null, "give the child an sd_notify socket in NOTIFY_SOCKET (READY=1, ...)") {
            @Override void apply(Options o, String name, String value) { o.notify = true; }
        },
        WATCHDOG(NO_SHORT, "watchdog", "DURATION", "stop the child when it stops sending WATCHDOG=1 (implies --notify)") {
            @Override void apply(Options o, String name, String value) throws UsageException {
                o.watchdogNanos = Durations.parse(name, value);
                if (o.watchdogNanos < 1_000_000L) throw new UsageException(name + ": must be at least 1ms, got '" + value + "'");
                o.notify = true;
            }
        },
        READY_FILE(NO_SHORT, "ready-file", "PATH", "created on READY=1, removed on stop (implies --notify)") {
            @Override void apply(Options o, String name, String value) throws UsageException {
                if (value.isEmpty()) throw new UsageException(name + ": empty path");
                o.readyFile = value;
                o.notify = true;
            }
        },
        LICENSE('l', "license", null, "show the license and exit") {
            @Override void apply(Options o, String name, String value) { o.license = true; }
        },
        VERSION('V', "version", null, "show the version and exit") {
            @Override void apply(Options o, String name, String value) { o.version = true; }
        },
        HELP('h', "help", null, "show this help and exit") {
            @Override void apply(Options o, String name, String value) { o.help = true; }
        };

        final char shortName;
        final String longName;
        /** What the value is called in the help (DURATION, SIG), or null for a flag. */
        final String value;
        final String help;

        Option(char shortName, String longName, String value, String help) {
            this.shortName = shortName;
            this.longName = "--" + longName;
            this.value = value;
            this.help = help;
        }

        /** Sets what this option sets; {@code name} is the option as given, for messages. */
        abstract void apply(Options o, String name, String value) throws UsageException;

        static Option byShortName(char c) {
            for (Option o : values()) if (o.shortName == c && c != NO_SHORT) return o;
            return null;
        }

        static Option byLongName(String name) {
            for (Option o : values()) if (o.longName.equals(name)) return o;
            return null;
        }
    }

    public static final String USAGE = "usage: jinit [OPTIONS] [--] PROGRAM [ARG...]   (jinit --help for the options)";

    public Options() {
        for (int i = 0; i < rewrite.length; i++) rewrite[i] = i;
    }

    /** Parses the environment first, then the arguments. */
    public static Options parse(String[] args, Map<String, String> env) throws UsageException {
        Options o = new Options();
        o.applyEnvironment(env);
        o.applyArguments(args);
        return o;
    }

    void applyEnvironment(Map<String, String> env) throws UsageException {
        if (env.containsKey("TINI_SUBREAPER")) subreaper = true;
        String tiniVerbosity = env.get("TINI_VERBOSITY");
        if (tiniVerbosity != null) verbosity = Math.max(0, count("TINI_VERBOSITY", tiniVerbosity) - 1);
        String verbose = env.get("JINIT_VERBOSITY");
        if (verbose != null) verbosity = count("JINIT_VERBOSITY", verbose);
        String socket = env.get("JINIT_CONTROL_SOCKET");
        if (socket != null && !socket.isEmpty()) controlSocket = socketPath("JINIT_CONTROL_SOCKET", socket);
        String grace = env.get("JINIT_GRACE");
        if (grace != null) graceNanos = Durations.parse("JINIT_GRACE", grace);
        // TINI_KILL_PROCESS_GROUP asks for what jinit does by default: nothing to do.
    }

    void applyArguments(String[] args) throws UsageException {
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) { i++; break; }
            if (!a.startsWith("-") || a.equals("-")) break;
            if (a.startsWith("--")) { // --name, --name=value, --name value
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(0, eq) : a;
                Option option = Option.byLongName(name);
                if (option == null) throw new UsageException("unknown option '" + name + "'");
                String value = eq > 0 ? a.substring(eq + 1) : null;
                if (option.value == null && value != null) throw new UsageException("option '" + name + "' takes no value");
                if (option.value != null && value == null) {
                    if (i + 1 >= args.length) throw new UsageException("option '" + name + "' needs a value");
                    value = args[++i];
                }
                option.apply(this, name, value);
                i++;
                continue;
            }
            for (int k = 1; k < a.length(); k++) { // a cluster of short options: -sgv, -t5s, -t 5s
                char c = a.charAt(k);
                Option option = Option.byShortName(c);
                if (option == null) throw new UsageException("unknown option '-" + c + "'");
                if (option.value == null) {
                    option.apply(this, option.longName, null);
                    continue;
                }
                String value;
                if (k + 1 < a.length()) value = a.substring(k + 1);
                else if (i + 1 < args.length) value = args[++i];
                else throw new UsageException("option '-" + c + "' needs a value");
                option.apply(this, option.longName, value);
                break;
            }
            i++;
        }
        programIndex = i;
        if (programIndex >= args.length && !version && !help && !license) throw new UsageException("no program given");
    }

    /** --help: made from the table of options. */
    public static String help() {
        StringBuilder b = new StringBuilder()
            .append("jinit - a container init: reaps zombies, relays signals to the child's process group,\n")
            .append("and leaves no process behind (TERM, a grace deadline, then KILL).\n\n")
            .append("usage: jinit [OPTIONS] [--] PROGRAM [ARG...]\n\n");
        String indent = " ".repeat(25);
        for (Option o : Option.values()) {
            String names = (o.shortName != NO_SHORT ? "  -" + o.shortName + ", " : "      ") + o.longName + (o.value != null ? " " + o.value : "");
            b.append(names).append(names.length() < 25 ? " ".repeat(25 - names.length()) : "  ")
                .append(o.help.replace("\n", "\n" + indent)).append('\n');
        }
        return b.append('\n')
            .append("environment: JINIT_GRACE, JINIT_VERBOSITY, JINIT_CONTROL_SOCKET, JINIT_JAVA_OPTS, JINIT_JAVA_HOME;\n")
            .append("tini's TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP and TINI_VERBOSITY are honoured.\n")
            .append("jinit ctl [--socket PATH] [--json] COMMAND talks to a running jinit (jinit ctl --help:\n")
            .append("the commands; a program named ctl runs with: jinit -- ctl).\n")
            .append("exit status: the child's; 128+N if signal N killed it; 127 PROGRAM not found;\n")
            .append("126 not executable; 2 usage error; 1 jinit could not start.")
            .toString();
    }

    /** A Unix socket path: sun_path holds at most 107 bytes. */
    static String socketPath(String what, String path) throws UsageException {
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) throw new UsageException(what + ": empty path");
        if (bytes > 107) throw new UsageException(what + ": socket path longer than 107 bytes: '" + path + "'");
        return path;
    }

    /**
     * The main child's parent-death signal: as asked, else KILL when jinit is a subreaper (a
     * SIGKILLed subreaper would leave its child running) and none as PID 1 (the kernel kills the
     * whole namespace when PID 1 dies).
     */
    public int childDeathSignal(boolean pid1) {
        return childDeathSignal >= 0 ? childDeathSignal : pid1 ? 0 : Signals.KILL;
    }

    static int signal(String what, String text) throws UsageException {
        int sig = Signals.parse(text);
        if (sig < 0) throw new UsageException(what + ": unknown signal '" + text + "'");
        return sig;
    }

    private static int number(String what, String text) throws UsageException {
        if (text.isEmpty() || text.length() > 9) throw new UsageException(what + ": not a number: '" + text + "'");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new UsageException(what + ": not a number: '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static int count(String what, String text) throws UsageException {
        return Math.min(number(what, text.trim()), 10);
    }
}
