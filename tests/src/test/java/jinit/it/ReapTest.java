package jinit.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static jinit.it.JinitProcess.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Orphans are reaped continuously; the child's own children stay the child's. */
class ReapTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void twoHundredOrphansAreReapedAndTheChildsOwnStatusesAreIntact(JinitProcess.Mode mode) throws Exception {
        Programs.install(dir, "reap.py");
        try (JinitProcess j = JinitProcess.start(mode, dir, "--", "python3", dir.resolve("reap.py").toString())) {
            assertEquals(0, j.waitFor(Duration.ofSeconds(90)), read(dir.resolve("reap")) + "\n" + j.stderrText());
            assertEquals("zombies=0 wrong=0", read(dir.resolve("reap")));
        }
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void warnOnReapNamesEachOrphan(JinitProcess.Mode mode) throws Exception {
        try (JinitProcess j = JinitProcess.start(mode, dir, "-w", "--", "sh", "-c", "sh -c 'sleep 0.2 &' ; sleep 1")) {
            assertEquals(0, j.waitFor(Duration.ofSeconds(30)), j.stderrText());
            assertEquals(true, j.stderrText().contains("reaped orphan"), j.stderrText());
        }
    }
}
