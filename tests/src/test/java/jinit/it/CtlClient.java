package jinit.it;

import jinit.control.Json;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Talks to a running jinit's control socket: through the real client ({@code jinit ctl}, the
 * launcher), or with raw bytes over a Unix socket of the test JVM's own.
 */
final class CtlClient {
    private CtlClient() {}

    /** What a {@code jinit ctl} run printed and returned. */
    static final class Result {
        final int code;
        final String out, err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** {@code jinit ctl --socket SOCKET ARGS...} (no --socket when {@code socket} is null). */
    static Result ctl(Path socket, String... args) throws IOException, InterruptedException {
        return ctlWith(List.of(), JinitProcess.LAUNCHER, socket, args);
    }

    /** The same, run through {@code prefix} (e.g. setpriv as another user) with this launcher. */
    static Result ctlWith(List<String> prefix, Path launcher, Path socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(launcher.toString());
        cmd.add("ctl");
        if (socket != null) cmd.addAll(List.of("--socket", socket.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File("/"));
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.environment().remove("JINIT_CONTROL_SOCKET");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> copy(p.getErrorStream(), err));
        t.start();
        copy(p.getInputStream(), out);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("jinit ctl " + String.join(" ", args) + " did not end within 30 s");
        }
        t.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(java.io.InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended
        }
    }

    /** {@code jinit ctl --json ...}: the answer, checked to be one JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path socket, String... args) throws IOException, InterruptedException {
        String[] all = Stream.concat(Stream.of("--json"), Arrays.stream(args)).toArray(String[]::new);
        Result r = ctl(socket, all);
        assertTrue(r.out.endsWith("\n") && r.out.indexOf('\n') == r.out.length() - 1, "one line of JSON: " + r);
        return (Map<String, Object>) Json.parse(r.out);
    }

    /** Sends {@code request} as it is and reads jinit's answer up to its newline or end. */
    static String raw(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(request);
            try {
                while (b.hasRemaining()) ch.write(b);
            } catch (IOException e) {
                // jinit answered and closed before taking everything: read the answer
            }
            return readAnswer(ch);
        }
    }

    static String readAnswer(SocketChannel ch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        for (;;) {
            int n;
            try {
                n = ch.read(buf);
            } catch (IOException e) {
                break; // closed with unread bytes of ours: what came before is the answer
            }
            if (n < 0) break;
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
            if (out.size() > 0 && out.toByteArray()[out.size() - 1] == '\n') break;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> rawJson(Path socket, String line) throws IOException {
        return (Map<String, Object>) Json.parse(raw(socket, (line + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    /** Waits until jinit answers on the socket. */
    static void awaitSocket(Path socket, JinitProcess j) {
        JinitProcess.waitUntil(Duration.ofSeconds(20), () -> {
            if (!j.process.isAlive()) fail("jinit exited before its control socket answered: " + j.stderrText());
            try {
                return Files.exists(socket) && raw(socket, "ready\n".getBytes(StandardCharsets.US_ASCII)).startsWith("{");
            } catch (IOException e) {
                return false;
            }
        }, "the control socket " + socket);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    // ---- another user

    static final int NOBODY = 65534;

    /** Runs a command as nobody (uid/gid 65534, no groups): needs root, which CI has. */
    static List<String> asNobody() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("JINIT_REQUIRE_ROOT"))) assertTrue(root, "JINIT_REQUIRE_ROOT=true but not root");
        assumeTrue(root, "running a client as another user needs root (skipped: not root)");
        assumeTrue(new File("/usr/bin/setpriv").canExecute(), "needs /usr/bin/setpriv (util-linux)");
        return List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
    }

    /**
     * A copy of the launcher and its jars that nobody can read and run, wherever the build is
     * (a checkout under /root is not): dir/jinit and dir/lib.
     */
    static Path launcherForEveryone(Path dir) throws IOException {
        Path home = Files.createDirectories(dir);
        Path lib = Files.createDirectories(home.resolve("lib"));
        Path built = JinitProcess.LAUNCHER.getParent().resolve("lib");
        try (Stream<Path> files = Files.list(built)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) Files.copy(f, lib.resolve(f.getFileName()));
            }
        }
        Path launcher = Files.copy(JinitProcess.LAUNCHER, home.resolve("jinit"));
        for (Path p : List.of(home, lib)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(lib)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return launcher;
    }

    /** Makes every directory from {@code dir} up to / searchable by everyone (a @TempDir is 0700). */
    static void openUp(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
            if (p.equals(Path.of("/tmp"))) break;
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
