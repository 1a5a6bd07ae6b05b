package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * examples/quickstart/demo.sh, the README's first command, as a user runs it: it exits 0 after
 * showing what it promises (bare, four processes are left running; under jinit every one of the
 * five runs its SIGTERM handler and none is left), and 1 when the "jinit" it is given does not
 * do that. Runs the launcher on the test JVM's runtime (JINIT_JAVA_HOME), so each backend.
 */
class QuickstartDemoTest {
    private static final Path DEMO = Path.of(System.getProperty("jinit.repository", ".."))
        .resolve("examples/quickstart/demo.sh").toAbsolutePath().normalize();

    @TempDir Path dir;

    record Run(int exit, List<String> out, String err) {}

    private Run demo(Map<String, String> env) throws IOException, InterruptedException {
        JinitProcess.requireLauncher();
        List<String> cmd = new ArrayList<>(JinitProcess.CLEAN_MASK);
        cmd.add(DEMO.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().put("JINIT", JinitProcess.LAUNCHER.toString());
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.environment().putAll(env);
        Process p = pb.start();
        String mark = "jinit-quickstart-" + p.pid(); // the demo's marker: $$ (the CLEAN_MASK wrapper execs sh)
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) fail("demo.sh did not finish within 120 s:\n" + Files.readString(dir.resolve("out")));
            return new Run(p.exitValue(), Files.readAllLines(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            JinitProcess.waitUntil(java.time.Duration.ofSeconds(10), () -> JinitProcess.withMarker(mark).isEmpty(),
                "no process of the demo left: " + JinitProcess.withMarker(mark));
        }
    }

    private static List<String> matching(List<String> lines, String regex) {
        return lines.stream().filter(l -> l.matches(regex)).toList();
    }

    @Test
    void theDemoShowsTheProblemAndTheFixAndExits0() throws Exception {
        Run r = demo(Map.of());
        String all = String.join("\n", r.out) + "\n" + r.err;
        assertEquals(0, r.exit, "demo.sh's exit status; output:\n" + all);
        assertEquals(List.of("  left behind: 4", "  left behind: 0"), matching(r.out, "  left behind: .*"), all);
        int jinitRun = r.out.indexOf("== with jinit: jinit -- python3 app.py");
        assertTrue(jinitRun > 0, all);
        List<String> handlers = matching(r.out.subList(jinitRun, r.out.size()), "  \\[(main|worker [012]|reporter) pid \\d+\\] got SIGTERM, cleaning up");
        assertEquals(5, handlers.size(), "every process of the tree ran its handler under jinit:\n" + all);
        assertEquals(List.of("  exit status 0", "  exit status 0"), matching(r.out, "  exit status .*"), all);
        assertTrue(r.out.get(r.out.size() - 1).startsWith("== shown: "), all);
    }

    /** A "jinit" that only execs its program (as if there were none) leaves the tree behind: exit 1. */
    @Test
    void aDemoThatDoesNotShowItExits1() throws Exception {
        Path fake = dir.resolve("not-jinit");
        Files.writeString(fake, "#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n");
        assertTrue(fake.toFile().setExecutable(true));
        Run r = demo(Map.of("JINIT", fake.toString()));
        String all = String.join("\n", r.out) + "\n" + r.err;
        assertEquals(1, r.exit, "demo.sh's exit status; output:\n" + all);
        assertEquals(List.of("  left behind: 4", "  left behind: 4"), matching(r.out, "  left behind: .*"), all);
        assertTrue(r.err.startsWith("== NOT as promised: "), all);
    }
}
