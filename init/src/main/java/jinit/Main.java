package jinit;

import jinit.sys.Backend;
import jinit.sys.Native;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point: parse the options, make sure the signals are blocked, become a subreaper when
 * not PID 1, spawn the main child, then hand over to the {@link Supervisor}'s main loop. The
 * JVM form enters at {@link #main(String[])}, the native executable at
 * {@link #main(String[], Native, Launch)}; from {@link #run(String[], Native, Launch)} on both
 * run the same code.
 */
public final class Main {
    static final String VERSION = "0.1.0";

    /** The control and notify sockets when on (their files are removed before the JVM halts). */
    private static Control control;
    /** The native calls, once chosen: the process ends through them. */
    private static Native sys;

    private Main() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            code = failed(t);
        }
        exit(code);
    }

    /**
     * The native executable's start (jinit.NativeMain): its backend, and the state it recorded
     * before anything else ran, in place of this JDK's backend and the launcher's record.
     */
    public static void main(String[] args, Native sys, Launch launch) {
        int code;
        try {
            code = run(args, sys, launch);
        } catch (Throwable t) {
            code = failed(t);
        }
        exit(code);
    }

    /** Never a stack trace: one line, and the details only when asked for with -vv. */
    private static int failed(Throwable t) {
        System.err.println("jinit: " + Log.failure(t));
        if (Log.debug()) t.printStackTrace();
        return ExitStatus.FAILURE;
    }

    private static void exit(int code) {
        if (control != null) control.close();
        Log.flush(200); // flushes stderr only when no writer thread may hold it
        if (sys != null && !Boolean.getBoolean("jinit.halt")) sys.exit(code); // the training run halts: the JVM writes its archive then
        Runtime.getRuntime().halt(code);
    }

    /**
     * The JVM form: this JDK's backend, the signals blocked by the launcher (or else by
     * {@link Stage0}'s second JVM), the state the launcher recorded in JINIT_LAUNCH.
     */
    static int run(String[] args) {
        Native sys = Main.sys = Backend.create();
        if (!Stage0.signalsBlocked(sys)) {
            System.err.println("jinit: " + Stage0.reexec(sys, Launch.argumentBytes(sys, args)));
            return ExitStatus.FAILURE;
        }
        return run(args, sys, Launch.fromEnvironment(System.getenv(Launch.VARIABLE)));
    }

    /** Both forms, from the options on: {@code launch} is the state jinit was started in. */
    static int run(String[] args, Native sys, Launch launch) {
        Main.sys = sys;
        PrintStream err = System.err;
        byte[][] environment = sys.environment();
        Options options;
        try {
            options = Options.parse(args, Launch.variables(environment));
        } catch (Options.UsageException e) {
            err.println("jinit: " + e.getMessage());
            err.println(Options.USAGE);
            return ExitStatus.USAGE;
        }
        if (options.help) {
            System.out.println(Options.HELP);
            return 0;
        }
        if (options.license) {
            License.print(System.out);
            return 0;
        }
        if (options.version) {
            System.out.println("jinit " + VERSION + " (" + sys.runtime() + ")");
            return 0;
        }
        int self = sys.getpid();
        Log.configure(options.verbosity, self);
        byte[][] argBytes = Launch.argumentBytes(sys, args);

        boolean pid1 = self == 1;
        if (!pid1 || options.subreaper) {
            int rc = sys.setChildSubreaper();
            if (rc < 0) Log.warn("cannot register as child subreaper (errno {}): orphans will not be reaped", -rc);
        }
        if (options.parentDeathSignal != 0) {
            int rc = sys.setParentDeathSignal(options.parentDeathSignal);
            if (rc < 0) Log.warn("cannot set the parent-death signal (errno {})", -rc);
        }

        byte[][] childArgv = java.util.Arrays.copyOfRange(argBytes, options.programIndex, argBytes.length);
        byte[][] childEnv = launch.childEnvironment(environment);
        if (options.controlSocket != null || options.notify) {
            control = Control.open(sys, options, self, pid1, err); // null: it said why
            if (control == null) return ExitStatus.FAILURE;
            childEnv = control.childEnvironment(childEnv);
        }
        Log.startWriter(); // before the child exists: it could use up the pids a thread needs
        int child;
        try {
            child = Spawner.spawn(sys, launch, childArgv, childEnv, options.childDeathSignal(pid1));
        } catch (Spawner.SpawnException e) {
            err.println("jinit: " + e.getMessage());
            return e.exitCode;
        }
        Log.info("spawned {} as pid {} ({})", new String(childArgv[0], StandardCharsets.UTF_8), child,
            sys.name() + " backend, " + (pid1 ? "PID 1" : "subreaper"));
        if (control != null) control.start(child, childArgv);
        Shutdown shutdown = new Shutdown(sys, self, pid1, options.graceNanos);
        Supervisor supervisor = new Supervisor(sys, options, shutdown, self, child);
        supervisor.control = control;
        for (int sig : launch.pending) supervisor.relay(sig); // caught by the launcher before the JVM ran
        return supervisor.run();
    }
}
