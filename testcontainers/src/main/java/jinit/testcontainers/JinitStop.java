package jinit.testcontainers;

import java.time.Duration;
import java.util.List;

/**
 * What happened when a container under jinit was stopped ({@link Jinit#stop}): its exit status,
 * how long the stop took, whether jinit's grace period ran out so that it had to SIGKILL
 * processes, and the zombies that stayed before the stop. {@link #assertNothingLeft()} fails a
 * test for those, naming the processes.
 */
public final class JinitStop {
    private final String container;
    private final int exitCode;
    private final Duration duration;
    private final Duration grace;
    private final boolean deadlineReached;
    private final List<JinitProcess> killed;
    private final String killedWhen;
    private final List<JinitProcess> zombies;
    private final JinitStatus before;

    JinitStop(String container, int exitCode, Duration duration, Duration grace, boolean deadlineReached,
              List<JinitProcess> killed, String killedWhen, List<JinitProcess> zombies, JinitStatus before) {
        this.container = container;
        this.exitCode = exitCode;
        this.duration = duration;
        this.grace = grace;
        this.deadlineReached = deadlineReached;
        this.killed = List.copyOf(killed);
        this.killedWhen = killedWhen;
        this.zombies = List.copyOf(zombies);
        this.before = before;
    }

    /**
     * The container's exit status: jinit's, which is the main child's (its exit code, or 128+N
     * when signal N ended it: 143 after SIGTERM, 137 when jinit's deadline SIGKILLed it), or 0
     * for a code given to {@link Jinit#withRemapExit}.
     */
    public int exitCode() {
        return exitCode;
    }

    /** From the stop request until the container had exited (what {@code time docker stop} shows). */
    public Duration duration() {
        return duration;
    }

    /** jinit's grace period: the time the processes had between SIGTERM and SIGKILL. */
    public Duration grace() {
        return grace;
    }

    /** True when the grace period ran out and jinit SIGKILLed what was still running. */
    public boolean deadlineReached() {
        return deadlineReached;
    }

    /**
     * When {@link #deadlineReached()}: the processes still running shortly before the deadline
     * (or, with a grace too short to look again, when the stop began), which jinit then
     * SIGKILLed unless they exited in between. Empty otherwise.
     */
    public List<JinitProcess> killedAtDeadline() {
        return killed;
    }

    /**
     * Zombies that stayed before the stop: exited processes that their parent, a process of the
     * container other than jinit, did not wait for (seen twice, a second apart).
     */
    public List<JinitProcess> zombies() {
        return zombies;
    }

    /** What jinit reported just before the stop: the processes below it, the orphans it reaped. */
    public JinitStatus statusBefore() {
        return before;
    }

    /** True when nothing had to be killed and no zombie stayed. */
    public boolean clean() {
        return !deadlineReached && zombies.isEmpty();
    }

    /**
     * Fails when the container did not stop clean: processes that did not end on the stop signal
     * within the grace period (jinit SIGKILLed them), or zombies that stayed. The message names
     * them. The exit status is not checked: assert it yourself.
     *
     * @return this stop, when it was clean
     * @throws AssertionError naming the processes left and the zombies
     */
    public JinitStop assertNothingLeft() {
        if (!clean()) throw new AssertionError(describe(container + " did not stop clean"));
        return this;
    }

    @Override
    public String toString() {
        return describe(container + (clean() ? " stopped clean" : " did not stop clean"));
    }

    private String describe(String head) {
        StringBuilder b = new StringBuilder(head).append(": exit ").append(exitCode).append(" after ").append(seconds(duration))
            .append(" (grace ").append(seconds(grace)).append("), orphans reaped by jinit: ").append(before.orphansReaped());
        if (deadlineReached) {
            b.append("\n- jinit's grace period ran out and it SIGKILLed what was left; ").append(killedWhen).append(':');
            for (JinitProcess p : killed) b.append("\n    ").append(p);
        }
        if (!zombies.isEmpty()) {
            b.append("\n- ").append(zombies.size())
                .append(zombies.size() == 1 ? " zombie stayed, not waited for by its parent:" : " zombies stayed, not waited for by their parents:");
            for (JinitProcess z : zombies) {
                JinitProcess parent = before.process(z.ppid());
                b.append("\n    ").append(z).append(", child of ").append(parent != null ? parent : "pid " + z.ppid());
            }
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
