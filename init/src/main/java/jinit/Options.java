package jinit;

import java.util.Map;

/**
 * The command line and the environment variables that configure jinit. Parsing stops at the
 * first argument that is not an option (PROGRAM) or after "--", so a program's own flags are
 * never taken for jinit's. Flags win over environment variables.
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

    public static final String USAGE =
        "usage: jinit [OPTIONS] [--] PROGRAM [ARG...]   (jinit --help for the options)";

    public static final String HELP = String.join("\n",
        "jinit - a container init: reaps zombies, relays signals to the child's process group,",
        "and leaves no process behind (TERM, a grace deadline, then KILL).",
        "",
        "usage: jinit [OPTIONS] [--] PROGRAM [ARG...]",
        "",
        "  -s, --subreaper        register as child subreaper (automatic when not PID 1)",
        "  -g, --pgroup           relay signals to the child's whole process group (the default)",
        "      --single-child     relay signals to the main child only",
        "  -t, --grace DURATION   stop deadline: 10s, 500ms, 2m, or a bare number of seconds",
        "                         (default 8s)",
        "  -r, --rewrite FROM:TO  rewrite a received signal before relaying (TERM, SIGTERM or 15);",
        "                         TO=0 drops it; repeatable",
        "  -e, --remap-exit CODE  exit 0 when the child exits with CODE; repeatable",
        "  -p, --pdeathsig SIG    signal jinit receives when its parent dies",
        "      --child-pdeathsig SIG|none  signal the main child receives when jinit dies, even",
        "                         by SIGKILL (default KILL as a subreaper, none as PID 1)",
        "  -v, --verbose          more logging (repeatable: -v info, -vv debug, -vvv trace)",
        "  -w, --warn-on-reap     warn for every orphan reaped",
        "      --control-socket PATH  serve `jinit ctl` (status, signal, stop, ready) on this",
        "                         Unix socket (mode 0600; jinit's uid and root only)",
        "      --notify           give the child an sd_notify socket in NOTIFY_SOCKET (READY=1, ...)",
        "      --watchdog DURATION  stop the child when it stops sending WATCHDOG=1 (implies --notify)",
        "      --ready-file PATH  created on READY=1, removed on stop (implies --notify)",
        "  -l, --license          show the license and exit",
        "  -V, --version          show the version and exit",
        "  -h, --help             show this help and exit",
        "",
        "environment: JINIT_GRACE, JINIT_VERBOSITY, JINIT_CONTROL_SOCKET, JINIT_JAVA_OPTS, JINIT_JAVA_HOME;",
        "tini's TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP and TINI_VERBOSITY are honoured.",
        "jinit ctl [--socket PATH] [--json] status|ready|signal SIG [--all]|stop [--grace D]",
        "talks to a running jinit (a program named ctl runs with: jinit -- ctl).",
        "exit status: the child's; 128+N if signal N killed it; 127 PROGRAM not found;",
        "126 not executable; 2 usage error; 1 jinit could not start.");

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
        if (grace != null) graceNanos = duration("JINIT_GRACE", grace);
        // TINI_KILL_PROCESS_GROUP asks for what jinit does by default: nothing to do.
    }

    void applyArguments(String[] args) throws UsageException {
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) { i++; break; }
            if (!a.startsWith("-") || a.equals("-")) break;
            if (a.startsWith("--")) {
                String name = a, value = null;
                int eq = a.indexOf('=');
                if (eq > 0) { name = a.substring(0, eq); value = a.substring(eq + 1); }
                Long needs = longOption(name);
                if (needs == null) throw new UsageException("unknown option '" + name + "'");
                if (needs == 1) {
                    if (value == null) {
                        if (i + 1 >= args.length) throw new UsageException("option '" + name + "' needs a value");
                        value = args[++i];
                    }
                    applyValue(name, value);
                } else {
                    if (value != null) throw new UsageException("option '" + name + "' takes no value");
                    applyFlag(name);
                }
                i++;
                continue;
            }
            // a cluster of short options: -sgv, -t5s, -t 5s
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                String name = shortName(c);
                if (name == null) throw new UsageException("unknown option '-" + c + "'");
                if (longOption(name) == 1) {
                    String value;
                    if (k + 1 < a.length()) value = a.substring(k + 1);
                    else if (i + 1 < args.length) value = args[++i];
                    else throw new UsageException("option '-" + c + "' needs a value");
                    applyValue(name, value);
                    break;
                }
                applyFlag(name);
            }
            i++;
        }
        programIndex = i;
        if (programIndex >= args.length && !version && !help && !license) {
            throw new UsageException("no program given");
        }
    }

    private static String shortName(char c) {
        switch (c) {
            case 's': return "--subreaper";
            case 'g': return "--pgroup";
            case 't': return "--grace";
            case 'r': return "--rewrite";
            case 'e': return "--remap-exit";
            case 'p': return "--pdeathsig";
            case 'v': return "--verbose";
            case 'w': return "--warn-on-reap";
            case 'l': return "--license";
            case 'V': return "--version";
            case 'h': return "--help";
            default: return null;
        }
    }

    /** 1 for options with a value, 0 for flags, null for unknown options. */
    private static Long longOption(String name) {
        switch (name) {
            case "--grace": case "--rewrite": case "--remap-exit": case "--pdeathsig": case "--child-pdeathsig":
            case "--control-socket": case "--watchdog": case "--ready-file":
                return 1L;
            case "--subreaper": case "--pgroup": case "--single-child": case "--verbose":
            case "--warn-on-reap": case "--license": case "--version": case "--help": case "--notify":
                return 0L;
            default:
                return null;
        }
    }

    private void applyFlag(String name) {
        switch (name) {
            case "--subreaper": subreaper = true; break;
            case "--pgroup": singleChild = false; break;
            case "--single-child": singleChild = true; break;
            case "--verbose": verbosity++; break;
            case "--warn-on-reap": warnOnReap = true; break;
            case "--notify": notify = true; break;
            case "--license": license = true; break;
            case "--version": version = true; break;
            case "--help": help = true; break;
            default: throw new IllegalStateException(name);
        }
    }

    private void applyValue(String name, String value) throws UsageException {
        switch (name) {
            case "--grace": graceNanos = duration(name, value); break;
            case "--rewrite": {
                int colon = value.indexOf(':');
                if (colon < 0) throw new UsageException(name + ": expected FROM:TO, got '" + value + "'");
                int from = signal(name, value.substring(0, colon));
                String to = value.substring(colon + 1);
                rewrite[from] = to.trim().equals("0") ? 0 : signal(name, to);
                break;
            }
            case "--remap-exit": {
                int code = number(name, value);
                if (code > 255) throw new UsageException(name + ": exit code must be 0-255, got '" + value + "'");
                remapExit[code] = true;
                break;
            }
            case "--pdeathsig": parentDeathSignal = signal(name, value); break;
            case "--child-pdeathsig":
                childDeathSignal = value.trim().equalsIgnoreCase("none") ? 0 : signal(name, value);
                if (childDeathSignal == 32 || childDeathSignal == 33) throw new UsageException(name + ": signal " + value + " is glibc's own");
                break;
            case "--control-socket": controlSocket = socketPath(name, value); break;
            case "--watchdog":
                watchdogNanos = duration(name, value);
                if (watchdogNanos < 1_000_000L) throw new UsageException(name + ": must be at least 1ms, got '" + value + "'");
                notify = true;
                break;
            case "--ready-file":
                if (value.isEmpty()) throw new UsageException(name + ": empty path");
                readyFile = value;
                notify = true;
                break;
            default: throw new IllegalStateException(name);
        }
    }

    /** A Unix socket path: sun_path holds at most 107 bytes. */
    static String socketPath(String what, String path) throws UsageException {
        int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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

    public static long duration(String what, String text) throws UsageException {
        return Durations.parse(what, text);
    }
}
