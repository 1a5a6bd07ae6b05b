package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static jinit.it.docker.Containers.dockerStop;
import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/python-multiprocessing does what its README says: built from its Dockerfile (with the
 * local stand-ins for python:3.12-slim and the jinit image), `docker stop` stops every process
 * of app.py through its handler at once under jinit; with python as PID 1 (the contrast) only
 * main gets SIGTERM and the container is SIGKILLed at the end of the stop timeout.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class PythonExampleTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final List<String> ROLES = List.of("main", "worker-1", "worker-2", "helper-1", "helper-2", "agent");
    private static final Pattern READY_LINE = Pattern.compile("ready (\\S+) pid=(\\d+) ppid=(\\d+) pgid=(\\d+) sid=(\\d+)");
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.example("python-multiprocessing", "PYTHON_IMAGE", Images.PYTHON);
    }

    @Test
    void underJinitEveryProcessCleansUpAndTheContainerExitsAtOnce() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs)) {
            c.start();
            logs.awaitPrefixes(READY, ROLES.stream().map(r -> "ready " + r + " ").toArray(String[]::new));
            Map<String, String[]> ready = ready(logs.lines());
            String[] agent = ready.get("agent");
            assertEquals("1", agent[1], "the agent's parent is gone: PID 1 (jinit) inherited it");
            String[] main = ready.get("main");
            assertTrue(!agent[2].equals(main[2]) && !agent[3].equals(main[3]),
                "the agent left main's process group and session: agent " + String.join(" ", agent) + ", main " + String.join(" ", main));

            Duration took = dockerStop(c, 10);

            String out = c.getLogs();
            assertEquals(0, exitCode(c), "app.py's own status; output:\n" + out);
            for (String role : ROLES) {
                if (role.equals("main")) continue;
                String line = role + " pid=" + ready.get(role)[0] + ": SIGTERM, cleaning up";
                assertTrue(out.lines().anyMatch(line::equals), "missing \"" + line + "\"; output:\n" + out);
            }
            assertTrue(out.contains("main: all workers stopped, exiting 0\n"), out);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "docker stop took " + seconds(took) + ", expected at once (timeout 10 s)");
        }
    }

    @Test
    void withPythonAsPid1OnlyMainGetsTermAndDockerKillsAtTheTimeout() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("python3", "/app/app.py").withCmd(List.of()))) {
            c.start();
            logs.awaitPrefixes(READY, ROLES.stream().map(r -> "ready " + r + " ").toArray(String[]::new));
            assertEquals("1", ready(logs.lines()).get("main")[0], "python is PID 1");

            Duration took = dockerStop(c, 3);

            String out = c.getLogs();
            assertEquals(128 + 9, exitCode(c), "SIGKILLed by docker; output:\n" + out);
            assertTrue(out.contains("main pid=1: SIGTERM, waiting for the workers\n"), out);
            assertTrue(out.lines().noneMatch(l -> l.endsWith("SIGTERM, cleaning up")), "no other process got SIGTERM; output:\n" + out);
            assertTrue(took.compareTo(Duration.ofMillis(2900)) >= 0, "docker stop took " + seconds(took) + ": the whole 3 s timeout");
        }
    }

    /** role -> {pid, ppid, pgid, sid} from the "ready" lines. */
    private static Map<String, String[]> ready(List<String> lines) {
        Map<String, String[]> m = new java.util.HashMap<>();
        for (String l : lines) {
            Matcher r = READY_LINE.matcher(l);
            if (r.matches()) m.put(r.group(1), new String[] {r.group(2), r.group(3), r.group(4), r.group(5)});
        }
        return m;
    }
}
