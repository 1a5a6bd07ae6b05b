package jinit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalsTest {

    @ParameterizedTest
    @CsvSource({"TERM,15", "SIGTERM,15", "sigterm,15", "term,15", "15,15", "HUP,1", "USR2,12", "WINCH,28",
        "RTMIN,34", "RTMIN+1,35", "rtmin+30,64", "RTMAX,64", "RTMAX-1,63", "SIGRTMAX-30,34", "IOT,6", "POLL,29",
        "CLD,17", "64,64", "1,1", "KILL,9", "STKFLT,16", "PWR,30", "SYS,31"})
    void parses(String text, int sig) {
        assertEquals(sig, Signals.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65", "100", "-1", "SIG", "FOO", "RTMIN+31", "RTMAX-31", "RTMIN-1", "TERM2", "1.5", "0x0f", "015x"})
    void rejects(String text) {
        assertEquals(-1, Signals.parse(text));
    }

    @Test void namesRoundTrip() {
        for (int sig = 1; sig <= 64; sig++) {
            if (sig == 32 || sig == 33) continue;
            assertEquals(sig, Signals.parse(Signals.name(sig)), Signals.name(sig));
        }
    }

    @Test void relaySet() {
        for (int sig : new int[] {1, 2, 3, 10, 12, 13, 14, 15, 18, 20, 21, 22, 23, 28, 30, 34, 35, 63, 64}) {
            assertTrue(Signals.in(Signals.RELAYED, sig), Signals.name(sig));
        }
        for (int sig : new int[] {9, 19, 17, 4, 5, 6, 7, 8, 11, 31, 32, 33, Signals.JVM_SR, Signals.JDK_IO}) {
            assertFalse(Signals.in(Signals.RELAYED, sig), Signals.name(sig));
        }
        assertTrue(Signals.in(Signals.WAITED, Signals.CHLD));
        assertEquals(Signals.bit(1) | Signals.bit(2) | Signals.bit(3) | Signals.bit(15), Signals.STOPPING);
    }
}
