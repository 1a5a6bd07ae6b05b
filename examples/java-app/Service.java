import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Java service: an HTTP server on port 8080 and a shutdown hook that drains it.
 * On SIGTERM the JVM runs the hook and then exits with 143 (128 + SIGTERM): a clean stop that
 * looks like a failure to anything that reads exit codes, unless jinit maps it (-e 143).
 * DRAIN_MS (default 1500) is how long the hook's "flush and close" takes.
 */
public class Service {
    public static void main(String[] args) throws IOException {
        long drainMs = Long.parseLong(System.getenv().getOrDefault("DRAIN_MS", "1500"));
        HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
        server.createContext("/", exchange -> {
            byte[] body = "hello from the service\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("shutdown hook: stopping the server, draining for " + drainMs + " ms");
            server.stop(0);
            try {
                Thread.sleep(drainMs); // stands for flushing buffers, closing pools, deregistering
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            say("shutdown hook: done");
        }));
        server.start();
        say("service listening on 8080 (pid " + ProcessHandle.current().pid() + ")");
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
