package jinit.testcontainers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.images.builder.Transferable;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java service with a shutdown hook (app/ShutdownHookApp), in an image with a JVM:
 * {@link Jinit#stop} runs the hook (SIGTERM, then the JVM exits 143, remapped to 0 with -e 143);
 * {@link GenericContainer#stop()} never does (SIGKILL). Both times are printed.
 */
class GracefulStopTest {
    private static final Jinit JINIT = Jinit.defaults().withRemapExit(143);
    private static final String APP = "jinit/testcontainers/app/ShutdownHookApp.class";

    @BeforeAll
    static void images() throws Exception {
        TestImages.requireDocker();
        TestImages.baseImages();
    }

    /** The app's class copied into the JRE image and run by java, under jinit. */
    private static GenericContainer<?> app() throws IOException {
        byte[] bytes;
        try (InputStream in = GracefulStopTest.class.getClassLoader().getResourceAsStream(APP)) {
            bytes = in.readAllBytes();
        }
        return JINIT.applyTo(TestImages.container(TestImages.JRE, 1)
            .withCopyToContainer(Transferable.of(bytes), "/app/" + APP)
            .withCommand("java", "-cp", "/app", "jinit.testcontainers.app.ShutdownHookApp"));
    }

    @Test
    void jinitsStopRunsTheShutdownHook() throws Exception {
        try (GenericContainer<?> c = app()) {
            c.start();
            JinitStop stop = JINIT.stop(c);
            System.out.println("[java app, Jinit.stop] " + stop);
            List<String> out = TestImages.stdout(c);
            assertTrue(out.contains("shutdown hook: flushing") && out.contains("shutdown hook: done"), "the hook ran to its end: " + out);
            assertEquals(0, stop.exitCode(), "the JVM's 143 after SIGTERM, remapped by -e 143");
            stop.assertNothingLeft();
            assertTrue(stop.duration().compareTo(Duration.ofSeconds(5)) < 0, "the stop took " + stop.duration().toMillis() + " ms");
        }
    }

    @Test
    void genericContainerStopSigkillsAndTheHookNeverRuns() throws Exception {
        List<String> out = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (GenericContainer<?> c = app()) {
            c.withLogConsumer(f -> {
                synchronized (out) {
                    if (f.getType() == OutputFrame.OutputType.END) ended.countDown();
                    else out.add(f.getUtf8String().strip());
                }
            });
            c.start();
            long t0 = System.nanoTime();
            c.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("[java app, GenericContainer.stop] %.2f s (SIGKILL, then the container is removed)%n", took.toNanos() / 1e9);
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the log stream ended");
            synchronized (out) {
                assertTrue(out.stream().anyMatch(l -> l.startsWith("ready pid=")), out.toString());
                assertFalse(out.stream().anyMatch(l -> l.startsWith("shutdown hook")), "SIGKILL: no hook runs: " + out);
            }
        }
    }
}
