package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static jinit.it.docker.Containers.dockerStop;
import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `docker stop` against jinit as PID 1 of a container running tests/docker/it/scripts/tree.sh:
 * main, a worker in main's process group, and a worker that left with setsid() (and has a
 * child of its own). Docker sends SIGTERM to PID 1 only and SIGKILLs the container after the
 * stop timeout (30 s here); jinit must get SIGTERM to every process and have the container exit
 * with the main child's status long before that, and SIGKILL what ignores SIGTERM at its own
 * deadline.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class DockerStopTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int DOCKER_TIMEOUT = 30;
    private static final Pattern READY_LINE = Pattern.compile("ready (\\S+) (\\d+)(?: sid=(\\d+))?");
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.test();
    }

    /** The ways jinit is started from an ENTRYPOINT. */
    static Stream<Arguments> entrypoints() {
        return Stream.of(
            Arguments.of("launcher", new String[] {Containers.JINIT, "--"}),
            // java -jar straight from the ENTRYPOINT: jinit re-executes itself with its signals blocked
            Arguments.of("java -jar", new String[] {"/opt/jinit/bin/java", "-jar", "/opt/jinit/lib/jinit/jinit.jar", "--"}));
    }

    @ParameterizedTest(name = "started by {0}")
    @MethodSource("entrypoints")
    void stopReachesEveryProcessAndExitsWithTheChildsStatus(String how, String[] entrypoint) throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCommand("/it/tree.sh")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(entrypoint))) {
            c.start();
            logs.awaitPrefixes(READY, "ready main ", "ready worker ", "ready escaped ", "ready escaped-child ");
            var pids = readyPids(logs.lines());
            String escaped = logs.startingWith("ready escaped ").get(0);
            assertTrue(escaped.endsWith("sid=" + pids.get("escaped")), "the escaped worker leads a session of its own: " + escaped);

            Duration took = dockerStop(c, DOCKER_TIMEOUT);

            String out = c.getLogs();
            assertEquals(7, exitCode(c), "exit status: main's (7); output:\n" + out);
            for (String role : List.of("main", "worker", "escaped", "escaped-child")) {
                assertTrue(out.lines().anyMatch(("TERM " + role + " " + pids.get(role))::equals),
                    role + " (pid " + pids.get(role) + ") did not handle SIGTERM; output:\n" + out);
            }
            assertTrue(out.contains("main exits 7\n"), out);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0,
                "docker stop took " + seconds(took) + ": expected well before docker's SIGKILL at " + DOCKER_TIMEOUT + " s");
        }
    }

    @Test
    void aWorkerIgnoringTermIsKilledAtJinitsDeadline() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCommand("/it/tree.sh")
                .withEnv("STUBBORN", "escaped")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(Containers.JINIT, "-t", "2s", "--"))) {
            c.start();
            logs.awaitPrefixes(READY, "ready main ", "ready worker ", "ready escaped ", "ready escaped-child ");
            var pids = readyPids(logs.lines());

            Duration took = dockerStop(c, DOCKER_TIMEOUT);

            String out = c.getLogs();
            assertEquals(7, exitCode(c), "exit status: main's, also when a leftover had to be killed; output:\n" + out);
            assertTrue(out.contains("TERM-ignored escaped " + pids.get("escaped") + "\n"), "the stubborn worker got SIGTERM; output:\n" + out);
            assertTrue(out.contains("TERM escaped-child " + pids.get("escaped-child") + "\n"), out);
            assertTrue(out.contains("main exits 7\n"), out);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0,
                "docker stop took " + seconds(took) + ": the stubborn worker must get the whole 2 s grace period");
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0,
                "docker stop took " + seconds(took) + ": jinit must SIGKILL at its 2 s deadline, well before docker's " + DOCKER_TIMEOUT + " s");
        }
    }

    @Test
    void aMainChildIgnoringTermIsKilledAtTheDeadlineSetByJinitGrace() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCommand("/it/tree.sh")
                .withEnv("STUBBORN", "main").withEnv("JINIT_GRACE", "2s")) {
            c.start();
            logs.awaitPrefixes(READY, "ready main ", "ready worker ", "ready escaped ", "ready escaped-child ");
            var pids = readyPids(logs.lines());

            Duration took = dockerStop(c, DOCKER_TIMEOUT);

            String out = c.getLogs();
            assertEquals(128 + 9, exitCode(c), "the main child was SIGKILLed: 128+9; output:\n" + out);
            assertTrue(out.contains("TERM-ignored main " + pids.get("main") + "\n"), out);
            for (String role : List.of("worker", "escaped", "escaped-child")) {
                assertTrue(out.contains("TERM " + role + " " + pids.get(role) + "\n"), role + " got SIGTERM first; output:\n" + out);
            }
            assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
                "docker stop took " + seconds(took) + ": expected jinit's 2 s deadline (JINIT_GRACE), not docker's " + DOCKER_TIMEOUT + " s");
        }
    }

    /** role -> pid from the "ready ROLE PID" lines. */
    static java.util.Map<String, String> readyPids(List<String> lines) {
        java.util.Map<String, String> pids = new java.util.HashMap<>();
        for (String l : lines) {
            Matcher m = READY_LINE.matcher(l);
            if (m.matches()) pids.put(m.group(1), m.group(2));
        }
        return pids;
    }
}
