package jinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitStatusTest {
    /** A wait status as the kernel encodes it. */
    static int exited(int code) { return (code & 0xff) << 8; }

    static int killed(int sig, boolean core) { return sig | (core ? 0x80 : 0); }

    @Test void exitCodes() {
        assertEquals(0, ExitStatus.of(exited(0)));
        assertEquals(3, ExitStatus.of(exited(3)));
        assertEquals(255, ExitStatus.of(exited(255)));
    }

    @Test void signalDeathsAre128PlusN() {
        assertEquals(143, ExitStatus.of(killed(15, false)));
        assertEquals(137, ExitStatus.of(killed(9, false)));
        assertEquals(139, ExitStatus.of(killed(11, true)), "a core dump changes nothing");
        assertEquals(130, ExitStatus.of(killed(2, false)));
        assertEquals((128 + 64) & 0xff, ExitStatus.of(killed(64, false)));
    }

    @Test void remap() {
        boolean[] remapped = new boolean[256];
        remapped[143] = true;
        assertEquals(0, ExitStatus.remap(143, remapped));
        assertEquals(3, ExitStatus.remap(3, remapped));
    }
}
