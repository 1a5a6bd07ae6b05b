package jinit;

import jinit.sys.ImageBackend;
import jinit.sys.Native;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The native executable's entry point: what the launcher script and {@code env --block-signal}
 * do for the JVM form, done here as the first act, on the only thread there is (the image is
 * built so that the VM starts none before main: no signal dispatcher, no reference handler,
 * main on the primordial thread). It records the state jinit was started in (signal mask,
 * ignored signals, inherited descriptors, closed standard descriptors), blocks the signals
 * jinit takes, then runs the same init as the JVM form ({@link Main#main(String[], Native, Launch)}).
 * {@code jinit ctl ...} runs the control client, as the launcher does. Started through the launcher
 * script (which picks this form when the build made it), the state is the one the script recorded.
 */
public final class NativeMain {
    /**
     * Fault signals are blocked as well, never taken: a {@code kill -SEGV} then waits pending
     * and cannot end jinit, while a real fault is forced through by the kernel (which unblocks
     * it and restores its default action) and still ends the process.
     */
    static final long FAULTS = Signals.bit(Signals.ILL) | Signals.bit(Signals.TRAP) | Signals.bit(Signals.ABRT)
        | Signals.bit(Signals.BUS) | Signals.bit(Signals.FPE) | Signals.bit(Signals.SEGV) | Signals.bit(Signals.SYS);

    private NativeMain() {}

    public static void main(String[] args) {
        Native sys = ImageBackend.create();
        if (args.length > 0 && args[0].equals("ctl")) { // a program named ctl: jinit -- ctl
            // as a JVM does: a write to a peer that is gone is an error (EPIPE), not the end of ctl
            sys.ignoreSignal(Signals.PIPE);
            sys.ignoreSignal(Signals.XFSZ);
            jinit.control.ControlClient.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // started by the launcher script (init/target/jinit picks this form): it recorded the
        // caller's state and moved variables aside, as it does for the JVM form
        String launched = Launch.variable(sys.environment(), Launch.VARIABLE);
        Launch launch = launched != null ? Launch.fromEnvironment(launched) : record(sys);
        int rc = sys.blockSignals(Signals.WAITED | FAULTS);
        if (rc < 0) {
            System.err.println("jinit: cannot block signals (errno " + -rc + ")");
            sys.exit(ExitStatus.FAILURE);
        }
        Main.main(args, sys, launch);
    }

    /**
     * The state the child gets back. A descriptor that is close-on-exec, or open on this
     * executable, was opened by the VM after exec (it maps its heap from its own file): not
     * inherited. A standard descriptor that was closed gets /dev/null to hold its place, so
     * that no file jinit opens lands there (the child gets it closed again). Without /proc
     * no descriptor from 3 up is known, as with the launcher.
     */
    static Launch record(Native sys) {
        long mask = sys.blockedSignals();
        long ignored = sys.ignoredSignals();
        byte[] self = sys.readLink("/proc/self/exe");
        int[] closed = new int[3];
        int nclosed = 0;
        for (int fd = 0; fd <= 2; fd++) {
            if (inherited(sys, fd, self)) continue;
            closed[nclosed++] = fd;
            if (sys.descriptorFlags(fd) < 0) {
                int held = sys.open("/dev/null".getBytes(StandardCharsets.US_ASCII), Native.O_RDWR);
                if (held >= 0 && held != fd) sys.close(held); // not the lowest free one: leave it
            }
        }
        String[] open = sys.listDirectory("/proc/self/fd");
        int[] fds = new int[open == null ? 0 : open.length];
        int nfds = 0;
        if (open != null) {
            for (String name : open) {
                int fd = Integer.parseInt(name);
                if (fd > 2 && inherited(sys, fd, self)) fds[nfds++] = fd;
            }
        }
        fds = Arrays.copyOf(fds, nfds);
        Arrays.sort(fds);
        return Launch.ofNativeStart(mask, ignored, fds, Arrays.copyOf(closed, nclosed));
    }

    /** Open, not close-on-exec, and not this executable (see {@link #record}). */
    private static boolean inherited(Native sys, int fd, byte[] self) {
        int flags = sys.descriptorFlags(fd);
        if (flags < 0 || (flags & Native.FD_CLOEXEC) != 0) return false;
        return self == null || !Arrays.equals(self, sys.readLink("/proc/self/fd/" + fd));
    }
}
