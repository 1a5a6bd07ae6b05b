package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/supervisord as its README says: supervisord (PID 1 of the container) runs
 * service.sh twice; the program "app" runs it under jinit -s -g -t 5s, "bare" runs it directly
 * with stopasgroup/killasgroup. `supervisorctl stop` of each: bare's helper that called setsid
 * (sleep 2002) survives, nothing of app's does (sleep 1001 in its group, sleep 1002 in its own
 * session).
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class SupervisordExampleTest {
    private static final String CONF = "/etc/supervisor/supervisord.conf";
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.example("supervisord", "BASE_IMAGE", Images.SUPERVISOR);
    }

    @Test
    void supervisorctlStopTakesDownTheWholeTreeOnlyUnderJinit() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs)) {
            c.start();
            logs.awaitPrefixes(Duration.ofSeconds(60), "app: started", "bare: started");
            List<String> before = args(Containers.ps(c));
            for (String s : List.of("sleep 1001", "sleep 1002", "sleep 2001", "sleep 2002")) {
                assertTrue(before.contains(s), s + " runs before the stop: " + before);
            }

            assertEquals("bare: stopped", supervisorctl(c, "stop", "bare"));
            assertEquals("app: stopped", supervisorctl(c, "stop", "app"));

            List<String> after = args(Containers.ps(c));
            assertTrue(after.contains("sleep 2002"), "without jinit the setsid helper survives the stop: " + after);
            for (String s : List.of("sleep 1001", "sleep 1002", "sleep 2001")) {
                assertTrue(!after.contains(s), s + " still runs after the stop: " + after);
            }
            assertTrue(logs.lines().contains("app: SIGTERM, stopping"), logs.toString());
        }
    }

    private static String supervisorctl(GenericContainer<?> c, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "supervisorctl";
        cmd[1] = "-c";
        cmd[2] = CONF;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Container.ExecResult r = c.execInContainer(cmd);
        return r.getStdout().strip() + r.getStderr().strip();
    }

    /** The ARGS column of {@link Containers#ps}. */
    private static List<String> args(List<String> ps) {
        return ps.stream().map(l -> l.split("\\s+", 5)).filter(f -> f.length == 5).map(f -> f[4]).toList();
    }
}
