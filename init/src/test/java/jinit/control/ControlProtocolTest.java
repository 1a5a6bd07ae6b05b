package jinit.control;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of the control socket and sd_notify support that need no process: parsing and formatting. */
class ControlProtocolTest {

    private static Map<String, String> notify(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return NotifyMessage.parse(b, b.length);
    }

    @Test
    void notifyMessages() {
        assertEquals(Map.of("READY", "1"), notify("READY=1"));
        assertEquals(Map.of("READY", "1", "STATUS", "a = b"), notify("READY=1\nSTATUS=a = b\n"));
        assertEquals(Map.of("STATUS", "two"), notify("STATUS=one\nSTATUS=two"));
        assertEquals(Map.of("MAINPID", "42", "X_OTHER", ""), notify("MAINPID=42\n\nX_OTHER="));
        assertEquals(Map.of("WATCHDOG", "trigger"), notify("WATCHDOG=trigger"));
        assertEquals(Map.of("WATCHDOG_USEC", "5000000"), notify("WATCHDOG_USEC=5000000"));
        assertEquals(Map.of("STATUS", "späť"), notify("STATUS=späť"));
    }

    @Test
    void malformedNotifyMessages() {
        for (String bad : new String[] {"", "\n", "READY", "=1", "ready=1", "1READY=1", "READY=1\nnonsense", "READY=2", "READY=",
                "STOPPING=yes", "RELOADING=0", "MAINPID=0", "MAINPID=-1", "MAINPID=abc", "MAINPID=99999999999",
                "WATCHDOG=2", "WATCHDOG_USEC=0", "WATCHDOG_USEC=1x", "READY=1\0"}) {
            assertNull(notify(bad), "malformed: " + bad.replace("\n", "\\n"));
        }
        byte[] notUtf8 = {'S', 'T', 'A', 'T', 'U', 'S', '=', (byte) 0xc3, '('};
        assertNull(NotifyMessage.parse(notUtf8, notUtf8.length));
        byte[] big = ("STATUS=" + "x".repeat(NotifyMessage.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertNull(NotifyMessage.parse(big, big.length));
        byte[] exact = ("STATUS=" + "x".repeat(NotifyMessage.MAX_BYTES - 7)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(NotifyMessage.MAX_BYTES, exact.length);
        assertEquals(NotifyMessage.MAX_BYTES - 7, NotifyMessage.parse(exact, exact.length).get("STATUS").length());
    }

    @Test
    void jsonRoundTrip() {
        String text = Json.ok("\"s\":" + Json.quote("a\"b\\c\n\t\u0001é😀") + ",\"n\":-12,\"d\":1.5,\"l\":[1,\"x\",null,true,false],\"o\":{}");
        assertTrue(text.endsWith("}\n"));
        assertEquals(1, text.split("\n", -1).length - 1, "one line");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        assertEquals(true, m.get("ok"));
        assertEquals("a\"b\\c\n\t\u0001é😀", m.get("s"));
        assertEquals(-12L, m.get("n"));
        assertEquals(1.5, m.get("d"));
        assertEquals(java.util.Arrays.asList(1L, "x", null, true, false), m.get("l"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(Map.of("ok", false, "error", "no \"way\""), Json.parse(Json.error("no \"way\"")));
        for (String bad : new String[] {"", "{", "{\"a\"}", "[1,]", "tru", "{\"a\":1} x", "\"open"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    private static String line(String... words) throws Protocol.BadRequest {
        return Protocol.parse(List.of(words)).line();
    }

    @Test
    void requestsAreParsedIntoTheirCanonicalLine() throws Exception {
        assertEquals("status", line("status"));
        assertEquals("ready", line("ready"));
        assertEquals("signal USR1", line("signal", "usr1"));
        assertEquals("signal RTMIN+2 --all", line("signal", "SIGRTMIN+2", "--all"));
        assertEquals("stop", line("stop"));
        assertEquals("stop --grace 500ms", line("stop", "--grace", "500ms"));
        assertEquals("stop --grace 2", line("stop", "--grace=2"));
        assertEquals(500_000_000L, Protocol.parse(List.of("stop", "--grace", "500ms")).graceNanos);
        assertEquals(-1, Protocol.parse(List.of("stop")).graceNanos);
        // what a client sends, the server reads back as the same command
        for (String request : new String[] {"status", "signal TERM --all", "stop --grace 1.5s"}) {
            assertEquals(request, Protocol.parse(Protocol.words(request)).line());
        }
    }

    @Test
    void badRequestsAreOneLineSayingWhatIsWrong() {
        String[][] bad = {{}, {"stat"}, {"status", "x"}, {"signal"}, {"signal", "NOPE"}, {"signal", "99"}, {"signal", "TERM", "--al"},
            {"stop", "--grace"}, {"stop", "--grace", "soon"}, {"stop", "now"}, {"ready", "--json"}};
        for (String[] words : bad) {
            Protocol.BadRequest f = assertThrows(Protocol.BadRequest.class, () -> Protocol.parse(List.of(words)), String.join(" ", words));
            assertFalse(f.getMessage().contains("\n"), "one line: " + f.getMessage());
        }
        assertEquals("unknown signal 'NOPE'", assertThrows(Protocol.BadRequest.class, () -> line("signal", "NOPE")).getMessage());
        assertEquals("unknown command 'bogus' (" + Protocol.COMMANDS + ")", assertThrows(Protocol.BadRequest.class, () -> line("bogus")).getMessage());
        assertEquals("bad arguments for stop (status, ready, signal SIG [--all], stop [--grace DURATION])",
            assertThrows(Protocol.BadRequest.class, () -> line("stop", "now")).getMessage());
        byte[] notText = "status\0".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("bad request: not a text command",
            assertThrows(Protocol.BadRequest.class, () -> Protocol.words(notText, notText.length)).getMessage());
        byte[] crlf = "ready\r".getBytes(StandardCharsets.ISO_8859_1);
        assertDoesNotThrow(() -> assertEquals(List.of("ready"), Protocol.words(crlf, crlf.length)));
    }

    /** jinit ctl's own options go before or after the command; a bad command fails before any connection. */
    @Test
    void ctlOptionsOnEitherSideOfTheCommand() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        for (String[] args : new String[][] {{"status", "--json"}, {"--json", "status"}, {"stop", "--grace", "1s", "--json"}}) {
            // no socket anywhere: the command was accepted, the flags taken as jinit ctl's
            ControlClient.Failure f = assertThrows(ControlClient.Failure.class, () -> ControlClient.run(args, null, print), String.join(" ", args));
            assertEquals("no control socket: give --socket PATH or set JINIT_CONTROL_SOCKET", f.getMessage(), String.join(" ", args));
        }
        ControlClient.Failure f = assertThrows(ControlClient.Failure.class,
            () -> ControlClient.run(new String[] {"status", "--socket", "/nonexistent/dir/x.sock"}, null, print));
        assertEquals("cannot connect to /nonexistent/dir/x.sock: no such socket (is jinit running with --control-socket?)", f.getMessage());
        assertEquals("unknown option '--frobnicate' (jinit ctl --help)",
            assertThrows(ControlClient.Failure.class, () -> ControlClient.run(new String[] {"--frobnicate", "status"}, "/x", print)).getMessage());
        assertEquals("bad arguments for status (" + Protocol.COMMANDS + ")",
            assertThrows(ControlClient.Failure.class, () -> ControlClient.run(new String[] {"status", "--frobnicate"}, "/x", print)).getMessage());
        assertEquals(0, ControlClient.run(new String[] {"status", "--help"}, null, print));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("stop [--grace DURATION]"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPathThatIsNoSocketIsNamedSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("plain"), "x");
        ControlClient.Failure f = assertThrows(ControlClient.Failure.class, () -> ControlClient.exchange(file.toString(), "status"));
        assertEquals("cannot connect to " + file + ": not a socket (a regular file)", f.getMessage());
        f = assertThrows(ControlClient.Failure.class, () -> ControlClient.exchange(dir.toString(), "status"));
        assertEquals("cannot connect to " + dir + ": not a socket (a directory)", f.getMessage());
    }
}
