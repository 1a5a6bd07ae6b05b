package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static jinit.it.CtlClient.ctl;
import static jinit.it.CtlClient.json;
import static jinit.it.CtlClient.map;
import static jinit.it.CtlClient.num;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Readiness (issue 5): the sd_notify socket jinit gives the child with --notify, READY=1 and
 * the rest of the protocol, --ready-file, the watchdog, and datagrams jinit must ignore.
 */
class NotifyTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;

    private Path socket() {
        return dir.resolve("ctl.sock");
    }

    private Path readyFile() {
        return dir.resolve("app.ready");
    }

    /** jinit with its control socket and --notify; the notify socket goes into $TMPDIR = dir. */
    private JinitProcess start(JinitProcess.Mode mode, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--control-socket", socket().toString(), "--notify"));
        all.addAll(List.of(args));
        JinitProcess j = JinitProcess.start(mode, dir, Map.of("TMPDIR", dir.toString()), all.toArray(new String[0]));
        CtlClient.awaitSocket(socket(), j);
        return j;
    }

    private Path notifySocket() throws Exception {
        return Path.of((String) map(json(socket(), "status").get("readiness")).get("socket"));
    }

    private Map<String, Object> readiness() throws Exception {
        return map(json(socket(), "status").get("readiness"));
    }

    private Map<String, Object> counters() throws Exception {
        return map(map(json(socket(), "status").get("counters")).get("notify"));
    }

    /** Sends one datagram to the notify socket, as this test's user (root in CI) or through {@code prefix}. */
    private static int send(List<String> prefix, Path notify, byte[] payload) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(prefix.isEmpty() ? "python3" : "/usr/bin/python3", "-c",
            "import socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
                + "s.sendto(bytes.fromhex(sys.argv[2]), sys.argv[1])\n",
            notify.toString(), HexFormat.of().formatHex(payload)));
        Process p = new ProcessBuilder(cmd).directory(new File("/")).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    private static void send(Path notify, String text) throws Exception {
        assertEquals(0, send(List.of(), notify, text.getBytes(StandardCharsets.UTF_8)), "sent " + text);
    }

    private static String systemdNotify() {
        for (String p : new String[] {"/usr/bin/systemd-notify", "/bin/systemd-notify"}) {
            if (new File(p).canExecute()) return p;
        }
        if ("true".equals(System.getenv("JINIT_REQUIRE_ROOT"))) {
            throw new AssertionError("CI installs the Debian package systemd: systemd-notify must be there");
        }
        assumeTrue(false, "systemd-notify is not installed (Debian package systemd)");
        return null;
    }

    /** The real sd_notify client: systemd-notify --ready from the child, then a stop. */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void systemdNotifyReadyMakesItReadyAndStopMakesItUnready(JinitProcess.Mode mode) throws Exception {
        String tool = systemdNotify();
        try (JinitProcess j = start(mode, "--ready-file", readyFile().toString(), "--", "sh", "-c",
                "while [ ! -e \"$T/go\" ]; do sleep 0.02; done; date +%s.%N > \"$T/t0\"; " + tool
                    + " --ready --status='serving 3 clients'; echo $? > \"$T/rc\"; date +%s.%N > \"$T/t1\"; exec sleep 1000")) {
            CtlClient.Result r = ctl(socket(), "ready");
            assertEquals(1, r.code, r.toString());
            assertEquals("not ready (starting)\n", r.out);
            assertEquals("starting", readiness().get("state"));
            assertFalse(Files.exists(readyFile()));

            Files.createFile(dir.resolve("go"));
            waitForFile(readyFile());
            r = ctl(socket(), "ready");
            assertEquals(0, r.code, r.toString());
            Map<String, Object> s = json(socket(), "status");
            assertEquals(true, s.get("ready"));
            assertEquals("serving 3 clients", map(s.get("readiness")).get("status"));
            // systemd-notify sends READY=1 and STATUS=, then BARRIER=1 with a descriptor it waits on
            // (5 s, then it fails) until the manager closes it: jinit closes it at once
            waitForFile(dir.resolve("t1"));
            assertEquals("0\n", read(dir.resolve("rc")));
            double took = Double.parseDouble(read(dir.resolve("t1"))) - Double.parseDouble(read(dir.resolve("t0")));
            assertTrue(took < 2.5, "systemd-notify waited " + took + " s for its barrier");
            assertEquals(2L, num(map(map(json(socket(), "status").get("counters")).get("notify")).get("accepted")));
            assertTrue(ctl(socket(), "status").out.contains("readiness: ready since "), "readable status");

            r = ctl(socket(), "stop");
            assertEquals(0, r.code, r.toString());
            assertFalse(Files.exists(readyFile()), "the ready file goes when the stop begins");
            assertEquals(143, j.waitFor(T), j.stderrText());
            assertFalse(Files.exists(readyFile()));
        }
    }

    @Test
    void theChildGetsItsOwnPrivateNotifySocketOnlyWithNotify() throws Exception {
        String show = "echo \"${NOTIFY_SOCKET-unset} ${WATCHDOG_USEC-unset}\" > \"$T/env\"; exec sleep 1000";
        // without --notify, the child has what jinit had: nothing, or a NOTIFY_SOCKET of jinit's own parent
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("NOTIFY_SOCKET", "/run/parent.sock"))) {
            Files.deleteIfExists(dir.resolve("env"));
            try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir, env, "--", "sh", "-c", show)) {
                waitForFile(dir.resolve("env"));
                waitUntil(T, () -> read(dir.resolve("env")).endsWith("\n"), "the env line");
                assertEquals(env.getOrDefault("NOTIFY_SOCKET", "unset") + " unset\n", read(dir.resolve("env")));
                j.signal("TERM");
                assertEquals(143, j.waitFor(T));
            }
        }
        Files.deleteIfExists(dir.resolve("env"));
        try (JinitProcess j = JinitProcess.start(JinitProcess.Mode.SUBREAPER, dir,
                Map.of("NOTIFY_SOCKET", "/run/parent.sock", "WATCHDOG_USEC", "1", "TMPDIR", dir.toString()),
                "--control-socket", socket().toString(), "--watchdog", "3s", "--", "sh", "-c", show)) {
            waitForFile(dir.resolve("env"));
            waitUntil(T, () -> read(dir.resolve("env")).endsWith("\n"), "the env line");
            String[] seen = read(dir.resolve("env")).trim().split(" ");
            CtlClient.awaitSocket(socket(), j);
            Path notify = notifySocket();
            assertEquals(notify.toString(), seen[0]);
            assertEquals("3000000", seen[1]);
            assertEquals(dir, notify.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(notify, LinkOption.NOFOLLOW_LINKS)));
            j.signal("TERM");
            assertEquals(143, j.waitFor(T));
            assertFalse(Files.exists(notify, LinkOption.NOFOLLOW_LINKS), "the notify socket is removed on exit");
        }
    }

    @Test
    void statusReadyReloadingStoppingAndMainpid() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--ready-file", readyFile().toString(), "--", "sleep", "1000")) {
            Path notify = notifySocket();
            long child = num(map(json(socket(), "status").get("child")).get("pid"));
            send(notify, "STATUS=warming up");
            waitUntil(T, () -> "warming up".equals(get(this::readiness, "status")), "STATUS");
            assertEquals("starting", readiness().get("state"));

            send(notify, "MAINPID=" + child + "\nREADY=1\n");
            waitUntil(T, () -> "ready".equals(get(this::readiness, "state")), "READY=1");
            assertEquals(child, num(readiness().get("mainpid")));
            assertTrue(Files.exists(readyFile()));

            send(notify, "RELOADING=1");
            waitUntil(T, () -> "reloading".equals(get(this::readiness, "state")), "RELOADING=1");
            assertEquals(1, ctl(socket(), "ready").code);
            assertFalse(Files.exists(readyFile()));

            send(notify, "READY=1\nSTATUS=serving");
            waitUntil(T, () -> "ready".equals(get(this::readiness, "state")), "READY=1 again");
            assertEquals(0, ctl(socket(), "ready").code);
            assertTrue(Files.exists(readyFile()));

            send(notify, "STOPPING=1");
            waitUntil(T, () -> "stopping".equals(get(this::readiness, "state")), "STOPPING=1");
            assertEquals(1, ctl(socket(), "ready").code);
            assertFalse(Files.exists(readyFile()));
            assertEquals(5L, num(counters().get("accepted")));
            assertTrue(j.process.isAlive(), "STOPPING=1 is the application's news, not a stop request");
        }
    }

    private interface Read {
        Map<String, Object> get() throws Exception;
    }

    private static Object get(Read r, String key) {
        try {
            return r.get().get(key);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void oversizeAndMalformedDatagramsAreIgnoredAndCounted() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            Path notify = notifySocket();
            byte[] big = ("READY=1\nSTATUS=" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
            byte[] huge = new byte[60_000];
            assertEquals(0, send(List.of(), notify, big));
            assertEquals(0, send(List.of(), notify, huge));
            List<byte[]> malformed = List.of(
                "READY".getBytes(), "READY=1\0".getBytes(), new byte[] {'R', 'E', 'A', 'D', 'Y', '=', '1', '\n', (byte) 0xff},
                "ready=1".getBytes(), "READY=2".getBytes(), "MAINPID=abc\nREADY=1".getBytes(), new byte[0], "=1".getBytes(),
                "WATCHDOG=maybe".getBytes());
            for (byte[] m : malformed) assertEquals(0, send(List.of(), notify, m));
            waitUntil(T, () -> {
                try {
                    Map<String, Object> c = counters();
                    return num(c.get("oversize")) == 2 && num(c.get("malformed")) == malformed.size();
                } catch (Exception e) {
                    return false;
                }
            }, "2 oversize and " + malformed.size() + " malformed datagrams counted");
            assertEquals(0L, num(counters().get("accepted")));
            assertEquals("starting", readiness().get("state"));
            assertTrue(j.stderrText().contains("notify: ignored a datagram of more than 4096 bytes from pid "), j.stderrText());

            send(notify, "READY=1\nX_UNKNOWN_KEY=whatever");
            waitUntil(T, () -> "ready".equals(get(this::readiness, "state")), "a good READY=1 after all that");
        }
    }

    @Test
    void datagramsFromAnotherUidAreIgnored() throws Exception {
        List<String> nobody = CtlClient.asNobody();
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "--", "sleep", "1000")) {
            Path notify = notifySocket();
            CtlClient.openUp(dir);
            assertNotEquals(0, send(nobody, notify, "READY=1".getBytes()), "the socket's mode keeps other users out");
            Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rw-rw-rw-"));
            assertEquals(0, send(nobody, notify, "READY=1".getBytes()), "sent past the mode");
            waitUntil(T, () -> {
                try {
                    return num(counters().get("other_uid")) == 1;
                } catch (Exception e) {
                    return false;
                }
            }, "the datagram counted as from another uid");
            assertEquals("starting", readiness().get("state"));
            assertEquals(1, ctl(socket(), "ready").code);
            assertTrue(j.stderrText().contains("notify: ignored a datagram from uid 65534 (pid "), j.stderrText());
        }
    }

    /** The child pings a few times and then stops: jinit stops it as a TERM would. */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void aChildThatStopsPingingTheWatchdogIsStopped(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "watchdog-pings.py");
        try (JinitProcess j = start(mode, "--watchdog", "600ms", "--", "python3", dir.resolve("watchdog-pings.py").toString())) {
            assertEquals(0, j.waitFor(T), j.stderrText()); // TERM handled: the child exits 0
            double lastPing = Double.parseDouble(read(dir.resolve("last-ping")));
            double term = Double.parseDouble(read(dir.resolve("term")));
            assertTrue(term - lastPing > 0.5 && term - lastPing < 5, "TERM " + (term - lastPing) + " s after the last ping");
            assertTrue(j.stderrText().contains("watchdog: no WATCHDOG=1 from the child for "), j.stderrText());
        }
    }

    @Test
    void watchdogTriggerStopsAtOnce() throws Exception {
        try (JinitProcess j = start(JinitProcess.Mode.SUBREAPER, "-t", "60s", "--", "sleep", "1000")) {
            send(notifySocket(), "WATCHDOG=trigger");
            assertEquals(143, j.waitFor(T), j.stderrText());
            assertTrue(j.stderrText().contains("sent WATCHDOG=trigger: stopping"), j.stderrText());
        }
    }
}
