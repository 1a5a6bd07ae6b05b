package jinit;

import jinit.control.ControlSockets;
import jinit.sys.Backend;
import jinit.sys.Native;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * jinit's start-up, top-down: parse the options, become the reaper of orphans, open the control
 * sockets if asked, spawn the main child, then hand over to the {@link Supervisor}'s main loop.
 * The JVM form enters at {@link #main(String[])}, the native executable (jinit.NativeMain) at
 * {@link #main(String[], Native, Launch)}; from {@link #run} on both run the same code.
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    private Main() {}

    /** The JVM's entry point: the native calls, the start state the launcher recorded, signals blocked, then {@link #run}. */
    public static void main(String[] args) {
        Native sys = null;
        int code;
        try {
            sys = Backend.create();
            if ((sys.blockedSignals() & Signals.WAITED) == Signals.WAITED) {
                code = run(args, sys, Launch.fromEnvironment(System.getenv(Launch.VARIABLE)));
            } else { // started without the launcher's env --block-signal: a second JVM with them blocked
                System.err.println("jinit: " + Stage0.reexec(sys, Launch.argumentBytes(sys, args)));
                code = ExitStatus.FAILURE;
            }
        } catch (Throwable t) {
            code = failed(t);
        }
        exit(sys, code);
    }

    /**
     * The native executable's entry (jinit.NativeMain): its backend, and the state it recorded
     * before anything else ran, in place of the JDK's backend and the launcher's record.
     */
    public static void main(String[] args, Native sys, Launch launch) {
        exit(sys, run(args, sys, launch));
    }

    private static void exit(Native sys, int code) {
        if (sys != null && !Boolean.getBoolean("jinit.halt")) sys.exit(code); // the training run halts: the JVM writes its archive then
        Runtime.getRuntime().halt(code);
    }

    /**
     * jinit with these arguments, native calls and start state (every form of jinit comes
     * through here; the signals jinit waits for are blocked already): the exit code. Nothing is
     * left when it returns: the sockets are removed and the log is written.
     */
    static int run(String[] args, Native sys, Launch launch) {
        ControlSockets control = null;
        try {
            byte[][] environment = sys.environment();
            Options options;
            try {
                options = Options.parse(args, Launch.variables(environment));
            } catch (Options.UsageException e) {
                System.err.println("jinit: " + e.getMessage());
                System.err.println(Options.USAGE);
                return ExitStatus.USAGE;
            }
            if (options.help || options.license || options.version) return inform(options, sys);

            int self = sys.getpid();
            boolean pid1 = self == 1;
            Log.configure(options.verbosity, self);
            becomeReaper(sys, options, pid1);
            byte[][] argv = Launch.argumentBytes(sys, args);
            byte[][] childArgv = Arrays.copyOfRange(argv, options.programIndex, argv.length);
            byte[][] childEnv = launch.childEnvironment(environment);
            if (options.controlSocket != null || options.notify) {
                control = ControlSockets.open(sys, options, self, System.err); // null: it said why
                if (control == null) return ExitStatus.FAILURE;
                childEnv = control.childEnvironment(childEnv);
            }
            Log.startWriter(); // before the child exists: it could use up the pids a thread needs
            int child;
            try {
                child = Spawner.spawn(sys, launch, childArgv, childEnv, options.childDeathSignal(pid1));
            } catch (Spawner.SpawnException e) {
                System.err.println("jinit: " + e.getMessage());
                return e.exitCode;
            }
            Log.info("spawned {} as pid {} ({})", new String(childArgv[0], StandardCharsets.UTF_8), child,
                sys.name() + " backend, " + (pid1 ? "PID 1" : "subreaper"));
            if (control != null) control.childStarted(child, childArgv);

            Shutdown shutdown = new Shutdown(sys, self, pid1, options.graceNanos, new Clock());
            Supervisor loop = new Supervisor(sys, options, shutdown, self, child, control == null ? Inbox.NONE : control.inbox());
            for (int sig : launch.pending) loop.relay(sig); // caught by the launcher before the JVM ran
            return loop.run();
        } catch (Throwable t) {
            return failed(t);
        } finally {
            if (control != null) control.close();
            Log.flush(200); // flushes stderr only when no writer thread may hold it
        }
    }

    /** --help, --license, --version: printed, exit 0. */
    private static int inform(Options options, Native sys) {
        if (options.help) System.out.println(Options.help());
        else if (options.license) License.print(System.out);
        else System.out.println("jinit " + VERSION + " (" + sys.runtime() + ")");
        return 0;
    }

    /** Not PID 1 (or -s): orphans below jinit come to it. -p: jinit learns of its parent's death. */
    private static void becomeReaper(Native sys, Options options, boolean pid1) {
        if (!pid1 || options.subreaper) {
            int rc = sys.setChildSubreaper();
            if (rc < 0) Log.warn("cannot register as child subreaper (errno {}): orphans will not be reaped", -rc);
        }
        if (options.parentDeathSignal != 0) {
            int rc = sys.setParentDeathSignal(options.parentDeathSignal);
            if (rc < 0) Log.warn("cannot set the parent-death signal (errno {})", -rc);
        }
    }

    /** Never a stack trace: one line, and the details only when asked for with -vv. */
    private static int failed(Throwable t) {
        System.err.println("jinit: " + Log.failure(t));
        if (Log.debug()) t.printStackTrace();
        return ExitStatus.FAILURE;
    }
}
