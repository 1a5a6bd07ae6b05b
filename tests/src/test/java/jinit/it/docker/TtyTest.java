package jinit.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `docker run -t -i`: the container gets a terminal, jinit (PID 1) must make its child the
 * terminal's foreground process group, so that Ctrl-C typed into the terminal (the byte 0x03,
 * turned into SIGINT by the terminal's line discipline) reaches the child, which dies of it:
 * jinit exits 128+2. Driven through the Docker API's attach with stdin, as the CLI does.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class TtyTest {
    private static final Pattern TTY_LINE = Pattern.compile("tty pid=(\\d+) pgrp=(\\d+) sid=(\\d+) tpgid=(-?\\d+)");
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.test();
    }

    @Test
    void ctrlCOnTheTerminalStopsTheForegroundChildWith130() throws Exception {
        DockerClient docker = Containers.client();
        String id = docker.createContainerCmd(image).withCmd("/it/tty.sh")
            .withTty(true).withStdinOpen(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
            .exec().getId();
        LogLines out = new LogLines();
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        try (ResultCallback.Adapter<Frame> attached = docker.attachContainerCmd(id)
                .withStdIn(stdin).withStdOut(true).withStdErr(true).withFollowStream(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, frame.getPayload()));
                    }
                })) {
            attached.awaitStarted(30, TimeUnit.SECONDS);
            docker.startContainerCmd(id).exec();
            out.await("the child's tty line", Duration.ofSeconds(60), ls -> ls.stream().anyMatch(l -> TTY_LINE.matcher(l).find()));
            String line = out.lines().stream().filter(l -> TTY_LINE.matcher(l).find()).findFirst().orElseThrow();
            Matcher m = TTY_LINE.matcher(line);
            assertTrue(m.find());
            assertEquals(m.group(2), m.group(4), "the child's process group is the terminal's foreground group: " + line);
            assertNotEquals("1", m.group(2), "the child has a process group of its own, not jinit's: " + line);
            assertEquals("1", m.group(3), "the child stays in jinit's session, the terminal's: " + line);

            keyboard.write(0x03); // Ctrl-C
            keyboard.flush();

            int status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
            assertEquals(128 + 2, status, "the child died of SIGINT from the terminal; output:\n" + out);
        } finally {
            keyboard.close();
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
