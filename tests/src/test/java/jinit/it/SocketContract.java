package jinit.it;

import jinit.ExitStatus;
import jinit.sys.Native;
import jinit.sys.SpawnRequest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static jinit.it.NativeContract.b;
import static jinit.it.NativeContract.reap;
import static jinit.it.NativeContract.statusField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Unix-domain socket calls of {@link Native} that the control and notify sockets use, as
 * plain checks run in every form (see {@link NativeContract}). The datagrams come from python3,
 * spawned and reaped through the backend itself.
 */
final class SocketContract {
    private SocketContract() {}

    private static final int EPIPE = 32;

    static List<NativeContract.Check> checks() {
        List<NativeContract.Check> c = new ArrayList<>();
        c.add(new NativeContract.Check("streamSocketsAcceptTellThePeerAndCarryBytes", SocketContract::streamSockets));
        c.add(new NativeContract.Check("datagramsCarryTheirSendersCredentialsAndPassedDescriptorsAreClosed", SocketContract::datagrams));
        c.add(new NativeContract.Check("pollWaitsForItsTimeout", SocketContract::pollWaitsForItsTimeout));
        return c;
    }

    static void streamSockets(Native sys, File dir) throws Exception {
        File path = new File(dir, "s.sock");
        int listener = sys.unixSocket(Native.SOCK_STREAM);
        assertTrue(listener > 2, "socket: " + listener);
        int old = sys.umask(0177);
        assertEquals(0, sys.bind(listener, b(path.getPath())));
        assertEquals(0177, sys.umask(old));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.toPath(), LinkOption.NOFOLLOW_LINKS)));
        int other = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(-Native.EADDRINUSE, sys.bind(other, b(path.getPath())));
        assertEquals(0, sys.close(other));
        assertEquals(0, sys.listen(listener, 16));
        assertEquals(-Native.EAGAIN, sys.accept(listener), "non-blocking: nothing to accept yet");
        assertEquals(0, poll(sys, listener, Native.POLLIN, 0), "nothing pending");

        int client = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(0, sys.connect(client, b(path.getPath())));
        assertEquals(Native.POLLIN, poll(sys, listener, Native.POLLIN, 1000));
        int server = sys.accept(listener);
        assertTrue(server > 2, "accept: " + server);
        int[] cred = new int[3];
        assertEquals(0, sys.peerCredentials(server, cred));
        assertEquals(sys.getpid(), cred[0]);
        assertEquals(uid(), cred[1]);
        assertEquals(Long.parseLong(statusField("/proc/self/status", "Gid:").split("\\s+")[0]), cred[2]);

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
        assertEquals(-NativeContract.EBADF, sys.close(server));

        // a socket file whose listener is gone refuses connections: how jinit tells a stale one
        assertEquals(0, sys.close(listener));
        int probe = sys.unixSocket(Native.SOCK_STREAM);
        assertEquals(-Native.ECONNREFUSED, sys.connect(probe, b(path.getPath())));
        sys.close(probe);
    }

    static void datagrams(Native sys, File dir) throws Exception {
        File path = new File(dir, "n.sock");
        int fd = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(fd, b(path.getPath())));
        assertEquals(0, sys.passCredentials(fd));
        byte[] buffer = new byte[4097];
        int[] cred = new int[3];
        assertEquals(-Native.EAGAIN, sys.receive(fd, buffer, cred));

        int sender = startSender(sys, path, "plain", 7);
        assertEquals(0, ExitStatus.of(reap(sys, sender)), "the sender sent");
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(7, sys.receive(fd, buffer, cred));
        assertEquals("READY=1", new String(buffer, 0, 7, StandardCharsets.US_ASCII));
        assertEquals(sender, cred[0], "SCM_CREDENTIALS: the sender's pid");
        assertEquals(uid(), cred[1]);

        assertEquals(0, ExitStatus.of(reap(sys, startSender(sys, path, "plain", 5000))));
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(5000, sys.receive(fd, buffer, cred), "a datagram larger than the buffer reports its full length");

        // BARRIER=1 as sd_notify_barrier sends it: the sender waits until the receiver closes the
        // descriptor it passed along (the python sender exits 0 only when that happened)
        int barrier = startSender(sys, path, "barrier", 9);
        assertEquals(Native.POLLIN, poll(sys, fd, Native.POLLIN, 5000));
        assertEquals(9, sys.receive(fd, buffer, cred));
        assertEquals("BARRIER=1", new String(buffer, 0, 9, StandardCharsets.US_ASCII));
        assertEquals(0, ExitStatus.of(reap(sys, barrier)), "the sender saw its descriptor closed (it was not kept open here)");
        assertEquals(-Native.EAGAIN, sys.receive(fd, buffer, cred));
        assertEquals(0, sys.close(fd));

        // without SO_PASSCRED a datagram has no credentials
        File bare = new File(dir, "bare.sock");
        int plain = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(plain, b(bare.getPath())));
        assertEquals(0, ExitStatus.of(reap(sys, startSender(sys, bare, "plain", 3))));
        assertEquals(Native.POLLIN, poll(sys, plain, Native.POLLIN, 5000));
        assertEquals(3, sys.receive(plain, buffer, cred));
        assertArrayEquals(new int[] {-1, -1, -1}, cred);
        sys.close(plain);
    }

    static void pollWaitsForItsTimeout(Native sys, File dir) {
        int fd = sys.unixSocket(Native.SOCK_DGRAM);
        assertEquals(0, sys.bind(fd, b(new File(dir, "p.sock").getPath())));
        long t0 = System.nanoTime();
        assertEquals(0, sys.poll(new int[] {fd}, new short[] {Native.POLLIN}, new short[1], 1, 150));
        assertTrue(System.nanoTime() - t0 >= 100_000_000L, "poll returned before its timeout");
        sys.close(fd);
    }

    private static int poll(Native sys, int fd, short events, int timeout) {
        short[] revents = new short[1];
        int n = sys.poll(new int[] {fd}, new short[] {events}, revents, 1, timeout);
        return n <= 0 ? n : revents[0];
    }

    private static long uid() throws IOException {
        return Long.parseLong(statusField("/proc/self/status", "Uid:").split("\\s+")[0]);
    }

    /** python3 sending one datagram: "plain" sends READY=1 padded to {@code size}, "barrier" BARRIER=1 with a descriptor. */
    private static int startSender(Native sys, File path, String kind, int size) {
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
        byte[][] argv = {b("python3"), b("-c"), b(script), b(path.getPath()), b(kind), b(Integer.toString(size))};
        int pid = sys.spawn(new SpawnRequest(argv[0], argv, new byte[][] {b("PATH=/usr/bin:/bin")}, 0, jinit.Signals.ALL,
            false, -1, new int[0]));
        assertTrue(pid > 0, "spawn of python3: " + pid);
        return pid;
    }
}
