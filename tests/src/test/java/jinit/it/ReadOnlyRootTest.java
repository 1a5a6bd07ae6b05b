package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 6, item 10: a read-only root file system with no writable /tmp (Kubernetes
 * readOnlyRootFilesystem). jinit must start and work without writing anything: no jffi stub
 * extracted into the temporary directory, no attach or perf files.
 */
class ReadOnlyRootTest {
    static final Duration T = Duration.ofSeconds(30);

    /**
     * A mount namespace of its own in which every file system mount is read-only (/proc, /sys
     * and /dev's device nodes stay as they are: writing to a device is no write to disk); it
     * checks that /tmp and the working directory really cannot be written, then execs.
     */
    static final List<String> READ_ONLY = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "findmnt -rn -o TARGET | while read -r m; do case $m in /proc|/proc/*|/sys|/sys/*|/dev|/dev/pts) continue ;; esac; "
            + "mount -o remount,bind,ro \"$m\" 2>/dev/null; done; "
            + "if touch /tmp/jinit-rw-probe 2>/dev/null || touch ./jinit-rw-probe 2>/dev/null; then echo 'still writable' >&2; exit 99; fi; "
            + "exec \"$@\"", "sh");

    @TempDir Path dir;

    private void runsReadOnly(JinitProcess.Mode mode, Map<String, String> env) throws Exception {
        Harsh.requireRoot("a read-only mount namespace");
        Harsh.requireTool("findmnt", "lists the mounts to make read-only");
        // stdout and stderr are files the test opened outside the namespace: the child reports there
        try (JinitProcess j = JinitProcess.start(mode, dir, env, READ_ONLY, "--", "sh", "-c", "echo started; exit 4")) {
            assertEquals(4, j.waitFor(T), j.stderrText());
            assertEquals("started\n", j.stdoutText());
            assertEquals("", j.stderrText());
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void startsAndWorksOnAReadOnlyRoot(JinitProcess.Mode mode) throws Exception {
        runsReadOnly(mode, Map.of());
    }

    /** On JDK 22+ the default is FFM, which needs no stub: the jnr backend there too. */
    @Test
    void theJnrBackendToo() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "on this JDK the jnr backend is the default, tested above");
        runsReadOnly(JinitProcess.Mode.SUBREAPER, Map.of("JINIT_JAVA_OPTS", "-Djinit.native=jnr"));
    }

    /** The same, with TMPDIR (which jffi would extract its stub into) pointing nowhere. */
    @Test
    void noTemporaryDirectoryAtAll() throws Exception {
        Harsh.requireRoot("a read-only mount namespace");
        Map<String, String> env = Runtime.version().feature() >= 22
            ? Map.of("TMPDIR", "/nonexistent", "JINIT_JAVA_OPTS", "-Djinit.native=jnr") : Map.of("TMPDIR", "/nonexistent");
        runsReadOnly(JinitProcess.Mode.SUBREAPER, env);
    }
}
