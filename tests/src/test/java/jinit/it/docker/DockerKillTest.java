package jinit.it.docker;

import com.github.dockerjava.api.command.WaitContainerResultCallback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static jinit.it.docker.Containers.dockerKill;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `docker kill -s SIG` sends SIG to the container's PID 1: jinit must relay it to the child's
 * process group (tests/docker/it/scripts/signals.sh: main and a worker in its group print
 * "got SIG ROLE"). USR2 matters in particular: HotSpot uses it internally unless moved.
 * HUP and QUIT also start jinit's stop deadline (JINIT_GRACE 60s here, never reached);
 * QUIT ends the script, which exits 3.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class DockerKillTest {
    private static final Duration READY = Duration.ofSeconds(60), RELAYED = Duration.ofSeconds(10);
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.test();
    }

    /** The shell that runs the launcher script (#!/bin/sh): dash as in Debian, busybox's ash. */
    static Stream<Arguments> shells() {
        return Stream.of(
            Arguments.of("dash", new String[] {Containers.JINIT, "--"}),
            Arguments.of("busybox ash", new String[] {"/bin/ash", Containers.JINIT, "--"}));
    }

    @ParameterizedTest(name = "launcher run by {0}")
    @MethodSource("shells")
    void signalsReachTheChildsProcessGroup(String shell, String[] entrypoint) throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCommand("/it/signals.sh")
                .withEnv("JINIT_GRACE", "60s")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(entrypoint))) {
            c.start();
            logs.awaitPrefixes(READY, "ready main ", "ready worker ");
            for (String sig : new String[] {"USR1", "USR2", "WINCH", "HUP", "QUIT"}) {
                dockerKill(c, sig);
                logs.awaitAll(RELAYED, "got " + sig + " main", "got " + sig + " worker");
            }
            int status = Containers.client().waitContainerCmd(c.getContainerId())
                .exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
            assertEquals(3, status, "signals.sh exits 3 after QUIT; output:\n" + logs);
        }
    }
}
