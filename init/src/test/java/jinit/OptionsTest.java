package jinit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

    static Options parse(String... args) throws Options.UsageException {
        return Options.parse(args, Map.of());
    }

    @Test void defaults() throws Exception {
        Options o = parse("prog");
        assertFalse(o.subreaper);
        assertFalse(o.singleChild);
        assertEquals(8_000_000_000L, o.graceNanos);
        assertEquals(0, o.verbosity);
        assertEquals(0, o.programIndex);
        assertEquals(Signals.TERM, o.rewrite[Signals.TERM]);
    }

    @Test void optionsStopAtTheProgramAndAtDoubleDash() throws Exception {
        Options o = parse("-s", "prog", "-x", "--grace", "1");
        assertTrue(o.subreaper);
        assertEquals(1, o.programIndex);
        assertEquals(8_000_000_000L, o.graceNanos, "the program's flags are not jinit's");
        o = parse("-v", "--", "-weird-program", "-t");
        assertEquals(2, o.programIndex);
        o = parse("--", "--", "x");
        assertEquals(1, o.programIndex, "a second -- is the program");
    }

    @Test void shortClustersAndAttachedValues() throws Exception {
        Options o = parse("-sgvvw", "-t5s", "-e143", "-rTERM:QUIT", "prog");
        assertTrue(o.subreaper);
        assertEquals(2, o.verbosity);
        assertTrue(o.warnOnReap);
        assertEquals(5_000_000_000L, o.graceNanos);
        assertTrue(o.remapExit[143]);
        assertEquals(Signals.QUIT, o.rewrite[Signals.TERM]);
        assertEquals(4, o.programIndex);
    }

    @Test void longOptionsWithEqualsOrSeparateValue() throws Exception {
        Options o = parse("--grace=500ms", "--rewrite", "sigusr1:0", "--remap-exit=3", "--pdeathsig", "KILL",
            "--single-child", "--subreaper", "--warn-on-reap", "--verbose", "prog");
        assertEquals(500_000_000L, o.graceNanos);
        assertEquals(0, o.rewrite[Signals.USR1]);
        assertTrue(o.remapExit[3]);
        assertEquals(Signals.KILL, o.parentDeathSignal);
        assertTrue(o.singleChild);
        assertTrue(o.subreaper);
        assertTrue(o.warnOnReap);
        assertEquals(1, o.verbosity);
    }

    @Test void pgroupUndoesSingleChild() throws Exception {
        assertFalse(parse("--single-child", "-g", "prog").singleChild);
    }

    @Test void dumbInitsDashCIsSingleChild() throws Exception {
        assertTrue(parse("-c", "prog").singleChild);
        assertTrue(parse("-vc", "prog").singleChild);
        assertEquals(1, parse("-c", "sh", "-c", "x").programIndex, "the program's -c is the program's");
    }

    /** The help is made from the option table: every option appears once, with its short name where it has one. */
    @Test void helpListsEveryOptionFromTheTable() {
        String help = Options.help();
        for (String line : new String[] {"  -s, --subreaper ", "  -c, --single-child ", "  -t, --grace DURATION ", "      --child-pdeathsig SIG|none  ",
                "      --control-socket PATH  ", "  -V, --version ", "  -h, --help "}) {
            assertEquals(1, help.split(java.util.regex.Pattern.quote(line), -1).length - 1, line + " in\n" + help);
        }
        for (String line : help.split("\n")) assertTrue(line.length() <= 100, "short lines: " + line);
        assertTrue(help.contains("(default 8s)"), help);
    }

    @Test void versionAndHelpNeedNoProgram() throws Exception {
        assertTrue(parse("--version").version);
        assertTrue(parse("-V").version);
        assertTrue(parse("-h").help);
        assertTrue(parse("--license").license);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x prog", "--nope prog", "-t", "--grace", "-t=5s prog", "-t 5q prog", "-t 1.2.3 prog",
        "-t -1 prog", "-t 99999999999 prog", "-r TERM prog", "-r FOO:TERM prog", "-r TERM:65 prog", "-r 0:TERM prog",
        "-e 256 prog", "-e -1 prog", "-e 3x prog", "-e  prog", "-p NOPE prog", "--version=1", "--grace= prog", "-v"})
    void usageErrors(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> parse(args));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"10s,10000000000", "500ms,500000000", "2m,120000000000", "8,8000000000", "1.5,1500000000",
        "0,0", "0s,0", "1h,3600000000000", " 3s ,3000000000", "0.001s,1000000", "250ms,250000000"})
    void durations(String text, long nanos) throws Exception {
        assertEquals(nanos, Durations.parse("-t", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "ms", "-1", "1x", "1.", ".5", "1e3", "10 s", "1,5", "0x10", "1sec", "NaN", "999999999h"})
    void badDurations(String text) {
        assertThrows(Options.UsageException.class, () -> Durations.parse("-t", text));
    }

    @Test void environmentVariables() throws Exception {
        Options o = Options.parse(new String[] {"prog"}, Map.of("TINI_SUBREAPER", "", "TINI_VERBOSITY", "3",
            "JINIT_GRACE", "3s", "TINI_KILL_PROCESS_GROUP", "1"));
        assertTrue(o.subreaper);
        assertEquals(2, o.verbosity, "tini's 1 (warn) is jinit's 0");
        assertEquals(3_000_000_000L, o.graceNanos);
        o = Options.parse(new String[] {"-t", "1s", "-v", "prog"}, Map.of("JINIT_GRACE", "3s", "JINIT_VERBOSITY", "2"));
        assertEquals(1_000_000_000L, o.graceNanos, "flags win over the environment");
        assertEquals(3, o.verbosity);
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"prog"}, Map.of("JINIT_GRACE", "soon")));
    }

    @Test void childPdeathsigDefaultsToKillForASubreaperOnly() throws Exception {
        Options o = Options.parse(new String[] {"prog"}, Map.of());
        assertEquals(9, o.childDeathSignal(false));
        assertEquals(0, o.childDeathSignal(true), "as PID 1 the kernel kills the namespace");
        assertEquals(0, Options.parse(new String[] {"--child-pdeathsig", "None", "prog"}, Map.of()).childDeathSignal(false));
        assertEquals(15, Options.parse(new String[] {"--child-pdeathsig=sigterm", "prog"}, Map.of()).childDeathSignal(true));
        assertEquals(35, Options.parse(new String[] {"--child-pdeathsig", "RTMIN+1", "prog"}, Map.of()).childDeathSignal(false));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--child-pdeathsig", "33", "prog"}, Map.of()));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--child-pdeathsig", "nonex", "prog"}, Map.of()));
    }

    @Test
    void controlSocketAndNotifyOptions() throws Exception {
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
