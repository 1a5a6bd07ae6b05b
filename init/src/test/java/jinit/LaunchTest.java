package jinit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LaunchTest {
    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    @Test void parsesTheLaunchersRecord() {
        Launch l = Launch.fromEnvironment("0000000000000002:0000000000001001:7,3,5");
        assertEquals(2, l.sigmask);
        assertEquals(0x1001, l.sigignored);
        assertArrayEquals(new int[] {3, 5, 7}, l.fds);
        assertEquals("2:1001:3,5,7:::", l.encode());
        assertArrayEquals(new int[0], Launch.fromEnvironment("0:0:").fds);
    }

    @Test void closedStandardDescriptorsAndSignalsCaughtByTheLauncher() {
        Launch l = Launch.fromEnvironment("0:0:5:PWD:2,0: 15 1 15");
        assertArrayEquals(new int[] {0, 2}, l.closedStd);
        assertArrayEquals(new int[] {15, 1, 15}, l.pending, "in order, repeats kept");
        assertEquals("0:0:5:PWD:0,2:15 1 15", l.encode());
        assertArrayEquals(new int[0], Launch.fromEnvironment("0:0:::").pending);
        assertArrayEquals(new int[0], Launch.fromEnvironment("0:0:::7:99").closedStd, "only 0-2");
        assertArrayEquals(new int[0], Launch.fromEnvironment("0:0:::7:99").pending, "only 1-64");
    }

    @Test void childEnvironmentUndoesTheLauncher() {
        Launch l = Launch.fromEnvironment("0:0:");
        byte[][] env = {b("A=1"), b("JINIT_LAUNCH=0:0:"), b("_JAVA_SR_SIGNUM=40"), b("JINIT_SAVED_JAVA_TOOL_OPTIONS=-Xmx1g"),
            b("JINIT_SAVED__JAVA_SR_SIGNUM=44"), b("B=\u00ff"), b("JINIT_STAGE0=1"), b("JINIT_GRACE=3s")};
        List<String> child = Arrays.stream(l.childEnvironment(env)).map(e -> new String(e, StandardCharsets.ISO_8859_1)).toList();
        assertEquals(List.of("A=1", "JAVA_TOOL_OPTIONS=-Xmx1g", "_JAVA_SR_SIGNUM=44", "B=\u00ff", "JINIT_GRACE=3s"), child);
    }

    @Test void variablesTheShellAddedOrChangedAreGivenBack() {
        Launch l = Launch.fromEnvironment("0:0::PWD");
        assertEquals(List.of("A=1"), names(l.childEnvironment(new byte[][] {b("PWD=/x"), b("A=1")})));
        l = Launch.fromEnvironment("0:0::");
        assertEquals(List.of("A=1", "PWD=/caller's"), names(l.childEnvironment(new byte[][] {b("PWD=/x"), b("A=1"), b("JINIT_SAVED_PWD=/caller's")})));
    }

    static List<String> names(byte[][] env) {
        return Arrays.stream(env).map(e -> new String(e, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test void withoutALauncherRecordSrSignumIsTheUsers() {
        Launch l = Launch.fromEnvironment(null);
        assertFalse(l.recorded);
        assertEquals(1, l.childEnvironment(new byte[][] {b("_JAVA_SR_SIGNUM=44")}).length);
    }
}
