package jinit.it.docker;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers over Testcontainers and its Docker client, for the cases the suite needs. */
final class Containers {
    /** jinit's command line in the test image: ENTRYPOINT ["/opt/jinit/bin/jinit", "--"]. */
    static final String JINIT = "/opt/jinit/bin/jinit";

    private Containers() {}

    static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /** A container of {@code image} whose output goes to {@code logs}. */
    static GenericContainer<?> container(String image, LogLines logs) {
        return new GenericContainer<>(DockerImageName.parse(image)).withLogConsumer(logs);
    }

    /**
     * `docker stop -t seconds`: SIGTERM to PID 1, SIGKILL when it is still running after
     * {@code seconds}. Returns when the container has stopped: how long that took.
     * (GenericContainer.stop() is not this: it sends SIGKILL straight away.)
     */
    static Duration dockerStop(GenericContainer<?> c, int seconds) {
        long t0 = System.nanoTime();
        client().stopContainerCmd(c.getContainerId()).withTimeout(seconds).exec();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * A plain `docker stop` (the CLI: docker-java always sends a timeout, 10 s by default):
     * SIGTERM, and SIGKILL after the container's own stop timeout, 10 s unless it was created
     * with another (`docker run --stop-timeout`). Returns how long the stop took.
     */
    static Duration dockerStop(GenericContainer<?> c) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("docker", "stop", c.getContainerId()).redirectErrorStream(true).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("docker stop " + c.getContainerId() + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** `docker kill -s SIGNAL`. */
    static void dockerKill(GenericContainer<?> c, String signal) {
        client().killContainerCmd(c.getContainerId()).withSignal(signal).exec();
    }

    static boolean running(GenericContainer<?> c) {
        return Boolean.TRUE.equals(client().inspectContainerCmd(c.getContainerId()).exec().getState().getRunning());
    }

    /** The exit code of a stopped container. */
    static long exitCode(GenericContainer<?> c) {
        var state = client().inspectContainerCmd(c.getContainerId()).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning())) throw new AssertionError("container is still running");
        return state.getExitCodeLong();
    }

    /** Every process in the container as "PID PPID PGID STAT ARGS" (busybox ps), header dropped. */
    static List<String> ps(GenericContainer<?> c) throws Exception {
        Container.ExecResult r = c.execInContainer("ps", "-o", "pid,ppid,pgid,stat,args");
        if (r.getExitCode() != 0) throw new AssertionError("ps failed: " + r);
        return r.getStdout().lines().skip(1).map(String::strip).toList();
    }

    /** The processes of {@link #ps} in state Z (zombies), without the ps that listed them. */
    static List<String> zombies(List<String> ps) {
        return ps.stream().filter(l -> l.split("\\s+")[3].startsWith("Z")).toList();
    }

    static String seconds(Duration d) {
        return String.format("%.2f s", d.toMillis() / 1000.0);
    }
}
