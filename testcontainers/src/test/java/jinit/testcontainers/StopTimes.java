package jinit.testcontainers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Not a test: measures how long stopping examples/python-multiprocessing/app.py takes, in a
 * plain Python image (no init in it), under jinit and without, and what jinit adds to a
 * container's start. Prints a table (median, min, max of N runs).
 *
 * <pre>
 * flock /work/scratch/docker.lock mvn -B -o -q -pl testcontainers test-compile exec:java \
 *     -Dexec.mainClass=jinit.testcontainers.StopTimes -Dexec.classpathScope=test [-Dexec.args=5]
 * </pre>
 * Environment as for the tests: TESTCONTAINERS_RYUK_DISABLED=true.
 */
public final class StopTimes {
    private StopTimes() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path app = TestImages.REPOSITORY.resolve("examples/python-multiprocessing/app.py");
        ImageFromDockerfile image = new ImageFromDockerfile("jinit-tc-example-python", false)
            .withFileFromPath("app.py", app)
            .withFileFromString("Dockerfile", "FROM local/python:3.11\nCOPY app.py /app/app.py\nENV PYTHONUNBUFFERED=1\nCMD [\"python3\", \"/app/app.py\"]\n");
        String python = image.get();
        Jinit jinit = Jinit.defaults();
        Function<Boolean, GenericContainer<?>> plain = withInit -> TestImages.container(python, 6)
            .withCreateContainerCmdModifier(c -> c.getHostConfig().withInit(withInit));

        row("python app: Jinit.stop (jinit, grace 8 s)", n, () -> {
            try (GenericContainer<?> c = jinit.applyTo(TestImages.container(python, 6))) {
                c.start();
                return jinit.stop(c).duration();
            }
        });
        row("python app: the whole Jinit.stop call (status, stop, inspect, logs)", n, () -> {
            try (GenericContainer<?> c = jinit.applyTo(TestImages.container(python, 6))) {
                c.start();
                return timed(() -> jinit.stop(c));
            }
        });
        row("python app: Jinit.status (docker exec jinit ctl --json status)", n, () -> {
            try (GenericContainer<?> c = jinit.applyTo(TestImages.container(python, 6))) {
                c.start();
                return timed(() -> jinit.status(c));
            }
        });
        row("python app: GenericContainer.stop() (SIGKILL + remove), under jinit", n, () -> {
            try (GenericContainer<?> c = jinit.applyTo(TestImages.container(python, 6))) {
                c.start();
                return timed(c::stop);
            }
        });
        row("python app: GenericContainer.stop(), python as PID 1", n, () -> {
            try (GenericContainer<?> c = plain.apply(false)) {
                c.start();
                return timed(c::stop);
            }
        });
        row("python app: docker stop (10 s), python as PID 1", Math.min(n, 2), () -> {
            try (GenericContainer<?> c = plain.apply(false)) {
                c.start();
                return timed(() -> c.getDockerClient().stopContainerCmd(c.getContainerId()).withTimeout(10).exec());
            }
        });
        row("python app: docker stop (10 s), docker's --init (tini)", Math.min(n, 2), () -> {
            try (GenericContainer<?> c = plain.apply(true)) {
                c.start();
                return timed(() -> c.getDockerClient().stopContainerCmd(c.getContainerId()).withTimeout(10).exec());
            }
        });
        String workers = TestImages.workers();
        row("start, scratch image: GenericContainer.start()", n, () -> {
            try (GenericContainer<?> c = TestImages.container(workers, 3)) {
                return timed(c::start);
            }
        });
        row("start, scratch image: under jinit (copies 16 MB in)", n, () -> {
            try (GenericContainer<?> c = jinit.applyTo(TestImages.container(workers, 3))) {
                return timed(c::start);
            }
        });
    }

    interface Run {
        Duration once() throws Exception;
    }

    private static Duration timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static void row(String what, int n, Run run) throws Exception {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) ms.add(run.once().toMillis());
        List<Long> sorted = ms.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "| %-70s | %5d ms | %5d ms | %5d ms | %d |%n", what, sorted.get(sorted.size() / 2), sorted.get(0),
            sorted.get(sorted.size() - 1), n);
    }
}
