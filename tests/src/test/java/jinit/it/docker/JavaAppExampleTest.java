package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/java-app as its README says: a Java service whose shutdown hook drains for DRAIN_MS,
 * under the image's ENTRYPOINT (jinit -e 143) and JINIT_GRACE=8s, stopped by a plain
 * `docker stop` (the container's stop timeout: Docker's 10 s unless raised). The grace fits
 * inside Docker's deadline: a hook that would run longer is ended by jinit at 8 s (its deadline
 * line in the log), not by Docker at 10 s; raising both deadlines lets a longer hook complete;
 * without -e the container reports the JVM's 143.
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

    /** Runs the example (its hook drains for {@code drainMs}), waits for it, then a plain `docker stop`. */
    private static Stopped stop(int drainMs, UnaryOperator<GenericContainer<?>> setUp) throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = setUp.apply(Containers.container(image, logs).withEnv("DRAIN_MS", String.valueOf(drainMs)))) {
            c.start();
            logs.await("the service's start", READY, ls -> ls.stream().anyMatch(l -> l.startsWith("service listening on 8080")));
            Duration took = Containers.dockerStop(c);
            return new Stopped(exitCode(c), took, c.getLogs());
        }
    }

    record Stopped(long exit, Duration took, String out) {}

    @Test
    void asBuiltTheHookCompletesAndExit143IsMappedTo0() throws Exception {
        Stopped s = stop(1500, c -> c);
        assertEquals(0, s.exit, "-e 143 maps the JVM's SIGTERM exit to 0; output:\n" + s.out);
        assertTrue(s.out.contains("shutdown hook: done\n"), s.out);
        assertTrue(s.took.compareTo(Duration.ofMillis(1500)) >= 0 && s.took.compareTo(Duration.ofSeconds(8)) < 0,
            "docker stop took " + seconds(s.took) + ": the hook's 1.5 s, no more");
    }

    @Test
    void asBuiltAHookLongerThanTheGraceIsEndedByJinitBeforeDockersDeadline() throws Exception {
        Stopped s = stop(60_000, c -> c);
        assertEquals(128 + 9, s.exit, "SIGKILLed; output:\n" + s.out);
        assertTrue(s.out.contains("grace period of 8.0s is over: killing what is left"), "by jinit, which logs its deadline:\n" + s.out);
        assertFalse(s.out.contains("shutdown hook: done"), s.out);
        assertTrue(s.took.compareTo(Duration.ofMillis(7900)) >= 0 && s.took.compareTo(Duration.ofMillis(9900)) < 0,
            "docker stop took " + seconds(s.took) + ": jinit's 8 s, before Docker's 10 s");
    }

    @Test
    void raisingTheGraceAndTheStopTimeoutTogetherLetsALongerHookComplete() throws Exception {
        Stopped s = stop(11_000, c -> c.withEnv("JINIT_GRACE", "25s").withCreateContainerCmdModifier(cmd -> cmd.withStopTimeout(30)));
        assertEquals(0, s.exit, s.out);
        assertTrue(s.out.contains("shutdown hook: done\n"), s.out);
        assertTrue(s.took.compareTo(Duration.ofSeconds(11)) >= 0, "docker stop took " + seconds(s.took) + ": the hook's 11 s");
    }

    @Test
    void withoutRemapTheContainerReports143() throws Exception {
        // a new ENTRYPOINT drops the image's CMD (as docker run --entrypoint does): give it again
        Stopped s = stop(1500, c -> c.withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(Containers.JINIT, "--"))
            .withCommand("java", "-cp", "/app", "Service"));
        assertEquals(143, s.exit, s.out);
        assertTrue(s.out.contains("shutdown hook: done\n"), s.out);
    }
}
