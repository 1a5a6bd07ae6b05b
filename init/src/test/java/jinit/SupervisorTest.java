package jinit;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main loop's decisions, against a simulated kernel ({@link FakeKernel}): what it sends to
 * whom and when, and what it exits with. No process runs; time moves only when the loop waits.
 * The integration tests (tests/) check the same behaviour with real processes and signals.
 */
class SupervisorTest {
    /** jinit as a subreaper: a pid above pid_max, so /proc never shows it (no scan of the real /proc). */
    static final int SUBREAPER = 5_000_000;
    static final int CHILD = 100, OUTSIDER = 7;

    /** The control socket's side of the inbox, played by the test. */
    static final class TestInbox implements Inbox {
        final ArrayDeque<Request> waiting = new ArrayDeque<>();
        LoopState state = LoopState.initial();
        int published;

        @Override public Request poll() {
            return waiting.poll();
        }

        @Override public void publish(LoopState s) {
            state = s;
            published++;
        }
    }

    private static Options options(String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "app";
        return Options.parse(all, Map.of());
    }

    private static int run(FakeKernel k, Options o, Inbox inbox) {
        Shutdown shutdown = new Shutdown(k.asNative(), k.self, k.self == 1, o.graceNanos, k.clock);
        return new Supervisor(k.asNative(), o, shutdown, k.self, CHILD, inbox).run();
    }

    private static int run(FakeKernel k, Options o) {
        return run(k, o, Inbox.NONE);
    }

    /** At {@code millis}, the control socket's thread queues {@code r} and wakes the loop. */
    private static void submitAt(FakeKernel k, long millis, TestInbox inbox, Request r) {
        k.at(millis, () -> {
            inbox.waiting.add(r);
            k.wake();
        });
    }

    /** TERM at 0 with an 8 s grace, then `jinit ctl stop --grace` at 1 s: when the KILL comes, and the stop's outcome. */
    private static Request stopDuringAStop(long graceNanos, long expectedKillMillis) throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD);
        TestInbox inbox = new TestInbox();
        Request stop = Request.stop(graceNanos, "jinit ctl stop");
        k.signalAt(0, Signals.TERM, OUTSIDER);
        submitAt(k, 1000, inbox, stop);
        assertEquals(137, run(k, options("-t", "8s"), inbox));
        assertEquals(expectedKillMillis + " kill(-100, KILL)", k.kills.stream().filter(c -> c.endsWith("KILL)")).findFirst().orElseThrow());
        assertTrue(stop.alreadyStopping);
        assertEquals(Signals.TERM, stop.stopSignal);
        return stop;
    }

    @Test
    void aChildThatIgnoresTermIsKilledAtTheDeadlineAndJinitExits137() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD); // ignores TERM
        k.signalAt(0, Signals.TERM, OUTSIDER);
        assertEquals(137, run(k, options("-t", "2s")));
        assertEquals(List.of("0 kill(-100, TERM)", "0 kill(-100, CONT)", "2000 kill(-100, KILL)"), k.kills.subList(0, 3));
        assertEquals(2000, k.millis(), "exited as soon as the KILLed child was reaped");
    }

    @Test
    void aChildThatHandlesTermEndsTheLoopAtOnceWithItsStatus() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD).exitsOn(Signals.TERM, 0);
        k.signalAt(5, Signals.TERM, OUTSIDER);
        assertEquals(0, run(k, options()));
        assertEquals(5, k.millis());
        assertEquals(List.of("kill(-100, TERM)", "kill(-100, CONT)"), k.killCalls());
    }

    @Test
    void asPid1TermGoesToTheWholeNamespaceOnce() throws Exception {
        FakeKernel k = new FakeKernel(1);
        k.spawn(CHILD, CHILD).exitsOn(Signals.TERM, 0);
        k.spawn(200, 200).exitsOn(Signals.TERM, 0); // escaped into a group of its own
        k.signalAt(0, Signals.TERM, OUTSIDER);
        assertEquals(0, run(k, options()));
        assertEquals(List.of("kill(-1, TERM)", "kill(-1, CONT)"), k.killCalls().subList(0, 2));
        assertEquals(0, k.millis());
    }

    @Test
    void whenTheMainChildExitsTheLeftoversGetTermAndJinitExitsWithTheChildsCode() throws Exception {
        FakeKernel k = new FakeKernel(1);
        k.spawn(CHILD, CHILD);
        k.spawn(200, 200).exitsOn(Signals.TERM, 0);
        k.exitAt(1000, CHILD, 3);
        assertEquals(3, run(k, options()));
        assertEquals(List.of("1000 kill(-1, TERM)", "1000 kill(-1, CONT)"), k.kills);
        assertEquals(1000, k.millis(), "no wait once the leftover is gone");
    }

    @Test
    void aLeftoverThatIgnoresTermIsKilledAtTheDeadlineAndTheChildsCodeIsKept() throws Exception {
        FakeKernel k = new FakeKernel(1);
        k.spawn(CHILD, CHILD);
        k.spawn(200, 200);
        k.exitAt(1000, CHILD, 3);
        assertEquals(3, run(k, options("-t", "500ms")));
        assertEquals(List.of("1000 kill(-1, TERM)", "1000 kill(-1, CONT)", "1500 kill(-1, KILL)"), k.kills);
    }

    @Test
    void rewriteToZeroDropsTheSignalAndOthersStillPass() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD);
        k.signalAt(0, Signals.USR1, OUTSIDER).signalAt(1, Signals.WINCH, OUTSIDER).signalAt(2, Signals.HUP, OUTSIDER).exitAt(3, CHILD, 0);
        assertEquals(0, run(k, options("-r", "USR1:0", "-r", "HUP:USR2")));
        assertEquals(List.of("1 kill(-100, WINCH)", "2 kill(-100, USR2)"), k.kills, "USR1 dropped, HUP rewritten");
    }

    @Test
    void signalsJinitSentItselfAreNotRelayed() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD);
        k.signalAt(0, Signals.PIPE, SUBREAPER).signalAt(1, Signals.PIPE, OUTSIDER).exitAt(2, CHILD, 0);
        assertEquals(0, run(k, options()));
        assertEquals(List.of("1 kill(-100, PIPE)"), k.kills);
    }

    @Test
    void singleChildRelaysToTheChildAlone() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD).exitsOn(Signals.TERM, 0);
        k.signalAt(0, Signals.USR1, OUTSIDER).signalAt(1, Signals.TERM, OUTSIDER);
        assertEquals(0, run(k, options("--single-child")));
        assertEquals(List.of("0 kill(100, USR1)", "1 kill(100, TERM)", "1 kill(100, CONT)"), k.kills);
    }

    @Test
    void aSecondStopSignalDuringTheGraceIsRelayedAndTheDeadlineStays() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD); // ignores TERM and INT
        k.signalAt(0, Signals.TERM, OUTSIDER).signalAt(1000, Signals.INT, OUTSIDER);
        assertEquals(137, run(k, options("-t", "3s")));
        assertEquals(List.of("0 kill(-100, TERM)", "0 kill(-100, CONT)", "1000 kill(-100, INT)", "1000 kill(-100, CONT)",
            "3000 kill(-100, KILL)"), k.kills.subList(0, 5));
    }

    @Test
    void remapExitTurnsTheListedCodeIntoZero() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD).exitsOn(Signals.TERM, 143);
        k.signalAt(0, Signals.TERM, OUTSIDER);
        assertEquals(0, run(k, options("-e", "143")));
    }

    @Test
    void whatCannotBeKilledIsLeftBehindTwoSecondsAfterTheKill() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD).unkillable = true;
        k.signalAt(0, Signals.TERM, OUTSIDER);
        assertEquals(137, run(k, options("-t", "1s")));
        assertEquals(3000, k.millis(), "1 s of grace, then 2 s of KILLs");
        assertTrue(k.killCalls().stream().filter(c -> c.equals("kill(-100, KILL)")).count() > 10, "KILL repeated: " + k.kills);
    }

    // ---- requests from the control socket

    @Test
    void ctlStopWithALongerGraceDoesNotPushTheDeadlineBack() throws Exception {
        Request stop = stopDuringAStop(60_000_000_000L, 8000);
        assertEquals(7_000_000_000L, stop.nanosToDeadline, "the 8 s deadline, 1 s in");
    }

    @Test
    void ctlStopWithAShorterGraceBringsTheDeadlineCloser() throws Exception {
        Request stop = stopDuringAStop(1_000_000_000L, 2000);
        assertEquals(1_000_000_000L, stop.nanosToDeadline);
    }

    @Test
    void ctlStopStartsTheStopSequenceAsATermWould() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD).exitsOn(Signals.QUIT, 0);
        TestInbox inbox = new TestInbox();
        Request stop = Request.stop(-1, "jinit ctl stop");
        submitAt(k, 10, inbox, stop);
        assertEquals(0, run(k, options("-r", "TERM:QUIT"), inbox));
        assertEquals(List.of("10 kill(-100, QUIT)", "10 kill(-100, CONT)"), k.kills, "TERM after --rewrite, then CONT");
        assertFalse(stop.alreadyStopping);
        assertEquals(Signals.QUIT, stop.stopSignal);
        assertEquals(8_000_000_000L, stop.nanosToDeadline, "jinit's own grace");
    }

    @Test
    void ctlSignalGoesToTheGroupUnrewrittenAndWithAllToEveryProcess() throws Exception {
        FakeKernel k = new FakeKernel(1);
        k.spawn(CHILD, CHILD).exitsOn(Signals.HUP, 0);
        TestInbox inbox = new TestInbox();
        Request usr1 = Request.signal(Signals.USR1, false), hup = Request.signal(Signals.HUP, true);
        submitAt(k, 1, inbox, usr1);
        submitAt(k, 2, inbox, hup);
        assertEquals(0, run(k, options("-r", "USR1:0"), inbox));
        assertEquals(List.of("1 kill(-100, USR1)", "2 kill(-1, HUP)"), k.kills, "no --rewrite, no stop sequence for HUP");
        assertEquals(Request.GROUP, usr1.target);
        assertEquals(CHILD, usr1.pid);
        assertEquals(0, usr1.errno);
        assertEquals(Request.ALL, hup.target);
        assertEquals(-1, hup.processes, "kill(-1) does not say how many");
        assertEquals(1, inbox.state.relayed[Signals.USR1]);
    }

    @Test
    void theLoopPublishesItsStateAfterEveryRound() throws Exception {
        FakeKernel k = new FakeKernel(SUBREAPER);
        k.spawn(CHILD, CHILD);
        k.spawn(300, CHILD).exitsOn(Signals.USR2, 0);
        TestInbox inbox = new TestInbox();
        k.signalAt(0, Signals.USR2, OUTSIDER).signalAt(1, Signals.TERM, OUTSIDER).exitAt(2, CHILD, 0);
        assertEquals(0, run(k, options("-t", "5s"), inbox));
        LoopState s = inbox.state;
        assertEquals(1, s.orphansReaped, "the USR2 victim");
        assertEquals(1, s.relayed[Signals.USR2]);
        assertEquals(1, s.relayed[Signals.TERM]);
        assertTrue(s.stopping);
        assertEquals(5_001_000_000L, s.deadlineNanos, "TERM at 1 ms, 5 s of grace");
        assertTrue(inbox.published >= 3, "published " + inbox.published + " times");
    }
}
