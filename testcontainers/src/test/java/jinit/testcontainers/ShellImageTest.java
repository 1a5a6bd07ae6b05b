package jinit.testcontainers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image with a shell, whose ENTRYPOINT is a sh script and whose CMD its argument: jinit runs
 * what Docker would have run, by the same rules (the image's entry point and command; a command
 * set on the container replaces the image's; an entry point set on the container replaces both).
 */
class ShellImageTest {
    private static final Jinit JINIT = Jinit.defaults();
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        TestImages.requireDocker();
        image = TestImages.shell();
    }

    @Test
    void theImagesEntrypointAndCmdRunUnderJinit() throws Exception {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 2))) {
            c.start();
            var config = c.getDockerClient().inspectContainerCmd(c.getContainerId()).exec().getConfig();
            assertEquals(JINIT.commandLine(), List.of(config.getEntrypoint()), "jinit is the entry point");
            assertEquals(List.of("/bin/sh", "/app/service.sh", "from-the-image"), List.of(config.getCmd()), "the image's program is jinit's");
            JinitStatus status = JINIT.status(c);
            assertEquals("/bin/sh /app/service.sh from-the-image", status.process(status.mainPid()).command(), status.toString());
            assertTrue(TestImages.stdout(c).contains("args: from-the-image"), c.getLogs());
            var files = c.execInContainer("stat", "-c", "%a %u %n", "/.jinit", "/.jinit/jinit", "/.jinit/control.sock");
            assertEquals("1777 0 /.jinit\n755 0 /.jinit/jinit\n600 0 /.jinit/control.sock\n", files.getStdout(),
                "jinit's directory is world-writable and sticky (as /tmp), its socket jinit's only: " + files);

            JinitStop stop = JINIT.stop(c);
            System.out.println("[shell image] " + stop);
            List<String> out = TestImages.stdout(c);
            assertEquals(0, stop.exitCode(), "the script's exit status; output:\n" + out);
            assertTrue(out.contains("worker: TERM, cleaning up") && out.contains("main: exiting 0"), out.toString());
            stop.assertNothingLeft();
        }
    }

    @Test
    void aCommandSetOnTheContainerReplacesTheImagesCmd() {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 2).withCommand("from-the-test"))) {
            c.start();
            JinitStatus status = JINIT.status(c);
            assertEquals("/bin/sh /app/service.sh from-the-test", status.process(status.mainPid()).command(), status.toString());
            assertTrue(TestImages.stdout(c).contains("args: from-the-test"), c.getLogs());
        }
    }

    @Test
    void dockersOwnInitIsRefusedInOneLine() {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 2)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withInit(true)))) {
            Throwable e = assertThrows(RuntimeException.class, c::start);
            while (e.getCause() != null && !(e instanceof IllegalStateException)) e = e.getCause();
            assertEquals("the container asks for Docker's init (HostConfig.init, docker run --init), which would be PID 1 in front of jinit: leave it out",
                e.getMessage());
        }
    }

    @Test
    void anEntrypointSetOnTheContainerReplacesTheImagesEntrypointAndCmd() {
        try (GenericContainer<?> c = JINIT.applyTo(TestImages.container(image, 1)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh", "-c", "echo \"ready main \\$0=$0\"; exec sleep 600")))) {
            c.start();
            // with the image's CMD still there, sh -c would have taken it as $0
            assertTrue(TestImages.stdout(c).contains("ready main $0=/bin/sh"), "the image's CMD is dropped, as Docker does: " + c.getLogs());
            JinitStatus status = JINIT.status(c);
            assertEquals("sleep 600", status.process(status.mainPid()).command(), status.toString());
        }
    }
}
