package jinit.testcontainers;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images of these tests, built locally once per test JVM, never pulled; none of them holds
 * jinit (Jinit.applyTo puts it in):
 * <ul>
 * <li>{@value #WORKERS}: FROM scratch, one static C program (src/test/c/workers.c, built with
 *     gcc -static) as its ENTRYPOINT: no shell, no JVM, no libc;</li>
 * <li>{@value #SHELL}: FROM local/base:bookworm, a sh script as ENTRYPOINT with a CMD;</li>
 * <li>{@value #JRE}: the JRE stand-in of tests/docker/build-base-images.sh, for a Java app.</li>
 * </ul>
 * Build output goes to testcontainers/target/images.log.
 */
final class TestImages {
    static final String WORKERS = "jinit-tc-workers:test";
    static final String SHELL = "jinit-tc-shell:test";
    static final String JRE = "local/jre:25";
    static final String BASE = "local/base:bookworm";

    static final Path REPOSITORY = Path.of(System.getProperty("jinit.repository", "..")).toAbsolutePath().normalize();
    private static final Path TARGET = REPOSITORY.resolve("testcontainers/target");
    private static final Path LOG = TARGET.resolve("images.log");
    private static final Pattern READY = Pattern.compile("ready (\\S+) pid=(\\d+) ppid=(\\d+) pgid=(\\d+) sid=(\\d+).*");

    private static boolean baseImages, workers, shell;

    private TestImages() {}

    /** Skips the calling test class, saying why, when there is no usable Docker daemon (DockerRequiredTest fails then in CI). */
    static void requireDocker() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
            "Docker is not available");
    }

    /** local/base:bookworm and local/jre:25 (tests/docker/build-base-images.sh), when missing. */
    static synchronized void baseImages() throws IOException, InterruptedException {
        if (baseImages) return;
        run(REPOSITORY.resolve("tests/docker/build-base-images.sh").toString(), "--if-missing", "base", "jre");
        baseImages = true;
    }

    /** {@value #WORKERS}: workers.c, linked statically, alone in an image FROM scratch. */
    static synchronized String workers() throws IOException, InterruptedException {
        if (workers) return WORKERS;
        Path out = TARGET.resolve("workers/workers");
        Files.createDirectories(out.getParent());
        run("gcc", "-static", "-O2", "-Wall", "-o", out.toString(), REPOSITORY.resolve("testcontainers/src/test/c/workers.c").toString());
        build(new ImageFromDockerfile(WORKERS, false)
            .withFileFromPath("workers", out)
            .withFileFromString("Dockerfile", "FROM scratch\nCOPY workers /workers\nENTRYPOINT [\"/workers\"]\n"));
        workers = true;
        return WORKERS;
    }

    /**
     * {@value #SHELL}: ENTRYPOINT ["/bin/sh", "/app/service.sh"], CMD ["from-the-image"]. The
     * script prints its arguments, starts a worker, and on TERM stops the worker and exits 0.
     */
    static synchronized String shell() throws IOException, InterruptedException {
        if (shell) return SHELL;
        baseImages();
        String script = String.join("\n",
            "echo \"args: $*\"",
            "sh -c 'trap \"echo worker: TERM, cleaning up; exit 0\" TERM; echo ready worker; while :; do sleep 1; done' &",
            "worker=$!",
            "trap 'echo main: TERM; wait $worker; echo main: exiting 0; exit 0' TERM",
            "echo ready main",
            "while :; do sleep 1; done",
            "");
        build(new ImageFromDockerfile(SHELL, false)
            .withFileFromString("service.sh", script)
            .withFileFromString("Dockerfile", "FROM " + BASE + "\nCOPY service.sh /app/service.sh\n"
                + "ENTRYPOINT [\"/bin/sh\", \"/app/service.sh\"]\nCMD [\"from-the-image\"]\n"));
        shell = true;
        return SHELL;
    }

    /**
     * Builds the image and removes the one its tag named before (Testcontainers labels each
     * build with its session, so every run makes a new image and would leave the last one).
     */
    private static void build(ImageFromDockerfile image) {
        var docker = DockerClientFactory.instance().client();
        String old;
        try {
            old = docker.inspectImageCmd(image.getDockerImageName()).exec().getId();
        } catch (NotFoundException e) {
            old = null;
        }
        String now = docker.inspectImageCmd(image.get()).exec().getId();
        if (old != null && !old.equals(now)) {
            try {
                docker.removeImageCmd(old).exec();
            } catch (RuntimeException e) {
                // still used (a container, a child image): it stays
            }
        }
    }

    /** A container of {@code image} that is started once its output has {@code readyLines} lines starting with "ready ". */
    static GenericContainer<?> container(String image, int readyLines) {
        return new GenericContainer<>(DockerImageName.parse(image))
            .waitingFor(Wait.forLogMessage("ready .*\\n", readyLines).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** The container's stdout so far, as lines. */
    static List<String> stdout(GenericContainer<?> c) {
        return c.getLogs(OutputFrame.OutputType.STDOUT).lines().toList();
    }

    /** The pid in the line "ready ROLE pid=N ...". */
    static int readyPid(GenericContainer<?> c, String role) {
        for (String l : stdout(c)) {
            Matcher m = READY.matcher(l);
            if (m.matches() && m.group(1).equals(role)) return Integer.parseInt(m.group(2));
        }
        throw new AssertionError("no line 'ready " + role + " pid=...'; output:\n" + c.getLogs());
    }

    /** Runs a build command; its output goes to the log, and into the exception when it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        Files.createDirectories(LOG.getParent());
        Files.writeString(LOG, "\n$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 10 minutes; see " + LOG);
        }
        if (p.exitValue() != 0) {
            List<String> log = Files.readAllLines(LOG);
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + "; the end of " + LOG + ":\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
        }
    }
}
