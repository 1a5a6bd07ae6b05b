package jinit.testcontainers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JinitStop#assertNothingLeft()} fails for the right reasons, and names the processes:
 * a worker that ignores SIGTERM (jinit SIGKILLs it at the end of its grace period) and zombies
 * that a process of the container does not wait for; it passes for orphans, which jinit reaps.
 * The program is workers.c in an image FROM scratch.
 */
class LeftoverAssertionTest {
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        TestImages.requireDocker();
        image = TestImages.workers();
    }

    @Test
    void aWorkerThatIgnoresTermIsKilledAtTheDeadlineAndNamed() {
        Jinit jinit = Jinit.defaults().withGrace(Duration.ofSeconds(1));
        try (GenericContainer<?> c = jinit.applyTo(TestImages.container(image, 3).withCommand("stubborn"))) {
            c.start();
            int escaped = TestImages.readyPid(c, "escaped"), worker = TestImages.readyPid(c, "worker");

            JinitStop stop = jinit.stop(c);
            System.out.println("[stubborn worker, grace 1 s] " + stop);

            assertTrue(stop.deadlineReached(), stop.toString());
            assertEquals(List.of(escaped), stop.killedAtDeadline().stream().map(JinitProcess::pid).toList(),
                "only the worker that ignored TERM was still there: " + stop);
            assertEquals(0, stop.exitCode(), "the main child exited by itself: its status, though a leftover was killed");
            AssertionError e = assertThrows(AssertionError.class, stop::assertNothingLeft);
            assertTrue(e.getMessage().contains("pid " + escaped + " (ppid 1"), e.getMessage());
            assertFalse(e.getMessage().contains("pid " + worker + " "), "the worker that cleaned up is not named: " + e.getMessage());
            assertTrue(stop.duration().compareTo(Duration.ofMillis(950)) >= 0, "the stubborn worker had the whole grace period: " + stop);
        }
    }

    @Test
    void zombiesOfAProcessThatDoesNotWaitAreNamedWithTheirParent() {
        Jinit jinit = Jinit.defaults();
        try (GenericContainer<?> c = jinit.applyTo(TestImages.container(image, 4).withCommand("zombies", "3"))) {
            c.start();
            int main = TestImages.readyPid(c, "main");

            JinitStop stop = jinit.stop(c);
            System.out.println("[3 zombies] " + stop);

            assertEquals(3, stop.zombies().size(), stop.toString());
            assertTrue(stop.zombies().stream().allMatch(z -> z.ppid() == main && z.zombie()), stop.toString());
            assertFalse(stop.deadlineReached(), "every process ended on TERM: " + stop);
            assertEquals(0, stop.exitCode());
            AssertionError e = assertThrows(AssertionError.class, stop::assertNothingLeft);
            assertTrue(e.getMessage().contains("3 zombies stayed") && e.getMessage().contains("child of pid " + main + " (ppid 1")
                && e.getMessage().contains(") /workers zombies 3"), e.getMessage());
        }
    }

    @Test
    void orphansAreReapedByJinitAndAreNoLeftovers() throws Exception {
        Jinit jinit = Jinit.defaults();
        try (GenericContainer<?> c = jinit.applyTo(TestImages.container(image, 4).withCommand("orphans", "5"))) {
            c.start();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jinit.status(c).orphansReaped() < 5) {
                assertTrue(System.nanoTime() < end, "jinit did not reap the 5 orphans: " + jinit.status(c));
                Thread.sleep(100);
            }

            JinitStop stop = jinit.stop(c);
            System.out.println("[5 orphans] " + stop);
            assertEquals(5, stop.statusBefore().orphansReaped(), stop.toString());
            assertEquals(0, stop.exitCode());
            stop.assertNothingLeft();
        }
    }
}
