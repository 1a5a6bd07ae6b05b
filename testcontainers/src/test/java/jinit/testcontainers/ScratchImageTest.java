package jinit.testcontainers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image with neither a shell nor a JVM (FROM scratch, one static C program as its
 * ENTRYPOINT) runs under jinit without any change: jinit is PID 1, the image's program its main
 * child, and the graceful stop reaches every process, the one that left into a session of its
 * own too.
 */
class ScratchImageTest {
    private static final Jinit JINIT = Jinit.defaults();
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        TestImages.requireDocker();
        image = TestImages.workers();
    }

    @Test
    void theImagesProgramRunsUnderJinitAndEveryProcessCleansUpOnTheStop() throws Exception {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 3))) {
            c.start();
            Container.ExecResult sh = c.execInContainer("/bin/sh", "-c", "true");
            assertNotEquals(0, sh.getExitCode(), "the image has no shell: " + sh);

            int main = TestImages.readyPid(c, "main"), worker = TestImages.readyPid(c, "worker"), escaped = TestImages.readyPid(c, "escaped");
            JinitStatus status = JINIT.status(c);
            assertEquals(1, status.jinitPid(), "jinit is PID 1: " + status);
            assertEquals(main, status.mainPid(), "the image's ENTRYPOINT is jinit's main child: " + status);
            JinitProcess e = status.process(escaped), m = status.process(main);
            assertTrue(e != null && e.ppid() == 1 && e.sid() == e.pgid() && e.sid() != m.sid() && e.pgid() != m.pgid(),
                "the escaped worker is below jinit, in a session of its own: " + status);
            assertEquals(List.of(main, worker, escaped), status.processes().stream().map(JinitProcess::pid).sorted().toList(), status.toString());
            assertEquals("/workers", status.process(main).command(), status.toString());

            JinitStop stop = JINIT.stop(c);
            System.out.println("[scratch image] " + stop);

            List<String> out = TestImages.stdout(c);
            assertEquals(0, stop.exitCode(), "the program's own exit status; output:\n" + out);
            assertTrue(out.contains("worker pid=" + worker + ": TERM, cleaning up"), out.toString());
            assertTrue(out.contains("escaped pid=" + escaped + ": TERM, cleaning up"), "jinit reached the escaped worker: " + out);
            assertTrue(out.contains("main: worker stopped, exiting 0"), out.toString());
            stop.assertNothingLeft();
            assertTrue(stop.duration().compareTo(Duration.ofSeconds(5)) < 0,
                "the stop took " + stop.duration().toMillis() + " ms: jinit exits once every process is gone, not at its 8 s deadline");
        }
    }

    /** jinit's directory is world-writable (sticky, as /tmp): jinit creates its control socket there as any user. */
    @Test
    void anImageRunAsAnotherUserRunsUnderJinitToo() {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 3).withCreateContainerCmdModifier(cmd -> cmd.withUser("65534:65534")))) {
            c.start();
            JinitStatus status = JINIT.status(c);
            assertEquals(3, status.processes().size(), status.toString());
            JinitStop stop = JINIT.stop(c);
            assertEquals(0, stop.exitCode(), stop.toString());
            stop.assertNothingLeft();
        }
    }
}
