package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static jinit.it.docker.Containers.ps;
import static jinit.it.docker.Containers.zombies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orphans are inherited by PID 1, and only PID 1 can reap them. tests/docker/it/scripts/orphans.sh
 * makes 3 rounds of 200 orphans that exit together. The container's process table is sampled
 * with `ps` the whole time: under jinit no zombie (state Z) may stay longer than a moment, and
 * at the end there is none. The control runs the same script under a PID 1 that never reaps
 * (`sleep`), where the same sampling does see them stay.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ZombieTest {
    private static final Duration READY = Duration.ofSeconds(60);
    /** A zombie seen for longer than this has not been reaped: it accumulates. */
    private static final Duration LINGER = Duration.ofSeconds(3);
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.test();
    }

    @Test
    void orphansAreReapedUnderJinit() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCommand("/it/orphans.sh")) {
            c.start();
            ZombieWatch watch = new ZombieWatch();
            // while the rounds run
            while (!logs.has("done")) {
                assertTrue(watch.sample(c).isEmpty(), () -> "zombies stay under jinit: " + watch.lingering);
                assertTrue(Containers.running(c), () -> "the container stopped; output:\n" + logs);
            }
            // and until the last round's orphans are gone: none of them may be left, not even as a zombie
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<String> ps;
            while (true) {
                assertTrue(watch.sample(c).isEmpty(), () -> "zombies stay under jinit: " + watch.lingering);
                ps = watch.last;
                if (zombies(ps).isEmpty() && ps.stream().noneMatch(ZombieTest::orphanSleep)) break;
                assertTrue(System.nanoTime() < end, "orphans are left 20 s after the last round:\n" + String.join("\n", ps));
            }
            assertEquals(List.of(), zombies(ps));
            assertTrue(watch.samples >= 3, "the process table was sampled " + watch.samples + " times only");
        }
    }

    @Test
    void controlWithoutAReapingPid1TheSameSamplingSeesZombiesStay() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withEnv("ROUNDS", "1")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh", "-c", "/it/orphans.sh & exec sleep 600"))) {
            c.start();
            logs.awaitAll(READY, "done");
            ZombieWatch watch = new ZombieWatch();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (watch.sample(c).isEmpty()) {
                assertTrue(System.nanoTime() < end, "no zombie stayed within 20 s without a reaping PID 1: the check cannot see them");
            }
            assertTrue(zombies(watch.last).size() >= 200, "all 200 orphans stay as zombies:\n" + String.join("\n", watch.last));
        }
    }

    /** A `sleep 1` of orphans.sh whose parent has gone (PPID 1). */
    private static boolean orphanSleep(String psLine) {
        String[] f = psLine.split("\\s+", 5);
        return f[1].equals("1") && f.length == 5 && f[4].equals("sleep 1");
    }

    /** Samples `ps`; reports zombies seen for longer than {@link #LINGER}. */
    private static final class ZombieWatch {
        final Map<String, Long> firstSeen = new HashMap<>();
        List<String> last = List.of();
        List<String> lingering = List.of();
        int samples;

        List<String> sample(GenericContainer<?> c) throws Exception {
            last = ps(c);
            samples++;
            long now = System.nanoTime();
            Map<String, Long> seen = new HashMap<>();
            for (String z : zombies(last)) {
                String pid = z.split("\\s+")[0];
                seen.put(pid, firstSeen.getOrDefault(pid, now));
            }
            firstSeen.clear();
            firstSeen.putAll(seen);
            lingering = seen.entrySet().stream().filter(e -> now - e.getValue() > LINGER.toNanos())
                .map(e -> e.getKey() + " (" + (now - e.getValue()) / 1_000_000 + " ms)").toList();
            return lingering;
        }
    }
}
