package jinit;

import jinit.sys.Native;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A small simulated kernel behind {@link Native}, for the main loop's unit tests: processes
 * with a process group and a reaction to each signal, signals queued for jinit with their
 * sender, zombies to reap, and a clock that moves only when the loop waits. A test schedules
 * what happens when (a signal from outside, a child exiting, a request from the control
 * socket), runs the loop, and reads back every kill() it made and when. The same run happens
 * the same way every time, in a few milliseconds.
 */
final class FakeKernel {

    /** A simulated process below jinit. */
    static final class Process {
        final int pid, pgid;
        /** exits[sig]: the exit code it exits with when it gets sig; -1 to ignore sig. KILL always kills. */
        final int[] exits = new int[65];
        /** It cannot be signalled (another user's, say): kill() fails with EPERM. */
        boolean unkillable;

        Process(int pid, int pgid) {
            this.pid = pid;
            this.pgid = pgid;
            java.util.Arrays.fill(exits, -1);
        }

        Process exitsOn(int sig, int code) {
            exits[sig] = code;
            return this;
        }
    }

    /** The loop's clock: moves only when the loop waits for a signal. */
    static final class FakeClock extends Clock {
        long now;

        @Override long nanoTime() {
            return now;
        }
    }

    private record Event(long at, long order, Runnable action) {}

    final FakeClock clock = new FakeClock();
    final int self;
    private final Map<Integer, Process> alive = new HashMap<>();
    private final ArrayDeque<long[]> zombies = new ArrayDeque<>(); // {pid, status}
    private final ArrayDeque<int[]> signals = new ArrayDeque<>(); // {sig, sender}
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    private int lastSender;
    /** Every kill() jinit made: "MILLIS kill(PID, SIG)". */
    final List<String> kills = new ArrayList<>();

    FakeKernel(int self) {
        this.self = self;
    }

    Process spawn(int pid, int pgid) {
        Process p = new Process(pid, pgid);
        alive.put(pid, p);
        return p;
    }

    /** At {@code millis}: {@code action}. */
    FakeKernel at(long millis, Runnable action) {
        events.add(new Event(millis * 1_000_000L, order++, action));
        return this;
    }

    /** At {@code millis}, {@code sig} from {@code sender} (jinit's own pid: sent by jinit itself). */
    FakeKernel signalAt(long millis, int sig, int sender) {
        return at(millis, () -> signals.add(new int[] {sig, sender}));
    }

    /** At {@code millis}, process {@code pid} exits with {@code code}. */
    FakeKernel exitAt(long millis, int pid, int code) {
        return at(millis, () -> die(alive.get(pid), code << 8));
    }

    /** A wake-up of the loop, as the control socket's thread does it: a SIGCHLD from jinit itself. */
    void wake() {
        signals.add(new int[] {Signals.CHLD, self});
    }

    private void die(Process p, int status) {
        alive.remove(p.pid);
        zombies.add(new long[] {p.pid, status});
        signals.add(new int[] {Signals.CHLD, p.pid});
    }

    long millis() {
        return clock.now / 1_000_000L;
    }

    /** The kill() calls made, without their time. */
    List<String> killCalls() {
        List<String> out = new ArrayList<>();
        for (String k : kills) out.add(k.substring(k.indexOf(' ') + 1));
        return out;
    }

    // ---- the Native calls the loop makes

    private int waitSignal(long timeoutNanos) {
        for (;;) {
            if (!signals.isEmpty()) {
                int[] s = signals.poll();
                lastSender = s[1];
                return s[0];
            }
            Event next = events.peek();
            if (timeoutNanos < 0 && next == null) throw new AssertionError("the loop would wait forever at " + millis() + " ms; kills: " + kills);
            long until = timeoutNanos < 0 ? Long.MAX_VALUE : clock.now + timeoutNanos;
            if (next == null || next.at > until) {
                clock.now = until;
                return 0; // the timeout passed
            }
            events.poll();
            clock.now = Math.max(clock.now, next.at);
            next.action.run();
            timeoutNanos = until == Long.MAX_VALUE ? -1 : until - clock.now;
        }
    }

    private int kill(int pid, int sig) {
        kills.add(millis() + " kill(" + pid + ", " + Signals.name(sig) + ")");
        List<Process> targets = new ArrayList<>();
        for (Process p : alive.values()) {
            if (pid == -1 || (pid > 0 && p.pid == pid) || (pid < -1 && p.pgid == -pid)) targets.add(p);
        }
        if (targets.isEmpty()) return -Native.ESRCH;
        boolean permitted = false;
        for (Process p : targets) {
            if (p.unkillable) continue;
            permitted = true;
            if (sig == Signals.KILL) die(p, Signals.KILL);
            else if (p.exits[sig] >= 0) die(p, p.exits[sig] << 8);
        }
        return permitted ? 0 : -Native.EPERM;
    }

    private long reapAny() {
        long[] z = zombies.poll();
        if (z != null) return Native.reaped((int) z[0], (int) z[1]);
        return alive.isEmpty() ? -Native.ECHILD : 0;
    }

    /** The loop's view of it all. */
    Native asNative() {
        return (Native) Proxy.newProxyInstance(Native.class.getClassLoader(), new Class<?>[] {Native.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "waitSignal": return waitSignal((Long) args[1]);
                case "lastSignalSender": return lastSender;
                case "kill": return kill((Integer) args[0], (Integer) args[1]);
                case "reapAny": return reapAny();
                case "getpgid": {
                    Process p = alive.get((Integer) args[0]);
                    return p == null ? -Native.ESRCH : p.pgid;
                }
                case "getpid": return self;
                case "readLink": return null; // the simulated machine has no /proc (Shutdown asks)
                case "name": return "fake";
                case "toString": return "FakeKernel";
                default: throw new UnsupportedOperationException("the main loop does not call " + method.getName());
            }
        });
    }
}
