package jinit;

import jinit.sys.Native;
import jinit.sys.SpawnRequest;

import java.io.File;
import java.nio.charset.StandardCharsets;

/**
 * Starts the main child with posix_spawnp: never ProcessBuilder, whose reaper thread would race
 * jinit's waitpid(-1). The child gets its own process group (the terminal's foreground group
 * when stdin is jinit's controlling terminal), the signal mask and ignored signals jinit was
 * started with, every other signal at its default, and exactly the descriptors jinit was given.
 */
final class Spawner {

    /** The child could not be started: the message and jinit's exit code. */
    static final class SpawnException extends Exception {
        final int exitCode;

        SpawnException(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Signals whose ignored state is not carried to the child (CHLD: jinit must see it; 40: HotSpot's). */
    private static final long NOT_RESTORED = Signals.bit(Signals.CHLD) | Signals.bit(Signals.KILL)
        | Signals.bit(Signals.STOP) | Signals.bit(32) | Signals.bit(33) | (Signals.JVM ? Signals.bit(Signals.JVM_SR) : 0)
        | Signals.bit(Signals.SEGV) | Signals.bit(Signals.BUS) | Signals.bit(Signals.FPE) | Signals.bit(Signals.ILL);

    private Spawner() {}

    /**
     * Spawns {@code argv} with {@code env}. With {@code deathSignal} other than 0, the child gets it as its parent-death
     * signal (PR_SET_PDEATHSIG), so that it learns of jinit's death even by SIGKILL. posix_spawn
     * cannot set it and the JVM cannot run code between fork and exec, so the child is started
     * through util-linux's {@code setpriv --pdeathsig SIG --}, which sets it and execs PROGRAM
     * with exactly the arguments, environment, descriptors and signal state of the request.
     * The kernel sends it when the thread that forked the child ends: jinit's main thread,
     * which lives as long as jinit.
     */
    static int spawn(Native sys, Launch launch, byte[][] argv, byte[][] env, int deathSignal) throws SpawnException {
        byte[] program = argv[0];
        byte[][] args = argv;
        if (deathSignal != 0) {
            String path = Launch.variable(env, "PATH");
            if (path == null) path = "/bin:/usr/bin";
            String setpriv = utilLinuxSetpriv(path);
            if (setpriv == null) {
                Log.warn("setpriv (util-linux) is not in PATH: the main child gets no parent-death signal"
                    + " and outlives a SIGKILLed jinit (--child-pdeathsig none: do not ask)");
            } else {
                // setpriv's own exec failures would be its messages: find them first, as posix_spawnp would
                int errno = check(sys, argv[0], path);
                if (errno != 0) throw failure(argv[0], errno);
                program = setpriv.getBytes(StandardCharsets.UTF_8);
                args = new byte[argv.length + 4][];
                args[0] = program;
                args[1] = "--pdeathsig".getBytes(StandardCharsets.US_ASCII);
                args[2] = Signals.name(deathSignal).getBytes(StandardCharsets.US_ASCII);
                args[3] = "--".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(argv, 0, args, 4, argv.length);
            }
        }
        // Ignored signals stay ignored across posix_spawn + exec only if jinit ignores them too
        // (they are blocked in jinit, so it still receives and relays them).
        long ignored = launch.sigignored & ~NOT_RESTORED;
        for (int sig = 1; sig <= 64; sig++) if (Signals.in(ignored, sig)) sys.ignoreSignal(sig);
        int tty = sys.isatty(0) && sys.tcgetpgrp(0) >= 0 ? 0 : -1;
        SpawnRequest request = new SpawnRequest(program, args, env, launch.sigmask,
            Signals.ALL & ~ignored, true, tty, launch.fds, launch.closedStd);
        int pid = sys.spawn(request);
        if (pid > 0) return pid;
        throw failure(argv[0], -pid);
    }

    /** util-linux's setpriv in PATH; busybox's (a link to busybox) has no --pdeathsig. */
    static String utilLinuxSetpriv(String path) {
        String setpriv = find("setpriv", path);
        try {
            if (setpriv != null && new File(setpriv).getCanonicalFile().getName().startsWith("busybox")) return null;
        } catch (java.io.IOException e) {
            return null;
        }
        return setpriv;
    }

    /** The file named {@code name} found in {@code path} as execvp would find it, or null. */
    static String find(String name, String path) {
        for (String dir : path.split(":", -1)) {
            File f = new File(dir.isEmpty() ? "." : dir, name);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        return null;
    }

    /**
     * What posix_spawnp would say of {@code program} with this PATH: 0 (it would run), ENOENT,
     * EACCES or ENOEXEC. 0 as well when the name cannot be checked from Java (bytes that the
     * JVM's file name charset cannot hold): the program's exec then reports for itself.
     */
    static int check(Native sys, byte[] program, String path) {
        String name = new String(program, JNU);
        if (!java.util.Arrays.equals(name.getBytes(JNU), program)) return 0;
        if (name.isEmpty()) return Native.ENOENT;
        if (name.indexOf('/') >= 0) return checkFile(sys, new File(name));
        boolean denied = false;
        for (String dir : path.split(":", -1)) {
            int errno = checkFile(sys, new File(dir.isEmpty() ? "." : dir, name));
            if (errno == 0 || errno == Native.ENOEXEC) return errno;
            denied |= errno == Native.EACCES;
        }
        return denied ? Native.EACCES : Native.ENOENT;
    }

    /** java.io.File, not NIO: see {@link jinit.sys.Bytes#readFile}; the first bytes read through the backend. */
    private static int checkFile(Native sys, File f) {
        try {
            if (!f.exists()) return Native.ENOENT;
            if (!f.isFile() || !f.canExecute()) return Native.EACCES; // a directory, a FIFO, no x bit
            byte[] magic = new byte[4];
            int n = sys.readFile(f.getPath(), magic);
            if (n < 0) return 0; // execute-only: the kernel will know
            boolean script = n >= 2 && magic[0] == '#' && magic[1] == '!';
            boolean elf = n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
            // posix_spawnp fails with ENOEXEC where execvp (setpriv) would run the file with sh
            return script || elf ? 0 : Native.ENOEXEC;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The charset the JVM gives file names in. */
    private static final java.nio.charset.Charset JNU = Launch.jnuCharset();

    static SpawnException failure(byte[] program, int errno) {
        String name = new String(program, StandardCharsets.UTF_8);
        switch (errno) {
            case Native.ENOENT:
            case Native.ENOTDIR:
            case Native.ENAMETOOLONG:
            case Native.ELOOP:
                return new SpawnException(name + ": not found", ExitStatus.NOT_FOUND);
            case Native.EACCES:
            case Native.EPERM:
            case Native.ENOEXEC:
            case Native.EISDIR:
            case 26: // ETXTBSY
                String why = name.indexOf('/') >= 0 && new File(name).isDirectory() ? "is a directory"
                    : errno == Native.ENOEXEC ? "exec format error" : "permission denied";
                return new SpawnException(name + ": cannot execute: " + why, ExitStatus.NOT_EXECUTABLE);
            case Native.E2BIG:
                return new SpawnException(name + ": cannot execute: argument list too long", ExitStatus.NOT_EXECUTABLE);
            case Native.EAGAIN:
                return new SpawnException("cannot start " + name + ": resource temporarily unavailable (process limit?)", ExitStatus.FAILURE);
            case Native.ENOMEM:
                return new SpawnException("cannot start " + name + ": out of memory", ExitStatus.FAILURE);
            default:
                return new SpawnException("cannot start " + name + ": errno " + errno, ExitStatus.FAILURE);
        }
    }
}
