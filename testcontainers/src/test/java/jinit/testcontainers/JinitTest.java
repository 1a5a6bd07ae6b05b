package jinit.testcontainers;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts without Docker: jinit's command line, Docker's entry point rules, reading a status, the failure message. */
class JinitTest {
    /** The README's sample answer (a python service with two workers), plus a zombie of a worker. */
    static final String STATUS = "{\"ok\":true,\"jinit\":{\"pid\":1,\"version\":\"0.1.0\",\"backend\":\"ffm\",\"mode\":\"pid1\","
        + "\"started\":\"2026-11-28T17:00:21.254Z\",\"uptime_ms\":4003},\"child\":{\"pid\":17,\"command\":[\"/usr/bin/python3\","
        + "\"/tmp/demo/app.py\"],\"state\":\"running\",\"since\":\"2026-11-28T17:00:21.262Z\"},\"ready\":true,\"readiness\":"
        + "{\"state\":\"ready\",\"notify\":true,\"since\":\"2026-11-28T17:00:23.355Z\",\"socket\":\"/tmp/jinit-notify.1.aba17bd8\","
        + "\"status\":\"reloaded \\\"the\\\" configuration\\u00e9\",\"mainpid\":null,\"watchdog_usec\":5000000,\"last_watchdog\":"
        + "\"2026-11-28T17:00:24.311Z\",\"ready_file\":\"/tmp/demo/ready\"},\"stopping\":false,\"counters\":{\"orphans_reaped\":4,"
        + "\"signals_relayed\":{\"HUP\":1},\"control\":{\"connections\":5,\"refused\":0,\"bad_requests\":0,\"timeouts\":0},"
        + "\"notify\":{\"accepted\":4,\"other_uid\":0,\"oversize\":0,\"malformed\":0}},\"processes\":["
        + "{\"pid\":17,\"ppid\":1,\"pgid\":17,\"sid\":0,\"state\":\"S\",\"command\":\"/usr/bin/python3 /tmp/demo/app.py\"},"
        + "{\"pid\":18,\"ppid\":17,\"pgid\":17,\"sid\":0,\"state\":\"S\",\"command\":\"/usr/bin/python3 /tmp/demo/app.py\"},"
        + "{\"pid\":19,\"ppid\":1,\"pgid\":17,\"sid\":0,\"state\":\"Z\",\"command\":\"[python3]\"},"
        + "{\"pid\":20,\"ppid\":18,\"pgid\":17,\"sid\":0,\"state\":\"Z\",\"command\":\"[python3]\"}]}\n";

    @Test
    void commandLineHasTheGraceTheControlSocketAndTheOptionsBeforeTheProgram() {
        assertEquals(List.of("/.jinit/jinit", "--grace", "8000ms", "--control-socket", "/.jinit/control.sock", "--"),
            Jinit.defaults().commandLine());
        Jinit j = Jinit.defaults().withGrace(Duration.ofMillis(1500)).withRewrite("TERM", "QUIT").withRemapExit(143)
            .withVerbosity(2).withWarnOnReap().withSingleChild().withControlSocket("/run/jinit.sock").withOptions("--notify");
        assertEquals(List.of("/.jinit/jinit", "--grace", "1500ms", "--control-socket", "/run/jinit.sock", "--rewrite", "TERM:QUIT",
            "--remap-exit", "143", "-v", "-v", "--warn-on-reap", "--single-child", "--notify", "--"), j.commandLine());
        assertEquals(List.of("/.jinit/jinit", "--grace", "8000ms", "--control-socket", "/.jinit/control.sock", "--"),
            Jinit.defaults().commandLine(), "a Jinit is immutable");
        assertThrows(IllegalArgumentException.class, () -> Jinit.defaults().withGrace(Duration.ofSeconds(-1)));
    }

    @Test
    void aContainerIsSetUpOnceAndAskedThroughTheJinitThatSetItUp() {
        Jinit jinit = Jinit.defaults();
        GenericContainer<?> c = jinit.applyTo(new GenericContainer<>(DockerImageName.parse("app:1")));
        assertEquals(String.join(" ", jinit.commandLine()), c.getLabels().get(Jinit.LABEL));
        assertThrows(IllegalStateException.class, () -> jinit.applyTo(c), "twice would run jinit under jinit");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> Jinit.defaults().withGrace(Duration.ofSeconds(1)).status(c));
        assertTrue(other.getMessage().contains("runs under another Jinit (/.jinit/jinit --grace 8000ms"), other.getMessage());
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> jinit.stop(c));
        assertEquals("app:1 has not been started", notStarted.getMessage());
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class, () -> jinit.status(new GenericContainer<>(DockerImageName.parse("app:1"))));
        assertEquals("app:1 does not run under jinit: call Jinit.applyTo(container) before it starts", bare.getMessage());
    }

    @Test
    void theProgramIsWhatDockerWouldRun() {
        String[] none = null, empty = {};
        String[] imageEntry = {"/docker-entrypoint.sh"}, imageCmd = {"postgres"};
        assertEquals(List.of("/docker-entrypoint.sh", "postgres"), Jinit.program(none, none, imageEntry, imageCmd), "the image's");
        assertEquals(List.of("/docker-entrypoint.sh", "postgres", "-c", "fsync=off"),
            Jinit.program(none, new String[] {"postgres", "-c", "fsync=off"}, imageEntry, imageCmd), "withCommand replaces CMD only");
        assertEquals(List.of("sh", "-c", "x"), Jinit.program(new String[] {"sh", "-c", "x"}, none, imageEntry, imageCmd),
            "an entry point set on the container drops the image's CMD");
        assertEquals(List.of("sh", "a"), Jinit.program(new String[] {"sh"}, new String[] {"a"}, imageEntry, imageCmd));
        assertEquals(List.of("python3"), Jinit.program(empty, empty, none, new String[] {"python3"}), "an image with CMD only");
        assertEquals(List.of(), Jinit.program(none, none, none, none));
    }

    @Test
    void aStatusAnswerIsRead() {
        JinitStatus s = JinitStatus.parse(STATUS);
        assertEquals(1, s.jinitPid());
        assertEquals(17, s.mainPid());
        assertFalse(s.stopping());
        assertEquals(4, s.orphansReaped());
        assertEquals(List.of(17, 18, 19, 20), s.processes().stream().map(JinitProcess::pid).toList());
        assertEquals(new JinitProcess(18, 17, 17, 0, "S", "/usr/bin/python3 /tmp/demo/app.py"), s.processes().get(1));
        assertEquals(List.of(20), s.zombies().stream().map(JinitProcess::pid).toList(), "a zombie of jinit's is about to be reaped: not listed");
        assertTrue(s.json().startsWith("{\"ok\":true") && s.json().endsWith("]}"));

        assertThrows(IllegalArgumentException.class, () -> JinitStatus.parse("{\"ok\":false,\"error\":\"unknown command\"}"));
        assertThrows(IllegalArgumentException.class, () -> JinitStatus.parse("{\"ok\":true}"));
        assertThrows(IllegalArgumentException.class, () -> JinitStatus.parse(STATUS + "x"));
        assertThrows(IllegalArgumentException.class, () -> JinitStatus.parse("{\"ok\":true,"));
    }

    @Test
    void jsonStringsNumbersAndLiterals() {
        assertEquals(List.of("a\"b\\c/\n\u00e9", -12L, 1.5e3, true, false, java.util.Collections.singletonMap("k", null)),
            Json.parse(" [\"a\\\"b\\\\c\\/\\n\\u00e9\", -12, 1.5e3, true, false, {\"k\": null}] "));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("nul"));
    }

    @Test
    void theFailureNamesWhatWasKilledAndTheZombiesWithTheirParent() {
        JinitStatus before = JinitStatus.parse(STATUS);
        JinitProcess stubborn = before.processes().get(1);
        JinitStop stop = new JinitStop("app:1 (container 0123456789ab)", 0, Duration.ofMillis(2040), Duration.ofSeconds(2), true,
            List.of(stubborn), "still running 300 ms before the deadline", before.zombies(), before);
        assertFalse(stop.clean());
        AssertionError e = assertThrows(AssertionError.class, stop::assertNothingLeft);
        assertEquals("app:1 (container 0123456789ab) did not stop clean: exit 0 after 2.04 s (grace 2.00 s), orphans reaped by jinit: 4\n"
            + "- jinit's grace period ran out and it SIGKILLed what was left; still running 300 ms before the deadline:\n"
            + "    pid 18 (ppid 17, pgid 17, sid 0, S) /usr/bin/python3 /tmp/demo/app.py\n"
            + "- 1 zombie stayed, not waited for by its parent:\n"
            + "    pid 20 (ppid 18, pgid 17, sid 0, Z) [python3], child of pid 18 (ppid 17, pgid 17, sid 0, S) /usr/bin/python3 /tmp/demo/app.py",
            e.getMessage());

        JinitStop clean = new JinitStop("app:1 (container 0123456789ab)", 0, Duration.ofMillis(120), Duration.ofSeconds(2), false,
            List.of(), "", List.of(), before);
        assertTrue(clean.clean());
        assertEquals(clean, clean.assertNothingLeft());
        assertEquals("app:1 (container 0123456789ab) stopped clean: exit 0 after 0.12 s (grace 2.00 s), orphans reaped by jinit: 4", clean.toString());
    }
}
