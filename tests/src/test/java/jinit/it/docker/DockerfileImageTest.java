package jinit.it.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static jinit.it.docker.Containers.dockerStop;
import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image of the top-level Dockerfile ({@value Images#JINIT}): built by
 * `tests/docker/build-base-images.sh jinit` (Maven inside Docker, ~1 min), which CI runs before
 * the tests; here it is only used. Skipped when it was not built, unless REQUIRE_DOCKER=true.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@EnabledIf(value = "builtOrRequired", disabledReason = Images.JINIT + " not built (tests/docker/build-base-images.sh jinit)")
class DockerfileImageTest {
    /** Present, or required (then a missing image fails the tests instead of skipping them). */
    static boolean builtOrRequired() {
        if ("true".equals(System.getenv("REQUIRE_DOCKER"))) return true;
        return DockerClientFactory.instance().isDockerAvailable()
            && !Containers.client().listImagesCmd().withImageNameFilter(Images.JINIT).exec().isEmpty();
    }

    @BeforeAll
    static void present() {
        boolean present = !Containers.client().listImagesCmd().withImageNameFilter(Images.JINIT).exec().isEmpty();
        assertTrue(present, Images.JINIT + " is missing (REQUIRE_DOCKER=true): CI builds it with tests/docker/build-base-images.sh jinit");
    }

    record Ran(int status, LogLines out) {}

    /** `docker run --rm jinit:latest CMD...` (jinit is the ENTRYPOINT): its status and output. */
    private static Ran run(String... cmd) throws Exception {
        var docker = Containers.client();
        String id = docker.createContainerCmd(Images.JINIT).withCmd(cmd).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS);
            LogLines out = new LogLines();
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame f) {
                        out.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, f.getPayload()));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
            out.accept(OutputFrame.END);
            return new Ran(status, out);
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    void theEntrypointIsJinitAndTheExitStatusIsTheChilds() throws Exception {
        Ran r = run("/bin/sh", "-c", "echo \"child pid $$ of $PPID\"; exit 3");
        assertEquals(3, r.status, r.out.toString());
        assertTrue(r.out.lines().stream().anyMatch(l -> l.startsWith("child pid ") && l.endsWith(" of 1")),
            "the child's parent is PID 1, jinit:\n" + r.out);
    }

    /**
     * The image carries jinit's license (printed by jinit -l, and in legal/jinit), the notices of
     * what it bundles and the JDK's own; it carries neither jnr (the FFM backend needs none) nor
     * the JDK's keytool.
     */
    @Test
    void theImageShipsItsLicensesAndNoJnrNorKeytool() throws Exception {
        Ran r = run("/bin/sh", "-c", "/opt/jinit/bin/jinit -V; ls /opt/jinit/bin /opt/jinit/lib/jinit /opt/jinit/legal/jinit;"
            + " test -f /opt/jinit/legal/java.base/LICENSE && echo jdk-legal; /opt/jinit/bin/jinit -l");
        assertEquals(0, r.status, r.out.toString());
        List<String> lines = r.out.lines();
        assertTrue(lines.get(0).contains("(ffm backend, Java 25"), r.out.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("jnr-") || l.startsWith("jffi") || l.startsWith("asm") || l.equals("keytool")),
            "no jnr, asm or keytool:\n" + r.out);
        assertTrue(lines.containsAll(List.of("jinit.jar", "LICENSE", "slf4j.md", "jdk-legal")), r.out.toString());
        String license = String.join("\n", Files.readAllLines(Images.REPOSITORY.resolve("LICENSE")));
        assertTrue(String.join("\n", lines).endsWith(license), "jinit -l prints LICENSE:\n" + r.out);
    }

    @Test
    void dockerStopStopsTheChildThroughJinit() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(Images.JINIT, logs)
                .withCommand("/bin/sh", "-c", "trap 'echo TERM; exit 5' TERM; echo ready; while :; do sleep 1 & wait $!; done")) {
            c.start();
            logs.awaitAll(Duration.ofSeconds(60), "ready");
            Container.ExecResult aot = c.execInContainer("sh", "-c", "ls /opt/jinit/lib/jinit/cds/*.aot");
            assertEquals(0, aot.getExitCode(), "the runtime carries its AOT cache: " + aot);

            Duration took = dockerStop(c, 30);

            assertEquals(5, exitCode(c), c.getLogs());
            assertTrue(c.getLogs().contains("TERM\n"), c.getLogs());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "docker stop took " + seconds(took));
        }
    }
}
