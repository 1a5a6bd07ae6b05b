package jinit;

import jinit.sys.Native;
import jinit.sys.SpawnRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Signals whose ignored state is not carried to the child (CHLD: jinit must see it). */
    private static final long NOT_RESTORED = Signals.bit(Signals.CHLD) | Signals.bit(Signals.KILL)
        | Signals.bit(Signals.STOP) | Signals.bit(32) | Signals.bit(33) | Signals.bit(Signals.JVM_SR)
        | Signals.bit(Signals.SEGV) | Signals.bit(Signals.BUS) | Signals.bit(Signals.FPE) | Signals.bit(Signals.ILL);

    private Spawner() {}

    static int spawn(Native sys, Launch launch, byte[][] argv, byte[][] env) throws SpawnException {
        // Ignored signals stay ignored across posix_spawn + exec only if jinit ignores them too
        // (they are blocked in jinit, so it still receives and relays them).
        long ignored = launch.sigignored & ~NOT_RESTORED;
        for (int sig = 1; sig <= 64; sig++) if (Signals.in(ignored, sig)) sys.ignoreSignal(sig);
        int tty = sys.isatty(0) && sys.tcgetpgrp(0) >= 0 ? 0 : -1;
        SpawnRequest request = new SpawnRequest(argv[0], argv, env, launch.sigmask,
            Signals.ALL & ~ignored, true, tty, launch.fds);
        int pid = sys.spawn(request);
        if (pid > 0) return pid;
        throw failure(argv[0], -pid);
    }

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
                String why = name.indexOf('/') >= 0 && Files.isDirectory(Path.of(name)) ? "is a directory"
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
