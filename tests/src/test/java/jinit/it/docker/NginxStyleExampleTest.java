package jinit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static jinit.it.docker.Containers.dockerStop;
import static jinit.it.docker.Containers.exitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/nginx-style as its README says: a request is in flight when `docker stop` sends
 * SIGTERM. With the image's ENTRYPOINT (jinit -r TERM:QUIT) the server gets SIGQUIT, finishes
 * the request and exits 0; without the rewrite it gets SIGTERM and drops the request.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class NginxStyleExampleTest {
    private static final String SLOW = "/slow?seconds=2";
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.example("nginx-style", "PYTHON_IMAGE", Images.PYTHON);
    }

    @Test
    void termRewrittenToQuitFinishesTheRequestInFlight() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = server(logs)) {
            c.start();
            CompletableFuture<HttpResponse<String>> response = request(c, logs);

            dockerStop(c, 40);

            HttpResponse<String> r = response.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("done " + SLOW + "\n", r.body());
            String out = c.getLogs();
            assertEquals(0, exitCode(c), out);
            assertTrue(out.contains("SIGQUIT: graceful shutdown, finishing 1 request(s) in flight\n"), out);
            assertTrue(out.contains("graceful shutdown complete\n"), out);
        }
    }

    @Test
    void withoutTheRewriteSigtermDropsTheRequestInFlight() throws Exception {
        LogLines logs = new LogLines();
        try (GenericContainer<?> c = server(logs)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(Containers.JINIT, "-t", "30s", "--"))
                .withCommand("python3", "/app/server.py")) {
            c.start();
            CompletableFuture<HttpResponse<String>> response = request(c, logs);

            dockerStop(c, 40);

            ExecutionException e = assertThrows(ExecutionException.class, () -> response.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause(), "the connection was dropped");
            String out = c.getLogs();
            assertTrue(out.contains("SIGTERM: fast shutdown, dropping 1 request(s) in flight\n"), out);
        }
    }

    private static GenericContainer<?> server(LogLines logs) {
        return Containers.container(image, logs).withExposedPorts(8080)
            .waitingFor(Wait.forLogMessage("listening on 8080.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** GET /slow?seconds=2 from the host, once the server says it is being handled. */
    private static CompletableFuture<HttpResponse<String>> request(GenericContainer<?> c, LogLines logs) throws InterruptedException {
        URI uri = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(8080) + SLOW);
        CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
            .sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        logs.awaitAll(Duration.ofSeconds(30), "request " + SLOW + " started");
        return response;
    }
}
