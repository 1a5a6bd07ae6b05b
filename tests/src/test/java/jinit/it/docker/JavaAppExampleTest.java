package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;

import static jinit.it.docker.Containers.dockerStop;
import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/java-app as its README says: a Java service whose shutdown hook drains for 1.5 s.
 * With the image's ENTRYPOINT (jinit -e 143 -t 20s) `docker stop` lets the hook finish and the
 * container reports 0; without -e it reports the JVM's 143; with a grace period shorter than
 * the hook (-t 1s, the hook draining for 5 s), jinit SIGKILLs the JVM at its deadline: 137, the
 * hook never finishes.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class JavaAppExampleTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.example("java-app", "JDK_IMAGE", Images.BUILDER, "JRE_IMAGE", Images.JRE);
    }

    /** Runs the example (its hook drains for {@code drainMs}), waits for it, `docker stop -t 30`. */
    private static Stopped stop(int drainMs, String... entrypoint) throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withEnv("DRAIN_MS", String.valueOf(drainMs))) {
            // a new ENTRYPOINT drops the image's CMD (as docker run --entrypoint does): give it again
            if (entrypoint.length > 0) c.withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(entrypoint)).withCommand("java", "-cp", "/app", "Service");
            c.start();
            logs.await("the service's start", READY, ls -> ls.stream().anyMatch(l -> l.startsWith("service listening on 8080")));
            Duration took = dockerStop(c, 30);
            return new Stopped(exitCode(c), took, c.getLogs());
        }
    }

    record Stopped(long exit, Duration took, String out) {}

    @Test
    void theShutdownHookCompletesAndExit143IsMappedTo0() throws Exception {
        Stopped s = stop(1500);
        assertEquals(0, s.exit, "-e 143 maps the JVM's SIGTERM exit to 0; output:\n" + s.out);
        assertTrue(s.out.contains("shutdown hook: done\n"), s.out);
        assertTrue(s.took.compareTo(Duration.ofMillis(1500)) >= 0 && s.took.compareTo(Duration.ofSeconds(10)) < 0,
            "docker stop took " + seconds(s.took) + ": the hook's 1.5 s, no more");
    }

    @Test
    void withoutRemapTheContainerReports143() throws Exception {
        Stopped s = stop(1500, Containers.JINIT, "-t", "20s", "--");
        assertEquals(143, s.exit, s.out);
        assertTrue(s.out.contains("shutdown hook: done\n"), s.out);
    }

    @Test
    void aGracePeriodShorterThanTheHookEndsItWithSigkill() throws Exception {
        Stopped s = stop(5000, Containers.JINIT, "-e", "143", "-t", "1s", "--");
        assertEquals(128 + 9, s.exit, "killed at jinit's deadline; output:\n" + s.out);
        assertTrue(s.out.contains("shutdown hook: stopping the server, draining for 5000 ms"), s.out);
        assertFalse(s.out.contains("shutdown hook: done"), s.out);
        assertTrue(s.took.compareTo(Duration.ofMillis(900)) >= 0 && s.took.compareTo(Duration.ofSeconds(4)) < 0,
            "docker stop took " + seconds(s.took) + ": jinit's 1 s deadline, long before the hook's 5 s");
    }
}
