package jinit.it;

import jinit.sys.Native;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Unix-domain socket calls of {@link Native} that the control and notify sockets use,
 * checked on the backend this JVM gets (jnr on JDK 17-21, FFM on 22+) and, on JDK 22+, on jnr
 * as well (-Djinit.native=jnr).
 */
class SocketNativeTest {
    private static final int EPIPE = 32;

    static Stream<String> backends() {
        return NativeBackends.names();
    }

    private static byte[] b(Object s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long procStatus(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
        throw new AssertionError(field);
    }

    private static int poll(Native sys, int fd, short events, int timeout) {
        short[] revents = new short[1];
        int n = sys.poll(new int[] {fd}, new short[] {events}, revents, 1, timeout);
        return n <= 0 ? n : revents[0];
    }

    @ParameterizedTest
    @MethodSource("backends")
    void streamSocketsAcceptTellThePeerAndCarryBytes(String which, @TempDir Path dir) throws Exception {
        Native sys = NativeBackends.get(which);
        Path path = dir.resolve("s.sock");
        int listener = sys.unixSocket(Native.SOCK_STREAM);
        assertTrue(listener > 2, "socket: " + listener);
        int old = sys.umask(0177);
        assertEquals(0, sys.bind(listener, b(path)));
        assertEquals(0177, sys.umask(old));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
        int other = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(-Native.EADDRINUSE, sys.bind(other, b(path)));
        assertEquals(0, sys.close(other));
        assertEquals(0, sys.listen(listener, 16));
        assertEquals(-Native.EAGAIN, sys.accept(listener), "non-blocking: nothing to accept yet");
        assertEquals(0, poll(sys, listener, Native.POLLIN, 0), "nothing pending");

        int client = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(0, sys.connect(client, b(path)));
        assertEquals(Native.POLLIN, poll(sys, listener, Native.POLLIN, 1000));
        int server = sys.accept(listener);
        assertTrue(server > 2, "accept: " + server);
        int[] cred = new int[3];
        assertEquals(0, sys.peerCredentials(server, cred));
        assertEquals(ProcessHandle.current().pid(), cred[0]);
        assertEquals(procStatus("Uid:"), cred[1]);
        assertEquals(procStatus("Gid:"), cred[2]);

        byte[] hello = b("hello, jinit\n");
        assertEquals(hello.length - 2, sys.send(client, hello, 2, hello.length - 2), "send from an offset");
        assertEquals(Native.POLLIN, poll(sys, server, Native.POLLIN, 1000));
        byte[] got = new byte[100];
        int n = sys.read(server, got, got.length);
        assertEquals("llo, jinit\n", new String(got, 0, n, StandardCharsets.UTF_8));
        assertEquals(-Native.EAGAIN, sys.read(server, got, got.length), "non-blocking: nothing more");

        assertEquals(0, sys.close(client));
        assertEquals(0, sys.read(server, got, got.length), "end of file once the peer closed");
        assertEquals(-EPIPE, sys.send(server, hello, 0, hello.length), "EPIPE, and no SIGPIPE (MSG_NOSIGNAL)");
        assertEquals(0, sys.close(server));
        assertEquals(-9 /* EBADF */, sys.close(server));

        // a socket file whose listener is gone refuses connections: how jinit tells a stale one
        assertEquals(0, sys.close(listener));
        int probe = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(-Native.ECONNREFUSED, sys.connect(probe, b(path)));
        sys.close(probe);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void datagramsCarryTheirSendersCredentialsAndPassedDescriptorsAreClosed(String which, @TempDir Path dir) throws Exception {
        Native sys = NativeBackends.get(which);
        Path path = dir.resolve("n.sock");
        int fd = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(fd, b(path)));
        assertEquals(0, sys.passCredentials(fd));
        byte[] buffer = new byte[4097];
        int[] cred = new int[3];
        assertEquals(-Native.EAGAIN, sys.receive(fd, buffer, cred));

        long sender = sendDatagram(path, "plain", 7);
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(7, sys.receive(fd, buffer, cred));
        assertEquals("READY=1", new String(buffer, 0, 7, StandardCharsets.US_ASCII));
        assertEquals(sender, cred[0], "SCM_CREDENTIALS: the sender's pid");
        assertEquals(procStatus("Uid:"), cred[1]);

        sendDatagram(path, "plain", 5000);
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(5000, sys.receive(fd, buffer, cred), "a datagram larger than the buffer reports its full length");

        // BARRIER=1 as sd_notify_barrier sends it: the sender waits until the receiver closes the
        // descriptor it passed along (the python sender exits 0 only when that happened)
        Process p = startSender(path, "barrier", 9);
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(9, sys.receive(fd, buffer, cred));
        assertEquals("BARRIER=1", new String(buffer, 0, 9, StandardCharsets.US_ASCII));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the sender saw its descriptor closed (it was not kept open here)");
        assertEquals(0, p.exitValue());
        assertEquals(-Native.EAGAIN, sys.receive(fd, buffer, cred));
        assertEquals(0, sys.close(fd));

        // without SO_PASSCRED a datagram has no credentials
        Path bare = dir.resolve("bare.sock");
        int plain = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(plain, b(bare)));
        sendDatagram(bare, "plain", 3);
        assertEquals(Native.POLLIN, poll(sys, plain, Native.POLLIN, 5000));
        assertEquals(3, sys.receive(plain, buffer, cred));
        assertArrayEquals(new int[] {-1, -1, -1}, cred);
        sys.close(plain);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pollWaitsForItsTimeout(String which, @TempDir Path dir) {
        Native sys = NativeBackends.get(which);
        int fd = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(fd, b(dir.resolve("p.sock"))));
        long t0 = System.nanoTime();
        assertEquals(0, sys.poll(new int[] {fd}, new short[] {Native.POLLIN}, new short[1], 1, 150));
        assertTrue(System.nanoTime() - t0 >= 100_000_000L, "poll returned before its timeout");
        sys.close(fd);
    }

    /** Sends one datagram from python3: "plain" sends READY=1 padded to {@code size}, "barrier" BARRIER=1 with a descriptor. */
    private static long sendDatagram(Path path, String kind, int size) throws Exception {
        Process p = startSender(path, kind, size);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return p.pid();
    }

    private static Process startSender(Path path, String kind, int size) throws Exception {
        String script = String.join("\n",
            "import array, os, socket, sys",
            "path, kind, size = sys.argv[1], sys.argv[2], int(sys.argv[3])",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "if kind == 'plain':",
            "    s.sendto((b'READY=1' + b'x' * size)[:size], path)",
            "else:",
            "    r, w = os.pipe()",
            "    s.sendmsg([b'BARRIER=1'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [w]))], 0, path)",
            "    os.close(w)",
            "    assert os.read(r, 1) == b''",
            "");
        return new ProcessBuilder("python3", "-c", script, path.toString(), kind, Integer.toString(size))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    }
}
