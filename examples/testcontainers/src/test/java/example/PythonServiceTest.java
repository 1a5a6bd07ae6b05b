package example;

import jinit.testcontainers.Jinit;
import jinit.testcontainers.JinitStop;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The python-multiprocessing example (main, two workers with a helper each, and an agent that
 * daemonized itself into a session of its own) in a plain Python image, with no init in it:
 * under jinit it stops at once, every process through its SIGTERM handler, and nothing is left.
 */
@Testcontainers
class PythonServiceTest {
    /** ../python-multiprocessing/app.py in a Python image: no jinit, no init, CMD python3 app.py. */
    static final ImageFromDockerfile IMAGE = new ImageFromDockerfile("jinit-tc-example-python", false)
        .withFileFromPath("app.py", Path.of(System.getProperty("app.py", "../python-multiprocessing/app.py")))
        .withDockerfileFromBuilder(b -> b.from(System.getProperty("python.image", "python:3.12-slim"))
            .copy("app.py", "/app/app.py").env("PYTHONUNBUFFERED", "1").cmd("python3", "/app/app.py").build());

    // ---- what you write -----------------------------------------------------------------------
    static final Jinit JINIT = Jinit.defaults().withGrace(Duration.ofSeconds(5));

    @Container
    static final GenericContainer<?> app = JINIT.applyTo(new GenericContainer<>(IMAGE)
        .waitingFor(Wait.forLogMessage("ready .*\\n", 6)));   // main, 2 workers, 2 helpers, the agent

    @Test
    void stopsAtOnceWithItsOwnExitStatusAndLeavesNothing() {
        JinitStop stop = JINIT.stop(app);                      // SIGTERM, 5 s grace, then SIGKILL
        System.out.println(stop);
        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.duration().compareTo(Duration.ofSeconds(1)) < 0, stop.toString());
        stop.assertNothingLeft();
    }
    // --------------------------------------------------------------------------------------------

    /**
     * The same image with no grace period (-t 0): jinit SIGKILLs right after the SIGTERM, so no
     * handler gets to run, the escaped agent's included, and the assertion fails, naming them.
     */
    @Test
    void withNoGraceTheProcessesAreKilledAndTheAssertionNamesThem() {
        Jinit noGrace = Jinit.defaults().withGrace(Duration.ZERO);
        try (GenericContainer<?> c = noGrace.applyTo(new GenericContainer<>(IMAGE).waitingFor(Wait.forLogMessage("ready .*\\n", 6)))) {
            c.start();
            Matcher agent = Pattern.compile("ready agent pid=(\\d+) ").matcher(c.getLogs());
            assertTrue(agent.find(), c.getLogs());

            JinitStop stop = noGrace.stop(c);

            assertTrue(stop.deadlineReached(), stop.toString());
            AssertionError e = assertThrows(AssertionError.class, stop::assertNothingLeft);
            assertTrue(e.getMessage().contains("pid " + agent.group(1) + " (ppid 1,"), "the escaped agent is named: " + e.getMessage());
            System.out.println("what the failure says:\n" + e.getMessage());
        }
    }
}
