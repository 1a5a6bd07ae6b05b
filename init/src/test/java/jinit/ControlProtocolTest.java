package jinit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of the control socket and sd_notify support that need no process: parsing and formatting. */
class ControlProtocolTest {

    private static Map<String, String> notify(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Notify.parse(b, b.length);
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
        assertNull(Notify.parse(notUtf8, notUtf8.length));
        byte[] big = ("STATUS=" + "x".repeat(Notify.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertNull(Notify.parse(big, big.length));
        byte[] exact = ("STATUS=" + "x".repeat(Notify.MAX_BYTES - 7)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(Notify.MAX_BYTES, exact.length);
        assertEquals(Notify.MAX_BYTES - 7, Notify.parse(exact, exact.length).get("STATUS").length());
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

    @Test
    void ctlRequestsAreCheckedBeforeAnyConnection() throws Exception {
        assertEquals("status", Ctl.request(new String[] {"status"}));
        assertEquals("ready", Ctl.request(new String[] {"ready"}));
        assertEquals("signal usr1", Ctl.request(new String[] {"signal", "usr1"}));
        assertEquals("signal SIGRTMIN+2 --all", Ctl.request(new String[] {"signal", "SIGRTMIN+2", "--all"}));
        assertEquals("stop", Ctl.request(new String[] {"stop"}));
        assertEquals("stop --grace 500ms", Ctl.request(new String[] {"stop", "--grace", "500ms"}));
        assertEquals("stop --grace 2", Ctl.request(new String[] {"stop", "--grace=2"}));
        String[][] bad = {{}, {"stat"}, {"status", "x"}, {"signal"}, {"signal", "NOPE"}, {"signal", "99"}, {"signal", "TERM", "--al"},
            {"stop", "--grace"}, {"stop", "--grace", "soon"}, {"stop", "now"}, {"ready", "--json"}};
        for (String[] args : bad) {
            Ctl.Failure f = assertThrows(Ctl.Failure.class, () -> Ctl.request(args), String.join(" ", args));
            assertFalse(f.getMessage().contains("\n"), "one line: " + f.getMessage());
        }
    }

    @Test
    void readableFormats() {
        assertEquals("850ms", Ctl.duration(850));
        assertEquals("12.3s", Ctl.duration(12_300).replace(',', '.'));
        assertEquals("4m05s", Ctl.duration(245_000));
        assertEquals("2h03m", Ctl.duration(7_380_000));
        assertEquals("sh -c 'sleep 1 & wait' 'it'\\''s' ''", Ctl.command(List.of("sh", "-c", "sleep 1 & wait", "it's", "")));
        assertEquals("sent TERM to the process group of the main child 7",
            Ctl.signalled(Map.of("signal", "TERM", "target", "group", "pid", 7L)));
        assertEquals("sent HUP to 3 processes below jinit", Ctl.signalled(Map.of("signal", "HUP", "target", "all", "processes", 3L)));
        assertEquals("already stopping; deadline in 1.5s", Ctl.stopped(Map.of("already", true, "deadline_ms", 1500L)).replace(',', '.'));
    }

    @Test
    void controlOptions() throws Exception {
        Options o = Options.parse(new String[] {"--control-socket", "/run/j.sock", "--", "app"}, Map.of());
        assertEquals("/run/j.sock", o.controlSocket);
        assertFalse(o.notify);
        o = Options.parse(new String[] {"app"}, Map.of("JINIT_CONTROL_SOCKET", "/run/env.sock"));
        assertEquals("/run/env.sock", o.controlSocket);
        o = Options.parse(new String[] {"--control-socket=/run/flag.sock", "app"}, Map.of("JINIT_CONTROL_SOCKET", "/run/env.sock"));
        assertEquals("/run/flag.sock", o.controlSocket, "the flag wins");
        assertNull(Options.parse(new String[] {"app"}, Map.of("JINIT_CONTROL_SOCKET", "")).controlSocket);
        o = Options.parse(new String[] {"--notify", "app"}, Map.of());
        assertTrue(o.notify);
        assertEquals(0, o.watchdogNanos);
        o = Options.parse(new String[] {"--watchdog", "1.5s", "app"}, Map.of());
        assertTrue(o.notify, "--watchdog implies --notify");
        assertEquals(1_500_000_000L, o.watchdogNanos);
        o = Options.parse(new String[] {"--ready-file", "/tmp/ready", "app"}, Map.of());
        assertTrue(o.notify, "--ready-file implies --notify");
        assertEquals("/tmp/ready", o.readyFile);
        for (String[] bad : new String[][] {{"--control-socket"}, {"--control-socket", ""}, {"--control-socket", "/" + "x".repeat(107), "app"},
                {"--watchdog", "0", "app"}, {"--watchdog", "soon", "app"}, {"--ready-file", "", "app"}, {"--notify=yes", "app"}}) {
            assertThrows(Options.UsageException.class, () -> Options.parse(bad, Map.of()), String.join(" ", bad));
        }
        assertEquals("/" + "x".repeat(106), Options.parse(new String[] {"--control-socket", "/" + "x".repeat(106), "app"}, Map.of()).controlSocket);
    }
}
