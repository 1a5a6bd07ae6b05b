package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static jinit.it.CtlClient.ctl;
import static jinit.it.CtlClient.json;
import static jinit.it.CtlClient.map;
import static jinit.it.CtlClient.num;
import static jinit.it.CtlClient.raw;
import static jinit.it.CtlClient.rawJson;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control socket and {@code jinit ctl} (issue 5): every command and every refusal, against
 * the real launcher as PID 1 and as a subreaper.
 */
class ControlSocketTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;

    private Path socket() {
        return dir.resolve("ctl.sock");
    }

    private JinitProcess start(JinitProcess.Mode mode, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--control-socket", socket().toString()));
        all.addAll(List.of(args));
        JinitProcess j = JinitProcess.start(mode, dir, all.toArray(new String[0]));
        CtlClient.awaitSocket(socket(), j);
        return j;
    }

    /** A child that leaves an orphan (reaped by jinit), keeps a grandchild, and waits. */
    private static final String[] FAMILY = {"--", "sh", "-c",
        "sh -c 'sleep 0.1 &' ; sleep 1000 & echo $! > \"$T/grandchild\"; : > \"$T/ready\"; wait"};

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void statusShowsJinitTheChildCountersAndTheProcessTree(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = start(mode, FAMILY)) {
            waitForFile(dir.resolve("ready"));
            int grandchild = Integer.parseInt(read(dir.resolve("grandchild")).trim());
            j.signal("WINCH"); // relayed: counted
            waitUntil(T, () -> {
                try {
                    Map<String, Object> c = map(json(socket(), "status").get("counters"));
                    return num(c.get("orphans_reaped")) >= 1 && map(c.get("signals_relayed")).containsKey("WINCH");
                } catch (Exception e) {
                    return false;
                }
            }, "the orphan reaped and WINCH relayed");
            Map<String, Object> s = json(socket(), "status");
            assertEquals(true, s.get("ok"));
            Map<String, Object> jinit = map(s.get("jinit"));
            assertEquals(mode == JinitProcess.Mode.PID1 ? 1L : (long) j.pid(), num(jinit.get("pid")));
            assertEquals(mode == JinitProcess.Mode.PID1 ? "pid1" : "subreaper", jinit.get("mode"));
            assertEquals(Runtime.version().feature() >= 22 ? "ffm" : "jnr", jinit.get("backend"));
            assertTrue(num(jinit.get("uptime_ms")) > 0);

            Map<String, Object> child = map(s.get("child"));
            assertEquals("running", child.get("state"));
            assertEquals(List.of("sh", "-c", FAMILY[3]), child.get("command"));
            assertEquals(true, s.get("ready"));
            assertEquals(false, s.get("stopping"));
            assertEquals(1L, num(map(map(s.get("counters")).get("signals_relayed")).get("WINCH")));

            // the tree, checked against /proc as seen from here (pids of the namespace in PID 1 mode)
            List<Object> procs = (List<Object>) s.get("processes");
            JinitProcess.Proc realChild = null;
            for (JinitProcess.Proc p : JinitProcess.Proc.all()) if (p.ppid == j.pid()) realChild = p;
            assertTrue(realChild != null);
            long childPid = num(child.get("pid"));
            Map<String, Object> first = map(procs.get(0));
            assertEquals(childPid, num(first.get("pid")));
            assertEquals(num(jinit.get("pid")), num(first.get("ppid")));
            assertEquals(childPid, num(first.get("pgid")));
            assertEquals("sh -c " + FAMILY[3], first.get("command"));
            boolean sawSleep = false;
            for (Object o : procs) {
                Map<String, Object> p = map(o);
                if ("sleep 1000".equals(p.get("command"))) {
                    sawSleep = true;
                    assertEquals(childPid, num(p.get("ppid")));
                    assertEquals(childPid, num(p.get("pgid")));
                    assertEquals(num(first.get("sid")), num(p.get("sid")));
                    if (mode == JinitProcess.Mode.SUBREAPER) assertEquals(grandchild, num(p.get("pid")));
                }
            }
            assertTrue(sawSleep, "the grandchild is in the tree: " + procs);

            // the readable form says the same
            CtlClient.Result r = ctl(socket(), "status");
            assertEquals(0, r.code, r.toString());
            assertTrue(r.out.contains("(" + (mode == JinitProcess.Mode.PID1 ? "PID 1" : "subreaper") + ", "), r.out);
            assertTrue(r.out.contains("main child: pid " + childPid + ", running since "), r.out);
            assertTrue(r.out.contains("signals relayed: WINCH 1"), r.out);
            assertTrue(r.out.contains("sleep 1000"), r.out);
            assertEquals("", r.err);
        }
    }

    @Test
    void readyFollowsTheChildWithoutNotify() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "-t", "3s", "--", "sh", "-c", "trap '' TERM; : > \"$T/ready\"; while :; do sleep 0.1; done")) {
            waitForFile(dir.resolve("ready"));
            CtlClient.Result r = ctl(socket(), "ready");
            assertEquals(0, r.code, r.toString());
            assertEquals("ready\n", r.out);
            ctl(socket(), "stop");
            r = ctl(socket(), "ready");
            assertEquals(1, r.code, r.toString());
            assertEquals("not ready (stopping)\n", r.out);
            assertEquals(false, json(socket(), "ready").get("ready"));
            assertEquals(137, j.waitFor(T));
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void signalGoesToTheChildsGroupAndWithAllToEveryProcess(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "trap.py");
        Programs.install(dir, "worker.py");
        Programs.install(dir, "trap-and-escaped-worker.py");
        try (JinitProcess j = start(mode, "--", "python3", dir.resolve("trap-and-escaped-worker.py").toString())) {
            waitForFile(dir.resolve("ready"));
            waitForFile(dir.resolve("worker-ready"));
            CtlClient.Result r = ctl(socket(), "signal", "USR1");
            assertEquals(0, r.code, r.toString());
            assertTrue(r.out.startsWith("sent USR1 to the process group of the main child "), r.out);
            waitUntil(T, () -> read(dir.resolve("got")).contains("10\n"), "USR1 at the main child");
            Map<String, Object> answer = json(socket(), "signal", "SIGRTMIN+1");
            assertEquals("RTMIN+1", answer.get("signal"));
            assertEquals("group", answer.get("target"));
            waitUntil(T, () -> read(dir.resolve("got")).contains("35\n"), "RTMIN+1 at the main child");
            assertFalse(Files.exists(dir.resolve("escaped")), "the worker in its own session got nothing");

            r = ctl(socket(), "signal", "TERM", "--all");
            assertEquals(0, r.code, r.toString());
            waitUntil(T, () -> Files.exists(dir.resolve("escaped")), "TERM at the escaped worker");
            assertEquals(0, j.waitFor(T), j.stderrText()); // TERM reached the main child too: it exits 0
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void stopIsTheStopSequenceWithItsOwnGrace(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = start(mode, "-t", "60s", "--", "sh", "-c", "trap 'echo TERM > \"$T/term\"' TERM; : > \"$T/ready\"; while :; do sleep 0.05; done")) {
            waitForFile(dir.resolve("ready"));
            long t0 = System.nanoTime();
            CtlClient.Result r = ctl(socket(), "stop", "--grace", "700ms");
            assertEquals(0, r.code, r.toString());
            assertTrue(r.out.startsWith("stopping: TERM sent to the main child; deadline in "), r.out);
            waitUntil(T, () -> Files.exists(dir.resolve("term")), "TERM relayed to the child");
            Map<String, Object> s = json(socket(), "status");
            assertEquals(true, s.get("stopping"));
            assertTrue(num(s.get("deadline_ms")) <= 700, s.toString());
            assertEquals(false, s.get("ready"));
            assertEquals(137, j.waitFor(T), j.stderrText()); // it ignored TERM: KILLed at the deadline
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 10, "the 700ms grace was used, not the 60 s one: " + seconds + " s");
            assertFalse(Files.exists(socket()), "the socket is removed on exit");
        }
    }

    /** A 1 s grace reads back as 1.0s (durations are rounded, then printed one way), with --json after the command too. */
    @Test
    void stopWithAOneSecondGraceSaysOnePointZeroSecondsAndCtlFlagsGoAfterTheCommand() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "-t", "60s", "--", "sh", "-c", "trap '' TERM; : > \"$T/ready\"; while :; do sleep 0.05; done")) {
            waitForFile(dir.resolve("ready"));
            CtlClient.Result status = ctl(socket(), "status", "--json");
            assertEquals(0, status.code, status.toString());
            assertTrue(status.out.startsWith("{\"ok\":true,") && status.out.indexOf('\n') == status.out.length() - 1, status.toString());
            CtlClient.Result r = ctl(socket(), "stop", "--grace", "1s");
            assertEquals(0, r.code, r.toString());
            assertEquals("stopping: TERM sent to the main child; deadline in 1.0s\n", r.out);
            assertEquals(137, j.waitFor(T), j.stderrText());
        }
    }

    @Test
    void stopAnswersEvenWhenJinitExitsAtOnce() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            CtlClient.Result r = ctl(socket(), "stop");
            assertEquals(0, r.code, r.toString());
            assertEquals(143, j.waitFor(T));
        }
    }

    @Test
    void errorsAreOneLineAndExitTwo() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            String[][] bad = {
                {"bogus"}, {"signal", "NOPE"}, {"signal"}, {"signal", "TERM", "--every"}, {"stop", "--grace", "soon"},
                {"status", "extra"}, {}, {"--frobnicate", "status"},
            };
            for (String[] args : bad) {
                CtlClient.Result r = ctl(socket(), args);
                assertEquals(2, r.code, String.join(" ", args) + ": " + r);
                assertEquals("", r.out, String.join(" ", args) + ": " + r);
                assertTrue(r.err.startsWith("jinit ctl: ") && r.err.indexOf('\n') == r.err.length() - 1,
                    "one line for " + String.join(" ", args) + ": " + r);
            }
            assertTrue(ctl(socket(), "signal", "NOPE").err.contains("unknown signal 'NOPE'"));
            // the same mistakes sent straight to jinit are refused there too
            assertEquals("unknown signal 'NOPE'", rawJson(socket(), "signal NOPE").get("error"));
            assertTrue(rawJson(socket(), "bogus").get("error").toString().startsWith("unknown command 'bogus'"));
            assertTrue(rawJson(socket(), "stop --grace x").get("error").toString().contains("not a duration"));
            assertEquals(false, rawJson(socket(), "status now").get("ok"));

            CtlClient.Result none = ctl(dir.resolve("nothing.sock"), "status");
            assertEquals(2, none.code);
            assertEquals("jinit ctl: cannot connect to " + dir.resolve("nothing.sock") + ": no such socket (is jinit running with --control-socket?)\n", none.err);
            Path plain = Files.writeString(dir.resolve("plain-file"), "not a socket");
            CtlClient.Result notSocket = ctl(plain, "status");
            assertEquals(2, notSocket.code);
            assertEquals("jinit ctl: cannot connect to " + plain + ": not a socket (a regular file)\n", notSocket.err);
            CtlClient.Result noSocket = ctl(null, "status");
            assertEquals(2, noSocket.code);
            assertEquals("jinit ctl: no control socket: give --socket PATH or set JINIT_CONTROL_SOCKET\n", noSocket.err);
            assertTrue(j.process.isAlive());
        }
    }

    @Test
    void theSocketIsPrivateAndGoneAfterExit() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)));
            assertEquals(Files.getOwner(dir), Files.getOwner(socket(), LinkOption.NOFOLLOW_LINKS));
            assertTrue((Boolean) Files.getAttribute(socket(), "isOther", LinkOption.NOFOLLOW_LINKS), "a socket");
            j.signal("TERM");
            assertEquals(143, j.waitFor(T));
            assertFalse(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void aStaleSocketIsReplacedAndAnythingElseIsAnError() throws Exception {
        // a socket file nobody listens on, as a killed jinit leaves it
        JinitProcess.run("python3", "-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])", socket().toString());
        assertTrue(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS));
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            assertEquals(true, json(socket(), "status").get("ok"));
            // a second jinit on the same path must not steal it
            try (JinitProcess k = JinitProcess.start(JinitProcess.Mode.SUBREAPER, Files.createDirectories(dir.resolve("second")),
                    "--control-socket", socket().toString(), "--", "true")) {
                assertEquals(1, k.waitFor(T));
                assertTrue(k.stderrText().contains("a running process listens on it"), k.stderrText());
            }
            assertEquals(true, json(socket(), "status").get("ok"), "the first jinit still serves");
            j.signal("TERM");
            assertEquals(143, j.waitFor(T));
        }
        Path file = dir.resolve("plain");
        Files.writeString(file, "keep me");
        try (JinitProcess k = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, "--control-socket", file.toString(), "--", "true")) {
            assertEquals(1, k.waitFor(T));
            assertEquals("jinit: cannot create the control socket " + file + ": the path exists and is not a socket\n", k.stderrText());
        }
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void theEnvironmentVariableNamesTheSocket() throws Exception {
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of("JINIT_CONTROL_SOCKET", socket().toString()),
                "--", "sh", "-c", "echo \"$JINIT_CONTROL_SOCKET\" > \"$T/seen\"; sleep 1000")) {
            CtlClient.awaitSocket(socket(), j);
            assertEquals(socket() + "\n", read(dir.resolve("seen")), "the child keeps the variable");
            assertEquals(true, json(socket(), "status").get("ok"));
        }
    }

    @Test
    void aProgramNamedCtlStillRuns() throws Exception {
        Path ctl = Programs.write(dir, "ctl", "#!/bin/sh\necho \"program ctl $*\" > \"$T/ran\"\n");
        Files.setPosixFilePermissions(ctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, Map.of("PATH", dir + ":" + System.getenv("PATH")),
                "--", "ctl", "status")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
            assertEquals("program ctl status\n", read(dir.resolve("ran")));
        }
    }

    /** Another user: the socket's mode keeps it out; past that (mode opened up), SO_PEERCRED does. */
    @Test
    void aPeerWithAnotherUidIsRefusedAndLogged() throws Exception {
        List<String> nobody = CtlClient.asNobody();
        Path launcher = CtlClient.launcherForEveryone(dir.resolve("everyone"));
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            CtlClient.openUp(dir);
            CtlClient.Result r = CtlClient.ctlWith(nobody, launcher, socket(), "status");
            assertEquals(2, r.code, r.toString());
            assertEquals("jinit ctl: cannot connect to " + socket() + ": permission denied (only jinit's user and root may use it)\n", r.err);

            Files.setPosixFilePermissions(socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
            for (String[] args : new String[][] {{"status"}, {"stop"}, {"signal", "KILL"}, {"ready"}}) {
                r = CtlClient.ctlWith(nobody, launcher, socket(), args);
                assertEquals(2, r.code, r.toString());
                assertEquals("jinit ctl: permission denied: uid 65534 is neither jinit's uid (" + uid() + ") nor root\n", r.err);
            }
            waitUntil(T, () -> j.stderrText().contains("control: refused a connection from uid 65534 (pid "), "the refusal logged: " + j.stderrText());
            assertTrue(j.process.isAlive(), "nothing of it reached the child");
            Map<String, Object> ctlCounters = map(map(json(socket(), "status").get("counters")).get("control"));
            assertEquals(4L, num(ctlCounters.get("refused")));
        }
    }

    private static long uid() throws Exception {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    /** Bytes that are no request at all: each gets an error (or nothing) and changes nothing. */
    @Test
    void garbageOnTheControlSocketChangesNothing() throws Exception {
        Programs.install(dir, "trap.py");
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "python3", dir.resolve("trap.py").toString())) {
            waitForFile(dir.resolve("ready"));
            byte[] random = new byte[50_000];
            new Random(5).nextBytes(random);
            List<byte[]> garbage = List.of(random, new byte[] {0, 0, 0, '\n'}, "A".repeat(5000).getBytes(),
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), "\n".getBytes(), "status\0\n".getBytes(),
                new byte[] {(byte) 0xff, (byte) 0xfe, 's', '\n'}, "signal\n".getBytes(), "stop now please\n".getBytes(),
                "{\"command\":\"status\"}\n".getBytes());
            for (byte[] g : garbage) {
                String answer = raw(socket(), g);
                assertTrue(answer.startsWith("{\"ok\":false,\"error\":"), "an error for " + new String(g, 0, Math.min(g.length, 30)) + ": " + answer);
            }
            // half a request, then the client goes away; a connection that sends nothing and closes
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket()));
                ch.write(ByteBuffer.wrap("sta".getBytes()));
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket()));
            }
            // a request without its newline, then end of input: still a request
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket()));
                ch.write(ByteBuffer.wrap("ready".getBytes()));
                ch.shutdownOutput();
                assertTrue(CtlClient.readAnswer(ch).startsWith("{\"ok\":true,\"ready\":true"));
            }
            j.signal("USR1");
            waitUntil(T, () -> read(dir.resolve("got")).contains("10\n"), "USR1 still relayed");
            long expected = garbage.size() + 1; // and the half request "sta"
            waitUntil(T, () -> {
                try {
                    return num(map(map(json(socket(), "status").get("counters")).get("control")).get("bad_requests")) == expected;
                } catch (Exception e) {
                    return false;
                }
            }, expected + " bad requests counted");
            assertEquals("running", map(json(socket(), "status").get("child")).get("state"));
        }
    }

    /**
     * 200 clients at once, plus silent and slow ones, while 200 orphans exit and the child forks
     * and waits for 5 000 children: every client is answered, the silent ones are cut off after
     * their time, and reaping is as correct as without the socket.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void twoHundredConcurrentClientsWhileOrphansAreReaped(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "reap.py");
        try (JinitProcess j = start(mode, "--", "python3", dir.resolve("reap.py").toString())) {
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(socket()));
                silent.add(ch);
            }
            ExecutorService pool = Executors.newFixedThreadPool(220);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String request = i % 2 == 0 ? "status\n" : "ready\n";
                    answers.add(pool.submit(() -> {
                        go.await();
                        return raw(socket(), request.getBytes(StandardCharsets.US_ASCII));
                    }));
                }
                // slow clients: one byte every 200 ms, never a newline
                List<Future<String>> slow = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    slow.add(pool.submit((Callable<String>) () -> {
                        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                            ch.connect(UnixDomainSocketAddress.of(socket()));
                            long end = System.nanoTime() + 15_000_000_000L;
                            while (System.nanoTime() < end) {
                                try {
                                    ch.write(ByteBuffer.wrap(new byte[] {'s'}));
                                } catch (IOException e) {
                                    return "cut off";
                                }
                                Thread.sleep(200);
                            }
                            return "never cut off";
                        }
                    }));
                }
                long t0 = System.nanoTime();
                go.countDown();
                for (Future<String> f : answers) {
                    String a = f.get(60, TimeUnit.SECONDS);
                    assertTrue(a.startsWith("{\"ok\":true,"), a);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 20, "200 answers took " + seconds + " s");
                for (Future<String> f : slow) assertEquals("cut off", f.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            for (SocketChannel ch : silent) {
                ch.configureBlocking(true);
                assertEquals(-1, ch.read(ByteBuffer.allocate(10)), "a silent client is closed after its time");
                ch.close();
            }
            assertEquals(0, j.waitFor(Duration.ofSeconds(120)), read(dir.resolve("reap")) + "\n" + j.stderrText());
            assertEquals("zombies=0 wrong=0", read(dir.resolve("reap")));
        }
    }

    /** Without --control-socket, none of it is even loaded (start-up pays nothing for it). */
    @Test
    void nothingOfItLoadsWhenOff() throws Exception {
        Path log = dir.resolve("classes.log");
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir,
                Map.of("JINIT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--", "true")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
        String loaded = Files.readString(log);
        assertTrue(loaded.contains(" jinit.Supervisor "), "the log lists jinit's classes");
        for (String c : new String[] {"jinit.control.", "jinit.Request ", "jinit.LoopState ", "jinit.sys.UnixSockets ",
                "jinit.sys.JnrLibc$Sockets ", "jinit.sys.FfmLibc$Sockets "}) {
            assertFalse(loaded.contains(" " + c), c + " was loaded");
        }
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir,
                Map.of("JINIT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--control-socket", socket().toString(), "--", "true")) {
            assertEquals(0, j.waitFor(T), j.stderrText());
        }
        assertTrue(Files.readString(log).contains(" jinit.control.SocketLoop "), "the same check sees them when on");
    }
}
