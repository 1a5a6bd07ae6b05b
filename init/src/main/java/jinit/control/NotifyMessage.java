package jinit.control;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * systemd's sd_notify messages: one datagram of newline-separated {@code KEY=VALUE} lines,
 * at most {@link #MAX_BYTES} bytes (systemd's own limit). A datagram is malformed, and ignored
 * whole, when it is empty, is not UTF-8, contains a NUL byte, has a non-empty line that is not
 * an assignment to an upper-case name, or gives one of the keys jinit acts on a value it cannot
 * take (READY=2, MAINPID=abc). Other keys are accepted and ignored, as systemd does.
 *
 * <p>BARRIER=1 (sent by systemd-notify and sd_notify_barrier) needs no code of its own: its
 * sender waits until the descriptor it passes along is closed, and jinit closes every passed
 * descriptor as soon as the datagram is received, after the ones before it were handled.
 */
final class NotifyMessage {
    private NotifyMessage() {}

    static final int MAX_BYTES = 4096;

    /** The assignments of a datagram (the last one wins), or null when it is malformed. */
    static Map<String, String> parse(byte[] data, int length) {
        if (length <= 0 || length > MAX_BYTES) return null;
        for (int i = 0; i < length; i++) if (data[i] == 0) return null;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(data, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = text.substring(start, end);
            start = end + 1;
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq <= 0 || !isName(line, eq)) return null;
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (out.isEmpty() || !valid(out)) return null;
        return out;
    }

    private static boolean isName(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_' && !(i > 0 && c >= '0' && c <= '9')) return false;
        }
        return true;
    }

    private static boolean valid(Map<String, String> m) {
        for (String flag : new String[] {"READY", "RELOADING", "STOPPING"}) {
            String v = m.get(flag);
            if (v != null && !v.equals("1")) return false;
        }
        String watchdog = m.get("WATCHDOG");
        if (watchdog != null && !watchdog.equals("1") && !watchdog.equals("trigger")) return false;
        String mainpid = m.get("MAINPID");
        if (mainpid != null && positive(mainpid, 10) <= 0) return false;
        String usec = m.get("WATCHDOG_USEC");
        return usec == null || positive(usec, 18) > 0;
    }

    /** A decimal number of at most {@code digits} digits, or -1. */
    static long positive(String s, int digits) {
        if (s.isEmpty() || s.length() > digits) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        long v = Long.parseLong(s);
        return v > 0 && (digits > 10 || v <= Integer.MAX_VALUE) ? v : -1;
    }
}
